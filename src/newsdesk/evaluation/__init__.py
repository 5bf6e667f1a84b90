"""Measurements against third-party evaluation data (never bundled; paths are given)."""
