"""Sections: topics derived from the stories' words, and outlets."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from newsdesk.publish.sections import slugify, topics_of
from newsdesk.records import Article
from newsdesk.web import create_app
from web_seed import load_fixtures, seeded_store, site_settings


@pytest.fixture
def client(tmp_path: Path) -> Iterator[TestClient]:
    settings, store = seeded_store(tmp_path)
    with TestClient(create_app(site_settings(settings), store)) as test_client:
        yield test_client
    store.close()


def articles() -> dict[str, Article]:
    found = (Article.model_validate(f["article"]) for f in load_fixtures())
    return {a.story: a for a in found}


def test_topics_come_from_the_story_words() -> None:
    topics = {story: topics_of(article) for story, article in articles().items()}
    assert "transport" in topics["story-harbour-bridge"]
    assert "politics" in topics["story-rail-bill"]
    assert "environment" in topics["story-eastbrook-reservoir"]
    assert all(len(t) <= 2 for t in topics.values())


def test_sections_page_lists_topics_and_outlets(client: TestClient) -> None:
    html = client.get("/sections").text
    assert 'href="/sections/transport"' in html
    assert 'href="/sections/outlet-the-meridian-post"' in html


def test_section_page_lists_its_stories(client: TestClient) -> None:
    html = client.get("/sections/transport").text
    assert "<h1>Transport</h1>" in html
    assert 'href="/stories/story-harbour-bridge"' in html
    outlet = client.get("/sections/outlet-the-meridian-post").text
    assert "The Meridian Post" in outlet
    assert client.get("/sections/unknown").status_code == 404


def test_topics_are_decided_once_when_a_version_is_published(tmp_path: Path) -> None:
    from newsdesk.operations import publish_versions
    from newsdesk.store import repo
    from newsdesk.store.models import ArticleRow

    settings, store = seeded_store(tmp_path)
    bridge = articles()["story-harbour-bridge"]
    with store.session() as session:
        repo.save_article(session, bridge.model_copy(update={"version": 2}))
        publish_versions(session, "story-harbour-bridge")
        row = session.query(ArticleRow).filter_by(story_id="story-harbour-bridge", version=2).one()
        assert row.topics is not None and row.topics.split(",") == topics_of(bridge)
        row.topics = "sport"  # the site reads what publishing decided, not the words again
    with TestClient(create_app(site_settings(settings), store)) as client:
        assert 'href="/stories/story-harbour-bridge"' in client.get("/sections/sport").text
        assert 'href="/stories/story-harbour-bridge"' not in client.get("/sections/transport").text
    store.close()


def test_slugify() -> None:
    assert slugify("The Meridian Post") == "the-meridian-post"
    assert slugify("<script>") == "script"
    assert slugify("!!!") == "unnamed"


def test_front_page_lists_most_covered_stories(client: TestClient) -> None:
    html = client.get("/").text
    assert "Most covered" in html
