"""The pipeline's tables (sources, documents, stories, articles ...); the site's are in
``site_models``. Schema changes go through Alembic."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import (
    JSON,
    Float,
    ForeignKey,
    Integer,
    LargeBinary,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy import false as sa_false
from sqlalchemy.orm import Mapped, mapped_column

from newsdesk.store.base import Base, UTCDateTime, utcnow


class SourceRow(Base):
    __tablename__ = "sources"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    url: Mapped[str] = mapped_column(String(2048), unique=True)
    kind: Mapped[str] = mapped_column(String(32), default="feed")
    title: Mapped[str | None] = mapped_column(String(512))
    allow_private: Mapped[bool] = mapped_column(default=False)
    items_seen: Mapped[int] = mapped_column(Integer, default=0)
    last_fetch_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    last_success_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    last_error: Mapped[str | None] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    # Polling state (issue 3): validators for conditional GET, consecutive failures, the
    # earliest next poll (backoff, Retry-After) and whether failures paused the source.
    etag: Mapped[str | None] = mapped_column(String(512))
    last_modified: Mapped[str | None] = mapped_column(String(64))
    failures: Mapped[int] = mapped_column(Integer, default=0, server_default="0")
    next_poll_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    paused: Mapped[bool] = mapped_column(default=False, server_default=sa_false())


class DocumentRow(Base):
    __tablename__ = "documents"

    id: Mapped[str] = mapped_column(String(64), primary_key=True)
    content_hash: Mapped[str] = mapped_column(String(64), unique=True)
    url: Mapped[str | None] = mapped_column(String(2048), unique=True)
    source_name: Mapped[str | None] = mapped_column(String(512))
    title: Mapped[str | None] = mapped_column(Text)
    published: Mapped[datetime | None] = mapped_column(UTCDateTime())
    language: Mapped[str | None] = mapped_column(String(16))
    text: Mapped[str] = mapped_column(Text)
    source_id: Mapped[int | None] = mapped_column(ForeignKey("sources.id", ondelete="SET NULL"))
    fetched_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    # A near-duplicate (a syndicated copy) names its original; both stay stored.
    duplicate_of: Mapped[str | None] = mapped_column(String(64), index=True)
    author: Mapped[str | None] = mapped_column(String(512))
    updated: Mapped[datetime | None] = mapped_column(UTCDateTime())
    image_url: Mapped[str | None] = mapped_column(String(2048))
    extractor: Mapped[str | None] = mapped_column(String(32))
    # Why the page is not a news article; such documents are never clustered.
    not_news: Mapped[str | None] = mapped_column(String(200))


class StoryRow(Base):
    __tablename__ = "stories"

    id: Mapped[str] = mapped_column(String(64), primary_key=True)
    status: Mapped[str] = mapped_column(String(16), default="open")
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    # Bumped whenever a document joins; the writer compares it with the latest article.
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    # The writer's last outcome: None (never failed), "pending" (endpoint down, slow or
    # garbled: retried at write_retry_at), "held" (nothing survived the checker), "written".
    write_status: Mapped[str | None] = mapped_column(String(16))
    write_error: Mapped[str | None] = mapped_column(Text)
    write_attempts: Mapped[int] = mapped_column(Integer, default=0, server_default="0")
    write_retry_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    # Clustering: a story closes when it received nothing for the window; a story merged
    # into another names the survivor, so its URL can redirect there.
    closed_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    merged_into: Mapped[str | None] = mapped_column(String(64), index=True)


class StoryDocumentRow(Base):
    """Membership: each document belongs to exactly one story (primary key on document)."""

    __tablename__ = "story_documents"

    document_id: Mapped[str] = mapped_column(
        ForeignKey("documents.id", ondelete="CASCADE"), primary_key=True
    )
    story_id: Mapped[str] = mapped_column(ForeignKey("stories.id", ondelete="CASCADE"), index=True)
    added_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)


class ArticleRow(Base):
    """One version of a story's article; every version is kept."""

    __tablename__ = "articles"
    __table_args__ = (UniqueConstraint("story_id", "version"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    story_id: Mapped[str] = mapped_column(ForeignKey("stories.id", ondelete="CASCADE"), index=True)
    version: Mapped[int] = mapped_column(Integer)
    headline: Mapped[str] = mapped_column(Text)
    standfirst: Mapped[str] = mapped_column(Text)
    body: Mapped[dict[str, Any]] = mapped_column(JSON)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    published_at: Mapped[datetime | None] = mapped_column(UTCDateTime(), index=True)
    # Comma-separated topic slugs, decided when the version is published (migration 0011);
    # None for versions published before that.
    topics: Mapped[str | None] = mapped_column(String(200))


class CitationRow(Base):
    """Citations of an article version, flattened so a source's uses can be queried."""

    __tablename__ = "citations"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    article_id: Mapped[int] = mapped_column(
        ForeignKey("articles.id", ondelete="CASCADE"), index=True
    )
    sentence_index: Mapped[int] = mapped_column(Integer)
    document_id: Mapped[str] = mapped_column(ForeignKey("documents.id"), index=True)
    quote: Mapped[str] = mapped_column(Text)


class RelatedStoryRow(Base):
    __tablename__ = "related_stories"

    story_id: Mapped[str] = mapped_column(
        ForeignKey("stories.id", ondelete="CASCADE"), primary_key=True
    )
    related_id: Mapped[str] = mapped_column(
        ForeignKey("stories.id", ondelete="CASCADE"), primary_key=True
    )
    score: Mapped[float] = mapped_column(Float)
    rank: Mapped[int] = mapped_column(Integer)


class StoryMoveRow(Base):
    """One correction by the clusterer: documents moved by a merge or a split."""

    __tablename__ = "story_moves"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    kind: Mapped[str] = mapped_column(String(16))  # "merge" or "split"
    source_story: Mapped[str] = mapped_column(String(64), index=True)
    target_story: Mapped[str] = mapped_column(String(64), index=True)
    documents: Mapped[list[str]] = mapped_column(JSON)
    score: Mapped[float] = mapped_column(Float)
    # Documents in the clusterer's term statistics when it made the move (None before 0009).
    counted: Mapped[int | None] = mapped_column(Integer, nullable=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)


class StoryVectorRow(Base):
    """A published story's embedding (of its latest article), for related stories."""

    __tablename__ = "story_vectors"

    story_id: Mapped[str] = mapped_column(
        ForeignKey("stories.id", ondelete="CASCADE"), primary_key=True
    )
    model: Mapped[str] = mapped_column(String(64))
    vector: Mapped[bytes] = mapped_column(LargeBinary)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
