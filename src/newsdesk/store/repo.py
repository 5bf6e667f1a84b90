"""Queries: the only place that turns rows into records and back."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import delete, func, or_, select, update
from sqlalchemy.orm import Session

from newsdesk.records import Article, Assignment, Document, SourceRef
from newsdesk.store.comments import bump_generation
from newsdesk.store.models import (
    ArticleRow,
    CitationRow,
    DocumentRow,
    RelatedStoryRow,
    SourceRow,
    StoryDocumentRow,
    StoryMoveRow,
    StoryRow,
    StoryVectorRow,
    utcnow,
)


@dataclass(frozen=True)
class StorySummary:
    """What a listing shows of a published story."""

    id: str
    headline: str
    standfirst: str
    version: int
    published_at: datetime
    source_count: int
    latest_source_at: datetime


# --- sources ---------------------------------------------------------------


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


# --- documents -------------------------------------------------------------


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


def originals_since(session: Session, since: datetime) -> list[Document]:
    """Documents that are not near-duplicates, fetched since ``since`` (the dedupe window)."""
    query = (
        select(DocumentRow)
        .where(DocumentRow.duplicate_of.is_(None), DocumentRow.fetched_at >= since)
        .order_by(DocumentRow.fetched_at, DocumentRow.id)
    )
    return [to_document(row) for row in session.scalars(query)]


def count_documents(session: Session) -> int:
    return session.scalar(select(func.count()).select_from(DocumentRow)) or 0


def unassigned_documents(session: Session) -> list[Document]:
    """Documents not yet in a story, oldest first (the clusterer reads them as a stream)."""
    query = (
        select(DocumentRow)
        .outerjoin(StoryDocumentRow, StoryDocumentRow.document_id == DocumentRow.id)
        .where(StoryDocumentRow.story_id.is_(None))
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


# --- stories ---------------------------------------------------------------


def assign_documents(session: Session, assignments: Sequence[Assignment]) -> None:
    """Record story membership, creating stories on first use; re-running is harmless."""
    now = utcnow()
    for assignment in assignments:
        story = session.get(StoryRow, assignment.story)
        if story is None:
            session.add(StoryRow(id=assignment.story, status="open", created_at=now))
        else:
            story.updated_at = now
            story.write_retry_at = None  # new material: a waiting story is tried again now
        if session.get(StoryDocumentRow, assignment.id) is None:
            session.add(StoryDocumentRow(document_id=assignment.id, story_id=assignment.story))
        session.flush()


def open_story_documents(session: Session) -> dict[str, list[Document]]:
    """Documents of the stories still open (neither closed nor merged), in stream order."""
    query = (
        select(StoryDocumentRow.story_id, DocumentRow)
        .join(DocumentRow, DocumentRow.id == StoryDocumentRow.document_id)
        .join(StoryRow, StoryRow.id == StoryDocumentRow.story_id)
        .where(StoryRow.status == "open")
        .order_by(DocumentRow.published.is_(None), DocumentRow.published, DocumentRow.id)
    )
    grouped: dict[str, list[Document]] = defaultdict(list)
    for story_id, row in session.execute(query):
        grouped[story_id].append(to_document(row))
    return dict(grouped)


def apply_move(
    session: Session, kind: str, source: str, target: str, documents: Sequence[str], score: float
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


# --- articles --------------------------------------------------------------


def next_version(session: Session, story_id: str) -> int:
    current = session.scalar(
        select(func.max(ArticleRow.version)).where(ArticleRow.story_id == story_id)
    )
    return (current or 0) + 1


def save_article(session: Session, article: Article) -> int:
    """Store one article version with its citations; returns the row id."""
    row = ArticleRow(
        story_id=article.story,
        version=article.version,
        headline=article.headline,
        standfirst=article.standfirst,
        body=article.to_json(),
    )
    session.add(row)
    session.flush()
    for index, sentence in enumerate(article.sentences()):
        for citation in sentence.citations:
            session.add(
                CitationRow(
                    article_id=row.id,
                    sentence_index=index,
                    document_id=citation.document,
                    quote=citation.quote,
                )
            )
    return row.id


def latest_version(session: Session, story_id: str) -> Article | None:
    """The newest stored version, published or not (what a revision is compared with)."""
    row = session.scalar(
        select(ArticleRow)
        .where(ArticleRow.story_id == story_id)
        .order_by(ArticleRow.version.desc())
        .limit(1)
    )
    return None if row is None else Article.model_validate(row.body)


@dataclass(frozen=True)
class VersionSummary:
    """One published version of a story, for the version history."""

    version: int
    headline: str
    standfirst: str
    created_at: datetime
    published_at: datetime
    article: Article


def published_versions(session: Session, story_id: str) -> list[VersionSummary]:
    """Every published version of a story, newest first."""
    query = (
        select(ArticleRow)
        .where(ArticleRow.story_id == story_id, ArticleRow.published_at.is_not(None))
        .order_by(ArticleRow.version.desc())
    )
    return [
        VersionSummary(
            version=row.version,
            headline=row.headline,
            standfirst=row.standfirst,
            created_at=row.created_at,
            published_at=row.published_at or row.created_at,
            article=Article.model_validate(row.body),
        )
        for row in session.scalars(query)
    ]


def publish_version(session: Session, story_id: str, version: int) -> None:
    row = session.scalar(
        select(ArticleRow).where(ArticleRow.story_id == story_id, ArticleRow.version == version)
    )
    if row is None:
        raise LookupError(f"story {story_id!r} has no article version {version}")
    if row.published_at is None:
        row.published_at = utcnow()
        # Every web process drops its cached pages; no database trigger needed.
        bump_generation(session)


def unpublished_versions(session: Session) -> list[tuple[str, int]]:
    query = (
        select(ArticleRow.story_id, ArticleRow.version)
        .where(ArticleRow.published_at.is_(None))
        .order_by(ArticleRow.story_id, ArticleRow.version)
    )
    return [(story_id, version) for story_id, version in session.execute(query)]


def _latest_published_rows(session: Session) -> list[ArticleRow]:
    newest = (
        select(ArticleRow.story_id, func.max(ArticleRow.version).label("version"))
        .where(ArticleRow.published_at.is_not(None))
        .group_by(ArticleRow.story_id)
        .subquery()
    )
    query = (
        select(ArticleRow)
        .join(
            newest,
            (newest.c.story_id == ArticleRow.story_id) & (newest.c.version == ArticleRow.version),
        )
        .join(StoryRow, StoryRow.id == ArticleRow.story_id)
        .where(StoryRow.merged_into.is_(None))  # a merged story lives on in its survivor
    )
    return list(session.scalars(query))


def latest_article(session: Session, story_id: str) -> Article | None:
    """The newest published version of a story's article."""
    row = session.scalar(
        select(ArticleRow)
        .where(ArticleRow.story_id == story_id, ArticleRow.published_at.is_not(None))
        .order_by(ArticleRow.version.desc())
        .limit(1)
    )
    return None if row is None else Article.model_validate(row.body)


