"""What every command module shares: the error console, opening the store, the judge,
failing."""

from __future__ import annotations

from typing import TYPE_CHECKING

import typer
from rich.console import Console

from newsdesk.settings import Settings, SettingsError, load_settings
from newsdesk.store import Store, migrate

if TYPE_CHECKING:
    from newsdesk.verify.judge import LLMJudge

err = Console(stderr=True, soft_wrap=True)  # never break a path or message mid-line


def open_store(settings: Settings) -> Store:
    """The configured database, created or upgraded first."""
    url = settings.resolved_database_url()
    migrate(url)
    return Store(url)


def fail(message: str) -> typer.Exit:
    err.print(f"[red]error:[/red] {message}")
    return typer.Exit(code=1)


def load_judge(enabled: bool) -> LLMJudge | None:
    """The judge a ``--judge`` flag asks for: the configured one (NEWSDESK_VERIFY_JUDGE),
    or the LLM endpoint where none is configured; a clear error if it cannot be used."""
    if not enabled:
        return None
    from newsdesk.verify.judge import make_judge

    try:
        settings = load_settings()
        if settings.verify_judge == "off":
            settings = load_settings(verify_judge="llm")
        return make_judge(settings)
    except (SettingsError, ValueError) as error:  # ValueError: a completer refused its settings
        raise fail(str(error)) from error
