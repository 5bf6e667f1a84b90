"""Shared setup for the web tests: a migrated SQLite file holding three invented stories."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from newsdesk.records import Article, Assignment, Document
from newsdesk.settings import Settings
from newsdesk.store import repo
from newsdesk.store.db import Store, migrate

FIXTURES = Path(__file__).parent / "fixtures" / "web"
STORY_IDS = ("story-harbour-bridge", "story-rail-bill", "story-eastbrook-reservoir")


def load_fixtures() -> list[dict[str, Any]]:
    return [json.loads(path.read_text("utf-8")) for path in sorted(FIXTURES.glob("*.json"))]


def add_story(
    store: Store, documents: list[Document], article: Article, *, publish: bool = True
) -> None:
    with store.session() as session:
        for doc in documents:
            repo.add_document(session, doc)
        repo.assign_documents(
            session, [Assignment(id=d.id, story=article.story) for d in documents]
        )
        repo.save_article(session, article)
        if publish:
            repo.publish_version(session, article.story, article.version)


def seeded_store(tmp_path: Path) -> tuple[Settings, Store]:
    """Migrate a fresh database, add the fixture stories and link each to the other two."""
    url = f"sqlite:///{(tmp_path / 'site.db').as_posix()}"
    migrate(url)
    store = Store(url)
    for fixture in load_fixtures():
        documents = [Document.model_validate(d) for d in fixture["documents"]]
        add_story(store, documents, Article.model_validate(fixture["article"]))
    related = {
        story: [(other, 0.5) for other in STORY_IDS if other != story] for story in STORY_IDS
    }
    with store.session() as session:
        repo.replace_related(session, related)
    return Settings(data_dir=tmp_path, database_url=url, site_name="Test Desk"), store
