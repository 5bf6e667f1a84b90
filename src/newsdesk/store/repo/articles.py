"""Article versions: saved, published, listed; and related stories of published ones."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import delete, func, select
from sqlalchemy.orm import Session

from newsdesk.records import Article, SourceRef
from newsdesk.store.base import utcnow
from newsdesk.store.models import ArticleRow, CitationRow, RelatedStoryRow, StoryRow
from newsdesk.store.site.generation import bump_generation


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


def publish_version(
    session: Session, story_id: str, version: int, topics: Sequence[str] | None = None
) -> None:
    """Publish a version, with the topics (section slugs) it was found to belong to
    (None: not decided; the site decides when it reads the version)."""
    row = session.scalar(
        select(ArticleRow).where(ArticleRow.story_id == story_id, ArticleRow.version == version)
    )
    if row is None:
        raise LookupError(f"story {story_id!r} has no article version {version}")
    if row.published_at is None:
        row.published_at = utcnow()
        row.topics = None if topics is None else ",".join(topics)
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
