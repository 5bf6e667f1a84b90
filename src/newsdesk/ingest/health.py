"""A source's health: when to poll again after a failure, and how to say how it is doing.

A failing source backs off exponentially (``source_backoff_base_s`` doubling up to
``source_backoff_max_s``, or longer when the server sent Retry-After) and is paused
after ``source_pause_after`` failures in a row; ``newsdesk sources list`` shows all of it
and ``newsdesk sources resume`` starts it again. Nothing is dropped silently.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Protocol

from newsdesk.ingest.fetch import FetchError
from newsdesk.ingest.retry import source_backoff
from newsdesk.settings import Settings


class SourceState(Protocol):
    url: str
    kind: str
    items_seen: int
    last_fetch_at: datetime | None
    last_success_at: datetime | None
    last_error: str | None
    failures: int
    next_poll_at: datetime | None
    paused: bool


@dataclass(frozen=True)
class HealthLine:
    url: str
    kind: str
    status: str
    items: int
    last_fetch: str
    last_success: str
    next_poll: str
    error: str


def next_poll_after_failure(
    failures_so_far: int, error: BaseException, settings: Settings, now: datetime
) -> datetime:
    """When a source that just failed (its ``failures_so_far + 1``-th time) is tried again."""
    wait = source_backoff(
        failures_so_far + 1, settings.source_backoff_base_s, settings.source_backoff_max_s
    )
    if isinstance(error, FetchError) and error.retry_after is not None:
        wait = max(wait, error.retry_after)
    return now + timedelta(seconds=wait)


def describe_health(source: SourceState, now: datetime) -> HealthLine:
    """What ``sources list`` shows for one source, in plain words."""
    if source.paused:
        status = f"paused after {source.failures} failures in a row"
        next_poll = "never (paused: `newsdesk sources resume URL`)"
    elif source.failures:
        status = f"failing ({source.failures} in a row)"
        next_poll = describe_time(source.next_poll_at, now)
    else:
        status = "ok" if source.last_success_at else "new"
        next_poll = describe_time(source.next_poll_at, now)
    return HealthLine(
        url=source.url,
        kind=source.kind,
        status=status,
        items=source.items_seen,
        last_fetch=describe_time(source.last_fetch_at, None),
        last_success=describe_time(source.last_success_at, None),
        next_poll=next_poll,
        error=source.last_error or "",
    )


def describe_time(moment: datetime | None, now: datetime | None) -> str:
    """ISO time to the second; with ``now``, a moment in the past reads "next run"."""
    if moment is None:
        return "next run" if now is not None else "never"
    if now is not None and moment <= now:
        return "next run"
    return moment.replace(microsecond=0).isoformat()
