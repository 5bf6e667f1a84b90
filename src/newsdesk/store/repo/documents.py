"""Documents: stored once per URL and content, and read back as records."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from datetime import datetime

from sqlalchemy import func, or_, select, update
from sqlalchemy.orm import Session

from newsdesk.records import Document
from newsdesk.store.models import (
    DocumentRow,
    StoryDocumentRow,
)


def is_known_url(session: Session, url: str) -> bool:
    return session.scalar(select(DocumentRow.id).where(DocumentRow.url == url)) is not None


def document_exists(session: Session, doc: Document) -> bool:
    """True when a document with this id, URL or exact content is stored."""
    clauses = [DocumentRow.id == doc.id, DocumentRow.content_hash == doc.content_hash]
    if doc.url:
        clauses.append(DocumentRow.url == doc.url)
    return session.scalar(select(DocumentRow.id).where(or_(*clauses)).limit(1)) is not None


def add_document(session: Session, doc: Document, *, source_id: int | None = None) -> bool:
    """Store a document unless its id, URL or exact content is already stored."""
    if document_exists(session, doc):
        return False
    session.add(
        DocumentRow(
            id=doc.id,
            content_hash=doc.content_hash,
            url=doc.url,
            source_name=doc.source,
            title=doc.title,
            published=doc.published,
            language=doc.language,
            text=doc.text,
            source_id=source_id,
            duplicate_of=doc.duplicate_of,
            author=doc.author,
            updated=doc.updated,
            image_url=doc.image_url,
            extractor=doc.extractor,
            not_news=doc.not_news,
        )
    )
    session.flush()
    return True


def to_document(row: DocumentRow) -> Document:
    return Document(
        id=row.id,
        url=row.url,
        source=row.source_name,
        title=row.title,
        published=row.published,
        language=row.language,
        text=row.text,
        duplicate_of=row.duplicate_of,
        author=row.author,
        updated=row.updated,
        image_url=row.image_url,
        extractor=row.extractor,
        not_news=row.not_news,
    )


def is_known_content(session: Session, content_hash: str) -> bool:
    query = select(DocumentRow.id).where(DocumentRow.content_hash == content_hash)
    return session.scalar(query) is not None


def demote_original(session: Session, old: str, new: str) -> None:
    """``old`` copies ``new`` (published earlier): it and its copies now point to ``new``."""
    session.execute(
        update(DocumentRow)
        .where(or_(DocumentRow.id == old, DocumentRow.duplicate_of == old))
        .values(duplicate_of=new)
    )


def originals_since(session: Session, published: datetime, fetched: datetime) -> list[Document]:
    """Documents that are not near-duplicates, published since ``published`` (stream time)
    or fetched since ``fetched`` (an archive imported lately): the dedupe window."""
    recent = or_(DocumentRow.published >= published, DocumentRow.fetched_at >= fetched)
    query = (
        select(DocumentRow)
        .where(DocumentRow.duplicate_of.is_(None), recent)
        .order_by(DocumentRow.fetched_at, DocumentRow.id)
    )
    return [to_document(row) for row in session.scalars(query)]


def clustered_since(session: Session, since: datetime, skip: set[str]) -> list[Document]:
    """Documents already in a story, published since ``since``, except those in ``skip``."""
    query = (
        select(DocumentRow)
        .join(StoryDocumentRow, StoryDocumentRow.document_id == DocumentRow.id)
        .where(DocumentRow.published >= since)
        .order_by(DocumentRow.published, DocumentRow.id)
    )
    return [to_document(row) for row in session.scalars(query) if row.id not in skip]


def stream_time(session: Session, now: datetime) -> datetime:
    """The stream's clock: the newest publication time seen, never later than ``now``.

    Decisions about stories (closing idle ones, the near-duplicate look-back) run on it,
    so an archive imported today is treated as it would have been live.
    """
    newest = session.scalar(select(func.max(DocumentRow.published)))
    return now if newest is None else min(newest, now)


def count_documents(session: Session) -> int:
    return session.scalar(select(func.count()).select_from(DocumentRow)) or 0


def unassigned_documents(session: Session) -> list[Document]:
    """News documents not yet in a story, oldest first (the clusterer reads them as a
    stream); pages marked as not news are never clustered."""
    query = (
        select(DocumentRow)
        .outerjoin(StoryDocumentRow, StoryDocumentRow.document_id == DocumentRow.id)
        .where(StoryDocumentRow.story_id.is_(None), DocumentRow.not_news.is_(None))
        .order_by(DocumentRow.published.is_(None), DocumentRow.published, DocumentRow.id)
    )
    return [to_document(row) for row in session.scalars(query)]


def documents_by_story(
    session: Session, story_ids: Iterable[str] | None = None
) -> dict[str, list[Document]]:
    query = select(StoryDocumentRow.story_id, DocumentRow).join(
        DocumentRow, DocumentRow.id == StoryDocumentRow.document_id
    )
    if story_ids is not None:
        query = query.where(StoryDocumentRow.story_id.in_(list(story_ids)))
    grouped: dict[str, list[Document]] = defaultdict(list)
    for story_id, row in session.execute(query.order_by(DocumentRow.published, DocumentRow.id)):
        grouped[story_id].append(to_document(row))
    return dict(grouped)


_QUERY_BATCH = 500  # ids per IN (...) list, well inside every database's parameter limit


def declared_images(session: Session, ids: Iterable[str]) -> dict[str, str]:
    """Document id -> the image URL its page declares, for news documents that are not
    syndicated copies (a copy's image may belong to another publisher)."""
    wanted = sorted(set(ids))
    found: dict[str, str] = {}
    for start in range(0, len(wanted), _QUERY_BATCH):
        query = select(DocumentRow.id, DocumentRow.image_url).where(
            DocumentRow.id.in_(wanted[start : start + _QUERY_BATCH]),
            DocumentRow.image_url.is_not(None),
            DocumentRow.not_news.is_(None),
            DocumentRow.duplicate_of.is_(None),
        )
        found.update((doc_id, url) for doc_id, url in session.execute(query) if url)
    return found
