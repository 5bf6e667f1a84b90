"""The public site: server-rendered story pages and a read-only JSON API."""

from newsdesk.web.app import create_app

__all__ = ["create_app"]
