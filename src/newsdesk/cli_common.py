"""What every command module shares: the error console, opening the store, the judge,
failing."""

from __future__ import annotations

from typing import TYPE_CHECKING

import typer
from rich.console import Console
from rich.text import Text

from newsdesk.settings import Settings, SettingsError, load_settings
from newsdesk.store import Store, migrate

if TYPE_CHECKING:
    from newsdesk.verify.judge import LLMJudge

# Messages carry text from outside (feed links, titles, file names): never read as rich
# markup ("a[/x]" is a MarkupError), emoji codes or highlighting; colour comes from styles.
err = Console(stderr=True, soft_wrap=True, markup=False, emoji=False, highlight=False)


def error_line(message: str) -> Text:
    """``error: message`` with the label in red; the message is plain text."""
    return Text.assemble(("error:", "red"), " ", message)


def warn(message: str, indent: str = "") -> None:
    err.print(Text(indent + message, style="yellow"))


def open_store(settings: Settings) -> Store:
    """The configured database, created or upgraded first."""
    url = settings.resolved_database_url()
    migrate(url)
    return Store(url)


def fail(message: str) -> typer.Exit:
    err.print(error_line(message))
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