def published_articles(session: Session) -> list[Article]:
    return [Article.model_validate(row.body) for row in _latest_published_rows(session)]


def list_published(session: Session, *, limit: int = 50, offset: int = 0) -> list[StorySummary]:
    """Published stories, most recently published first."""
    summaries = [_summarise(row) for row in _latest_published_rows(session)]
    # Newest news first: the time of a story's latest source, not of our publishing run.
    summaries.sort(key=lambda s: (s.latest_source_at, s.id), reverse=True)
    return summaries[offset : offset + limit]


def _summarise(row: ArticleRow) -> StorySummary:
    assert row.published_at is not None
    return StorySummary(
        id=row.story_id,
        headline=row.headline,
        standfirst=row.standfirst,
        version=row.version,
        published_at=row.published_at,
        source_count=len(row.body.get("sources", [])),
        latest_source_at=_latest_source_time(row.body) or row.published_at,
    )


def _latest_source_time(body: dict[str, Any]) -> datetime | None:
    times = [SourceRef.model_validate(source).published for source in body.get("sources", [])]
    known = [t for t in times if t is not None]
    return max(known) if known else None


# --- related stories -------------------------------------------------------


def replace_related(session: Session, related: dict[str, list[tuple[str, float]]]) -> None:
    for story_id, neighbours in related.items():
        session.execute(delete(RelatedStoryRow).where(RelatedStoryRow.story_id == story_id))
        for rank, (other, score) in enumerate(neighbours):
            session.add(
                RelatedStoryRow(story_id=story_id, related_id=other, score=score, rank=rank)
            )
    session.flush()


def related_stories(session: Session, story_id: str) -> list[StorySummary]:
    ranked = session.scalars(
        select(RelatedStoryRow.related_id)
        .where(RelatedStoryRow.story_id == story_id)
        .order_by(RelatedStoryRow.rank)
    )
    wanted = list(ranked)
    by_id = {row.story_id: row for row in _latest_published_rows(session) if row.story_id in wanted}
    return [_summarise(by_id[other]) for other in wanted if other in by_id]
