"""Queries for the editor desk: story review states, corrections, error reports, the log."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select, update
from sqlalchemy.orm import Session

# The review states mean what the publish stage's review policy says (newsdesk.publish).
from newsdesk.publish import BLOCKING_STATES as BLOCKING_STATES
from newsdesk.publish import WAITING as WAITING
from newsdesk.records import Article
from newsdesk.store.base import utcnow
from newsdesk.store.models import ArticleRow
from newsdesk.store.site.generation import bump_generation
from newsdesk.store.site_models import (
    CorrectionRow,
    DeskLogRow,
    ErrorReportRow,
    StoryReviewRow,
)


@dataclass(frozen=True)
class Review:
    story_id: str
    state: str
    version: int | None
    reason: str | None
    updated_at: datetime
    headline: str


@dataclass(frozen=True)
class Correction:
    version: int
    note: str
    created_at: datetime


@dataclass(frozen=True)
class ErrorReport:
    id: int
    story_id: str
    version: int
    anchor: str
    sentence: str
    message: str
    created_at: datetime


@dataclass(frozen=True)
class LogEntry:
    actor: str
    action: str
    target: str
    detail: str | None
    at: datetime


# --- review states ---------------------------------------------------------


def review_state(session: Session, story_id: str) -> StoryReviewRow | None:
    return session.get(StoryReviewRow, story_id)


def set_review(
    session: Session,
    story_id: str,
    state: str,
    *,
    version: int | None,
    reason: str | None,
    by: int | None,
) -> None:
    row = session.get(StoryReviewRow, story_id)
    if row is None:
        row = StoryReviewRow(story_id=story_id, state=state)
        session.add(row)
    row.state, row.version, row.reason = state, version, reason
    row.updated_at, row.updated_by = utcnow(), by
    session.flush()
    bump_generation(session)


def clear_waiting(session: Session, story_id: str) -> None:
    """Forget a 'waiting for sources' state once the story has its sources."""
    row = session.get(StoryReviewRow, story_id)
    if row is not None and row.state == WAITING:
        session.delete(row)
        session.flush()
        bump_generation(session)


def hold_story(session: Session, article: Article, reason: str) -> None:
    """Record a hold decided at publish time (the version stays unpublished)."""
    set_review(session, article.story, "held", version=article.version, reason=reason, by=None)


def pending_articles(
    session: Session, pending: list[tuple[str, int]]
) -> dict[tuple[str, int], Article]:
    """The articles of these (story, version) pairs, as far as they are stored (what the
    review policy looks at)."""
    found = {}
    for story_id, version in pending:
        row = session.scalar(
            select(ArticleRow).where(ArticleRow.story_id == story_id, ArticleRow.version == version)
        )
        if row is not None:
            found[(story_id, version)] = Article.model_validate(row.body)
    return found


def review_queue(session: Session) -> list[Review]:
    """Stories waiting for the desk: held ones and those waiting for sources, newest
    decision first."""
    rows = session.scalars(
        select(StoryReviewRow)
        .where(StoryReviewRow.state.in_((*BLOCKING_STATES, WAITING)))
        .order_by(StoryReviewRow.updated_at.desc())
    )
    return [_to_review(session, row) for row in rows]


def _to_review(session: Session, row: StoryReviewRow) -> Review:
    headline = session.scalar(
        select(ArticleRow.headline)
        .where(ArticleRow.story_id == row.story_id)
        .order_by(ArticleRow.version.desc())
        .limit(1)
    )
    return Review(row.story_id, row.state, row.version, row.reason, row.updated_at, headline or "")


def unpublish_all(session: Session, story_id: str) -> int:
    """Take every version off the site; returns how many were published."""
    result = session.execute(
        update(ArticleRow)
        .where(ArticleRow.story_id == story_id, ArticleRow.published_at.is_not(None))
        .values(published_at=None)
    )
    return int(getattr(result, "rowcount", 0) or 0)


# --- corrections and error reports -----------------------------------------


def add_correction(
    session: Session, story_id: str, version: int, note: str, by: int | None
) -> None:
    session.add(CorrectionRow(story_id=story_id, version=version, note=note, created_by=by))
    bump_generation(session)


def corrections(session: Session, story_id: str) -> list[Correction]:
    rows = session.scalars(
        select(CorrectionRow).where(CorrectionRow.story_id == story_id).order_by(CorrectionRow.id)
    )
    return [Correction(row.version, row.note, row.created_at) for row in rows]


def add_error_report(
    session: Session,
    *,
    story_id: str,
    version: int,
    anchor: str,
    sentence: str,
    message: str,
    user_id: int | None,
) -> None:
    session.add(
        ErrorReportRow(
            story_id=story_id,
            version=version,
            anchor=anchor,
            sentence=sentence,
            message=message,
            user_id=user_id,
        )
    )


def open_error_reports(session: Session, limit: int = 200) -> list[ErrorReport]:
    rows = session.scalars(
        select(ErrorReportRow)
        .where(ErrorReportRow.resolved_at.is_(None))
        .order_by(ErrorReportRow.created_at)
        .limit(limit)
    )
    return [
        ErrorReport(r.id, r.story_id, r.version, r.anchor, r.sentence, r.message, r.created_at)
        for r in rows
    ]


def resolve_error_report(session: Session, report_id: int) -> str | None:
    """Mark a report handled; returns its story id, or None if there is no such report."""
    row = session.get(ErrorReportRow, report_id)
    if row is None:
        return None
    row.resolved_at = row.resolved_at or utcnow()
    return row.story_id


# --- the log ---------------------------------------------------------------


TARGET_CHARS = 256  # DeskLogRow.target's length


def log_action(
    session: Session,
    *,
    actor_id: int | None,
    actor: str,
    action: str,
    target: str,
    detail: str | None = None,
) -> None:
    """One line of the desk log. A target longer than its column (a source URL may have
    2,048 characters) is shortened there and kept whole in the detail."""
    if len(target) > TARGET_CHARS:
        detail = f"{target}\n{detail}" if detail else target
        target = target[: TARGET_CHARS - 1] + "…"
    session.add(
        DeskLogRow(actor_id=actor_id, actor=actor, action=action, target=target, detail=detail)
    )


def recent_log(session: Session, limit: int = 100) -> list[LogEntry]:
    rows = session.scalars(select(DeskLogRow).order_by(DeskLogRow.id.desc()).limit(limit))
    return [LogEntry(r.actor, r.action, r.target, r.detail, r.at) for r in rows]
