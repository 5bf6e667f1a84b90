"""What every command module shares: the error console, opening the store, the judge,
failing."""

from __future__ import annotations

import errno
from enum import StrEnum
from typing import TYPE_CHECKING, Any

import typer
from rich.console import Console
from rich.text import Text

if TYPE_CHECKING:
    from newsdesk.settings import Settings
    from newsdesk.store import Store
    from newsdesk.verify.judge import LLMJudge

# Messages carry text from outside (feed links, titles, file names): never read as rich
# markup ("a[/x]" is a MarkupError), emoji codes or highlighting; colour comes from styles.
err = Console(stderr=True, soft_wrap=True, markup=False, emoji=False, highlight=False)


class Backend(StrEnum):
    """The writers (NEWSDESK_WRITER), as a choice that help and completion show."""

    extractive = "extractive"
    openai = "openai"
    local = "local"


def error_line(message: str) -> Text:
    """``error: message`` with the label in red; the message is plain text."""
    return Text.assemble(("error:", "red"), " ", message)


def warn(message: str, indent: str = "") -> None:
    err.print(Text(indent + message, style="yellow"))


def load_settings(**overrides: Any) -> Settings:
    """The settings (imported here: pydantic-settings is slow to import, and ``--help``
    needs none)."""
    from newsdesk.settings import load_settings as load

    return load(**overrides)


def open_store(settings: Settings) -> Store:
    """The configured database, created or upgraded first."""
    from newsdesk.store import Store, migrate

    url = settings.resolved_database_url()
    migrate(url)
    return Store(url)


# A source failed this round (the others' articles are stored): for cron and monitoring.
EXIT_SOURCES_FAILED = 3
# Exit statuses of faults outside the program (sysexits.h): try again later; I/O error.
EXIT_LOCKED = 75
EXIT_DISK_FULL = 74
_LOCKED = ("database is locked", "database table is locked", "lock timeout", "55p03")
_FULL = ("database or disk is full", "disk is full", "no space left", "could not extend file")


def fault(error: BaseException) -> tuple[str, int] | None:
    """A one-line explanation and exit status for a locked database or a full disk
    anywhere in ``error``'s chain; None for anything else."""
    seen: BaseException | None = error
    while seen is not None:
        text = str(seen).casefold()
        if isinstance(seen, OSError) and seen.errno in (errno.ENOSPC, errno.EDQUOT):
            return _DISK_FULL, EXIT_DISK_FULL
        if any(cue in text for cue in _FULL):
            return _DISK_FULL, EXIT_DISK_FULL
        if any(cue in text for cue in _LOCKED):
            return (
                "the database is locked by another process and stayed locked: stop the "
                "other newsdesk process (or wait for it) and run again; nothing was lost",
                EXIT_LOCKED,
            )
        seen = seen.__cause__ or seen.__context__
    return None


_DISK_FULL = (
    "the disk is full: free some space and run again; what was committed is kept, "
    "and the rest is done again"
)


def fail(message: str) -> typer.Exit:
    err.print(error_line(message))
    return typer.Exit(code=1)


def load_judge(enabled: bool) -> LLMJudge | None:
    """The judge a ``--judge`` flag asks for: the configured one (NEWSDESK_VERIFY_JUDGE),
    or the LLM endpoint where none is configured; a clear error if it cannot be used."""
    if not enabled:
        return None
    from newsdesk.settings import SettingsError
    from newsdesk.verify.judge import make_judge

    try:
        settings = load_settings()
        if settings.verify_judge == "off":
            settings = load_settings(verify_judge="llm")
        return make_judge(settings)
    except (SettingsError, ValueError) as error:  # ValueError: a completer refused its settings
        raise fail(str(error)) from error
