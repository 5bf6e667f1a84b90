"""Published stories with their publication times, for feeds, sitemaps and sections."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from newsdesk.records import Article
from newsdesk.store.models import ArticleRow


@dataclass(frozen=True)
class Entry:
    """The latest published version of a story, when it first and last appeared."""

    article: Article
    first_published: datetime
    updated: datetime
    topics: list[str] | None = None
    """Its sections, as decided at publishing; None for versions published before that."""

    @property
    def story_id(self) -> str:
        return self.article.story

    @property
    def latest_source_at(self) -> datetime:
        known = [s.published for s in self.article.sources if s.published is not None]
        return max(known) if known else self.updated


def published_entries(session: Session, limit: int | None = None) -> list[Entry]:
    """Every published story, newest news first (by latest source, as the front page)."""
    times = (
        select(
            ArticleRow.story_id,
            func.max(ArticleRow.version).label("version"),
            func.min(ArticleRow.published_at).label("first"),
        )
        .where(ArticleRow.published_at.is_not(None))
        .group_by(ArticleRow.story_id)
        .subquery()
    )
    query = select(ArticleRow, times.c.first).join(
        times, (times.c.story_id == ArticleRow.story_id) & (times.c.version == ArticleRow.version)
    )
    entries = []
    for row, first in session.execute(query):
        assert row.published_at is not None
        article = Article.model_validate(row.body)
        topics = None if row.topics is None else [t for t in row.topics.split(",") if t]
        entries.append(Entry(article, first or row.published_at, row.published_at, topics))
    entries.sort(key=lambda e: (e.latest_source_at, e.story_id), reverse=True)
    return entries if limit is None else entries[:limit]


def publication_times(session: Session, story_id: str) -> tuple[datetime, datetime] | None:
    """When a story was first published and when its latest published version was."""
    first, last = session.execute(
        select(func.min(ArticleRow.published_at), func.max(ArticleRow.published_at)).where(
            ArticleRow.story_id == story_id, ArticleRow.published_at.is_not(None)
        )
    ).one()
    return None if first is None or last is None else (first, last)
