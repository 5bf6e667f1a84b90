"""Stories: which documents they hold, their moves, vectors and write state."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import and_, delete, func, or_, select, update
from sqlalchemy.orm import Session, aliased

from newsdesk.records import Assignment, Document
from newsdesk.store.base import utcnow
from newsdesk.store.models import (
    ArticleRow,
    DocumentRow,
    RelatedStoryRow,
    StoryDocumentRow,
    StoryMoveRow,
    StoryRow,
    StoryVectorRow,
)
from newsdesk.store.repo.documents import to_document


def assign_documents(session: Session, assignments: Sequence[Assignment]) -> None:
    """Record story membership, creating stories on first use; re-running is harmless."""
    now = utcnow()
    for assignment in assignments:
        story = session.get(StoryRow, assignment.story)
        if story is None:
            session.add(StoryRow(id=assignment.story, status="open", created_at=now))
        else:
            story.updated_at = now
            if story.status == "closed":  # a late report: open until the stream passes it
                story.status, story.closed_at = "open", None
            story.write_retry_at = None  # new material: a waiting story is tried again now
        if session.get(StoryDocumentRow, assignment.id) is None:
            session.add(StoryDocumentRow(document_id=assignment.id, story_id=assignment.story))
        session.flush()


def open_story_documents(
    session: Session, late_since: datetime | None = None
) -> dict[str, list[Document]]:
    """Documents of the stories still open (neither closed nor merged), in stream order.

    With ``late_since``, also the closed stories with a document published since then: a
    report that arrives late (another feed polled later, an archive) may still join them,
    as it would have when it was published.
    """
    reachable = StoryRow.status == "open"
    if late_since is not None:
        late = (
            select(StoryDocumentRow.story_id)
            .join(DocumentRow, DocumentRow.id == StoryDocumentRow.document_id)
            .where(DocumentRow.published >= late_since)
        )
        closed = and_(StoryRow.status == "closed", StoryRow.merged_into.is_(None))
        reachable = or_(reachable, and_(closed, StoryRow.id.in_(late)))
    query = (
        select(StoryDocumentRow.story_id, DocumentRow)
        .join(DocumentRow, DocumentRow.id == StoryDocumentRow.document_id)
        .join(StoryRow, StoryRow.id == StoryDocumentRow.story_id)
        .where(reachable)
        .order_by(DocumentRow.published.is_(None), DocumentRow.published, DocumentRow.id)
    )
    grouped: dict[str, list[Document]] = defaultdict(list)
    for story_id, row in session.execute(query):
        grouped[story_id].append(to_document(row))
    return dict(grouped)


def open_splits(session: Session) -> list[tuple[str, str, int]]:
    """(kept, part, counted) of each recorded split whose two stories are both still open."""
    kept, part = aliased(StoryRow), aliased(StoryRow)
    query = (
        select(StoryMoveRow.source_story, StoryMoveRow.target_story, StoryMoveRow.counted)
        .join(kept, kept.id == StoryMoveRow.source_story)
        .join(part, part.id == StoryMoveRow.target_story)
        .where(
            StoryMoveRow.kind == "split",
            StoryMoveRow.counted.is_not(None),
            kept.status == "open",
            part.status == "open",
        )
        .order_by(StoryMoveRow.id)
    )
    return [(kept, part, counted) for kept, part, counted in session.execute(query) if counted]


def apply_move(
    session: Session,
    kind: str,
    source: str,
    target: str,
    documents: Sequence[str],
    score: float,
    counted: int | None = None,
) -> None:
    """Record a merge or split and move its documents; a merged story names its survivor."""
    now = utcnow()
    if session.get(StoryRow, target) is None:
        session.add(StoryRow(id=target, status="open", created_at=now))
        session.flush()
    session.execute(
        update(StoryDocumentRow)
        .where(StoryDocumentRow.document_id.in_(list(documents)))
        .values(story_id=target)
    )
    session.get_one(StoryRow, target).updated_at = now
    source_row = session.get(StoryRow, source)
    if source_row is not None:
        if kind == "split":
            source_row.updated_at = now  # it lost documents: its article is rewritten
        else:
            source_row.status, source_row.merged_into = "merged", target
            session.execute(
                update(StoryRow).where(StoryRow.merged_into == source).values(merged_into=target)
            )
            session.execute(
                delete(RelatedStoryRow).where(
                    or_(RelatedStoryRow.story_id == source, RelatedStoryRow.related_id == source)
                )
            )
    session.add(
        StoryMoveRow(
            kind=kind,
            source_story=source,
            target_story=target,
            documents=list(documents),
            score=score,
            counted=counted,
            created_at=now,
        )
    )
    session.flush()


def close_stories(session: Session, story_ids: Iterable[str]) -> None:
    now = utcnow()
    for story_id in story_ids:
        row = session.get(StoryRow, story_id)
        if row is not None and row.status == "open":
            row.status, row.closed_at = "closed", now
    session.flush()


def resolve_story_id(session: Session, story_id: str) -> str | None:
    """The story a URL should show: itself, or the survivor it was merged into; None if
    unknown. Follows chains of merges (at most a few hops; a cycle would stop there)."""
    seen: set[str] = set()
    current: str | None = story_id
    while current is not None and current not in seen:
        seen.add(current)
        row = session.get(StoryRow, current)
        if row is None:
            return None
        if row.merged_into is None:
            return row.id
        current = row.merged_into
    return None


def story_moves(session: Session, story_id: str) -> list[StoryMoveRow]:
    query = (
        select(StoryMoveRow)
        .where(or_(StoryMoveRow.source_story == story_id, StoryMoveRow.target_story == story_id))
        .order_by(StoryMoveRow.id)
    )
    return list(session.scalars(query))


def save_story_vectors(session: Session, model: str, vectors: dict[str, bytes]) -> None:
    now = utcnow()
    for story_id, vector in vectors.items():
        row = session.get(StoryVectorRow, story_id)
        if row is None:
            session.add(
                StoryVectorRow(story_id=story_id, model=model, vector=vector, updated_at=now)
            )
        else:
            row.model, row.vector, row.updated_at = model, vector, now
    session.flush()


def load_story_vectors(session: Session, model: str) -> dict[str, bytes]:
    """Vectors of stories that are not merged away, for one embedding model."""
    query = (
        select(StoryVectorRow.story_id, StoryVectorRow.vector)
        .join(StoryRow, StoryRow.id == StoryVectorRow.story_id)
        .where(StoryVectorRow.model == model, StoryRow.merged_into.is_(None))
    )
    return {story_id: vector for story_id, vector in session.execute(query)}


def stories_needing_article(session: Session) -> list[str]:
    """Stories with no article yet, or with documents newer than their latest article."""
    latest = (
        select(ArticleRow.story_id, func.max(ArticleRow.created_at).label("written"))
        .group_by(ArticleRow.story_id)
        .subquery()
    )
    query = (
        select(StoryRow.id)
        .outerjoin(latest, latest.c.story_id == StoryRow.id)
        .where(or_(latest.c.written.is_(None), latest.c.written < StoryRow.updated_at))
        .where(StoryRow.merged_into.is_(None))  # its documents now live in the survivor
        # A story whose writer endpoint failed waits for its retry time.
        .where(or_(StoryRow.write_retry_at.is_(None), StoryRow.write_retry_at <= utcnow()))
        .order_by(StoryRow.id)
    )
    return list(session.scalars(query))


@dataclass(frozen=True)
class WriteState:
    """The writer's last outcome for a story (see StoryRow.write_status)."""

    status: str | None
    error: str | None
    attempts: int
    retry_at: datetime | None


def write_state(session: Session, story_id: str) -> WriteState:
    row = session.get_one(StoryRow, story_id)
    return WriteState(row.write_status, row.write_error, row.write_attempts, row.write_retry_at)


def record_write_pending(session: Session, story_id: str, *, error: str, retry_at: datetime) -> int:
    """The writer could not finish (endpoint down, slow, garbled): retry later.

    Returns the number of failed attempts so far."""
    row = session.get_one(StoryRow, story_id)
    row.write_status = "pending"
    row.write_error = error
    row.write_attempts = (row.write_attempts or 0) + 1
    row.write_retry_at = retry_at
    return row.write_attempts


def record_write_outcome(
    session: Session,
    story_id: str,
    status: str,
    error: str | None = None,
    retry_at: datetime | None = None,
) -> None:
    """A finished attempt: "written", or "held" when too little survived the checker
    (then tried again at ``retry_at``, or as soon as a document joins the story)."""
    row = session.get_one(StoryRow, story_id)
    row.write_status = status
    row.write_error = error
    row.write_attempts = 0
    row.write_retry_at = retry_at


def story_exists(session: Session, story_id: str) -> bool:
    return session.get(StoryRow, story_id) is not None
