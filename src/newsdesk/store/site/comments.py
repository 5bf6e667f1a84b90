"""Queries for comments and their reports."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

from sqlalchemy import ColumnElement, func, select, update
from sqlalchemy.orm import Session

from newsdesk.store.base import utcnow
from newsdesk.store.site.generation import bump_generation
from newsdesk.store.site_models import CommentReportRow, CommentRow, UserRow


@dataclass
class Comment:
    id: int
    story_id: str
    user_id: int
    author: str
    parent_id: int | None
    body: str
    html: str
    status: str
    hold_reason: str | None
    created_at: datetime
    edited_at: datetime | None
    replies: list[Comment] = field(default_factory=list)


def _to_comment(row: CommentRow, author: str) -> Comment:
    return Comment(
        id=row.id,
        story_id=row.story_id,
        user_id=row.user_id,
        author=author,
        parent_id=row.parent_id,
        body=row.body,
        html=row.html,
        status=row.status,
        hold_reason=row.hold_reason,
        created_at=row.created_at,
        edited_at=row.edited_at,
    )


def add_comment(
    session: Session,
    *,
    story_id: str,
    user_id: int,
    parent_id: int | None,
    body: str,
    html: str,
    status: str,
    hold_reason: str | None,
) -> int:
    row = CommentRow(
        story_id=story_id,
        user_id=user_id,
        parent_id=parent_id,
        body=body,
        html=html,
        status=status,
        hold_reason=hold_reason,
    )
    session.add(row)
    session.flush()
    bump_generation(session)
    return row.id


def _with_authors(session: Session, query: object) -> list[Comment]:
    rows = session.execute(query)  # type: ignore[call-overload]
    return [_to_comment(row, name) for row, name in rows]


def get_comment(session: Session, comment_id: int) -> Comment | None:
    query = (
        select(CommentRow, UserRow.display_name)
        .join(UserRow, UserRow.id == CommentRow.user_id)
        .where(CommentRow.id == comment_id)
    )
    found = _with_authors(session, query)
    return found[0] if found else None


def story_comments(
    session: Session, story_id: str, *, viewer_id: int | None = None, limit: int = 500
) -> list[Comment]:
    """Visible comments of a story (plus the viewer's own pending ones), oldest first."""
    shown: ColumnElement[bool] = CommentRow.status.in_(["visible", "removed", "deleted"])
    if viewer_id is not None:
        shown = shown | ((CommentRow.status == "pending") & (CommentRow.user_id == viewer_id))
    query = (
        select(CommentRow, UserRow.display_name)
        .join(UserRow, UserRow.id == CommentRow.user_id)
        .where(CommentRow.story_id == story_id, shown)
        .order_by(CommentRow.created_at, CommentRow.id)
        .limit(limit)
    )
    return _with_authors(session, query)


def thread(comments: list[Comment]) -> list[Comment]:
    """Top-level comments with their replies nested (a reply to a hidden comment is dropped)."""
    by_id = {c.id: c for c in comments}
    roots = []
    for comment in comments:
        comment.replies = []
    for comment in comments:
        if comment.parent_id is None:
            roots.append(comment)
        elif comment.parent_id in by_id:
            by_id[comment.parent_id].replies.append(comment)
    return roots


def update_comment(session: Session, comment_id: int, body: str, html: str) -> None:
    row = session.get_one(CommentRow, comment_id)
    row.body, row.html, row.edited_at = body, html, utcnow()
    bump_generation(session)


def set_status(session: Session, comment_id: int, status: str) -> None:
    session.get_one(CommentRow, comment_id).status = status
    if status != "pending":
        session.execute(
            update(CommentReportRow)
            .where(
                CommentReportRow.comment_id == comment_id, CommentReportRow.resolved_at.is_(None)
            )
            .values(resolved_at=utcnow())
        )
    bump_generation(session)


def count_recent(session: Session, user_id: int, since: datetime) -> int:
    query = select(func.count()).where(CommentRow.user_id == user_id, CommentRow.created_at > since)
    return session.scalar(query) or 0


def count_approved(session: Session, user_id: int) -> int:
    query = select(func.count()).where(
        CommentRow.user_id == user_id, CommentRow.status == "visible"
    )
    return session.scalar(query) or 0


def add_report(session: Session, comment_id: int, user_id: int, reason: str) -> None:
    session.add(CommentReportRow(comment_id=comment_id, user_id=user_id, reason=reason))


def pending_comments(session: Session, limit: int = 200) -> list[Comment]:
    query = (
        select(CommentRow, UserRow.display_name)
        .join(UserRow, UserRow.id == CommentRow.user_id)
        .where(CommentRow.status == "pending")
        .order_by(CommentRow.created_at)
        .limit(limit)
    )
    return _with_authors(session, query)


def reported_comments(session: Session, limit: int = 200) -> list[tuple[Comment, list[str]]]:
    """Comments with open reports, each with the reasons given."""
    reports = session.execute(
        select(CommentReportRow.comment_id, CommentReportRow.reason)
        .where(CommentReportRow.resolved_at.is_(None))
        .order_by(CommentReportRow.created_at)
    )
    reasons: dict[int, list[str]] = {}
    for comment_id, reason in reports:
        reasons.setdefault(comment_id, []).append(reason)
    found = []
    for comment_id, why in list(reasons.items())[:limit]:
        comment = get_comment(session, comment_id)
        if comment is not None:
            found.append((comment, why))
    return found


def public_comments(
    session: Session, story_id: str, *, limit: int, offset: int
) -> tuple[list[Comment], int]:
    """Visible comments of a story for the API, oldest first, with the total count."""
    where = (CommentRow.story_id == story_id, CommentRow.status == "visible")
    total = session.scalar(select(func.count()).where(*where)) or 0
    query = (
        select(CommentRow, UserRow.display_name)
        .join(UserRow, UserRow.id == CommentRow.user_id)
        .where(*where)
        .order_by(CommentRow.created_at, CommentRow.id)
        .limit(limit)
        .offset(offset)
    )
    return _with_authors(session, query), total
