"""What every command module shares: the error console, opening the store, failing."""

from __future__ import annotations

import typer
from rich.console import Console

from newsdesk.settings import Settings
from newsdesk.store import Store, migrate

err = Console(stderr=True, soft_wrap=True)  # never break a path or message mid-line


def open_store(settings: Settings) -> Store:
    """The configured database, created or upgraded first."""
    url = settings.resolved_database_url()
    migrate(url)
    return Store(url)


def fail(message: str) -> typer.Exit:
    err.print(f"[red]error:[/red] {message}")
    return typer.Exit(code=1)
