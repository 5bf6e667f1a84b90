"""newsdesk: a self-hosted AI newsroom."""

__version__ = "0.1.0"
