"""Sources: what is polled, how it went, when next."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import or_, select
from sqlalchemy.orm import Session

from newsdesk.store.base import utcnow
from newsdesk.store.models import SourceRow


def add_source(
    session: Session,
    url: str,
    *,
    title: str | None = None,
    allow_private: bool = False,
    kind: str = "feed",
) -> SourceRow:
    """Register a source once; a second call with the same URL returns the first row.

    ``kind`` is how it is read: "feed" (RSS, Atom, JSON Feed), "sitemap", or "page" (one
    article URL, fetched once)."""
    row = session.scalar(select(SourceRow).where(SourceRow.url == url))
    if row is None:
        row = SourceRow(url=url, title=title, allow_private=allow_private, items_seen=0, kind=kind)
        session.add(row)
        session.flush()
    return row


def get_source(session: Session, source_id: int) -> SourceRow | None:
    return session.get(SourceRow, source_id)


def find_source(session: Session, url: str) -> SourceRow | None:
    return session.scalar(select(SourceRow).where(SourceRow.url == url))


def due_sources(session: Session, now: datetime | None = None) -> list[SourceRow]:
    """Sources to poll now: not paused, and not waiting out a backoff or a Retry-After."""
    moment = now or utcnow()
    query = (
        select(SourceRow)
        .where(SourceRow.paused.is_(False))
        .where(or_(SourceRow.next_poll_at.is_(None), SourceRow.next_poll_at <= moment))
        .order_by(SourceRow.id)
    )
    return list(session.scalars(query))


def record_poll_success(
    session: Session,
    source_id: int,
    *,
    title: str | None,
    items: int,
    etag: str | None,
    last_modified: str | None,
    note: str | None = None,
    next_poll_at: datetime | None = None,
) -> None:
    """The source answered (with news or a 304); ``note`` keeps per-article problems."""
    row = session.get_one(SourceRow, source_id)
    now = utcnow()
    row.last_fetch_at = row.last_success_at = now
    row.last_error = note
    row.items_seen += items
    row.title = title or row.title
    row.etag, row.last_modified = etag, last_modified
    row.failures = 0
    row.next_poll_at = next_poll_at


def record_poll_failure(
    session: Session, source_id: int, *, error: str, next_poll_at: datetime, pause_after: int
) -> SourceRow:
    """One more consecutive failure; the source is paused once there are ``pause_after``."""
    row = session.get_one(SourceRow, source_id)
    row.last_fetch_at = utcnow()
    row.last_error = error
    row.failures = (row.failures or 0) + 1
    row.next_poll_at = next_poll_at
    if row.failures >= pause_after:
        row.paused = True
    return row


def set_source_paused(session: Session, url: str, paused: bool) -> bool:
    """Pause or resume a source by URL (resuming clears its backoff); False if unknown."""
    row = find_source(session, url)
    if row is None:
        return False
    row.paused = paused
    if not paused:
        row.failures = 0
        row.next_poll_at = None
    return True


def remove_source(session: Session, url: str) -> bool:
    """Forget a source; its documents stay (their source_id becomes NULL)."""
    row = find_source(session, url)
    if row is None:
        return False
    session.delete(row)
    session.flush()
    return True


def list_sources(session: Session) -> list[SourceRow]:
    return list(session.scalars(select(SourceRow).order_by(SourceRow.id)))


def record_poll(
    session: Session, source_id: int, *, title: str | None, items: int, error: str | None
) -> None:
    row = session.get_one(SourceRow, source_id)
    now = utcnow()
    row.last_fetch_at = now
    row.last_error = error
    if error is None:
        row.last_success_at = now
        row.items_seen += items
        row.title = title or row.title
