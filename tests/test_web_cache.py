"""The render cache: anonymous pages are served from it and dropped when the site changes."""

from __future__ import annotations

from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from newsdesk.records import Article, Citation, Document, Section, Sentence, SourceRef
from newsdesk.store import repo
from newsdesk.store.db import Store
from newsdesk.web import create_app
from web_seed import add_story, seeded_store, sign_up, site_settings, use_fast_hashing


def new_story(story: str, words: str) -> tuple[Document, Article]:
    doc = Document(id=f"doc-{story}", text=words)
    sentence = Sentence(text=words, citations=[Citation(document=doc.id, quote=words)])
    article = Article(
        story=story,
        headline=words,
        standfirst=words,
        sections=[Section(heading=None, paragraphs=[[sentence]])],
        facts=[],
        sources=[SourceRef(document=doc.id)],
    )
    return doc, article


def test_publish_by_another_process_shows_after_the_check_interval(tmp_path: Path) -> None:
    settings, store = seeded_store(tmp_path)
    lazy = create_app(site_settings(settings, page_cache_check_s=3600.0), store)
    eager = create_app(site_settings(settings, page_cache_check_s=0.0), store)
    with TestClient(lazy) as slow, TestClient(eager) as fast:
        assert "Otters return" not in slow.get("/").text
        assert "Otters return" not in fast.get("/").text
        other = Store(store.url)  # as the pipeline in another process would
        doc, article = new_story("story-otters", "Otters return to the estuary")
        add_story(other, [doc], article, publish=False)
        with other.session() as session:
            repo.publish_version(session, "story-otters", 1)
        other.close()
        assert "Otters return" in fast.get("/").text
        assert "Otters return" in fast.get("/feed.xml").text
        assert "Otters return" not in slow.get("/").text  # proof that it was cached
        slow.app.state.page_cache.clear()  # type: ignore[attr-defined]
        assert "Otters return" in slow.get("/").text
    store.close()


def test_cache_is_keyed_by_host_so_it_cannot_be_poisoned(tmp_path: Path) -> None:
    settings, store = seeded_store(tmp_path)
    with TestClient(
        create_app(site_settings(settings, page_cache_check_s=3600.0), store)
    ) as client:
        poisoned = client.get("/feed.xml", headers={"Host": "evil.example"})
        assert "evil.example" in poisoned.text
        assert "evil.example" not in client.get("/feed.xml").text
        assert "evil.example" not in client.get("/stories/story-harbour-bridge").text
    store.close()


def test_signed_in_pages_are_never_cached_or_shared(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    use_fast_hashing(monkeypatch)
    settings, store = seeded_store(tmp_path)
    with TestClient(
        create_app(site_settings(settings, page_cache_check_s=3600.0), store)
    ) as client:
        anonymous = TestClient(client.app)
        assert "Signed in as" not in anonymous.get("/").text  # now cached
        sign_up(client, "ada@example.org", "Ada")
        mine = client.get("/")
        assert "Signed in as Ada" in mine.text
        assert mine.headers["cache-control"] == "no-store"
        assert "Signed in as" not in anonymous.get("/").text
    store.close()
