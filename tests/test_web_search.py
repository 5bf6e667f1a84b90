"""Search: FTS5 kept in sync with publishing by triggers, highlighted snippets, inert input."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import lxml.html
import pytest
from fastapi.testclient import TestClient
from sqlalchemy import text

from newsdesk.records import Article, Citation, Document, Section, Sentence, SourceRef
from newsdesk.store import desk
from newsdesk.store.db import Store
from newsdesk.store.site import search_index
from newsdesk.store.site.search_index import match_expression
from newsdesk.web import create_app
from web_seed import add_story, seeded_store, site_settings


@pytest.fixture
def site(tmp_path: Path) -> Iterator[tuple[TestClient, Store]]:
    settings, store = seeded_store(tmp_path)
    with TestClient(create_app(site_settings(settings), store)) as client:
        yield client, store
    store.close()


def ids(client: TestClient, query: str) -> list[str]:
    response = client.get("/api/search", params={"q": query})
    assert response.status_code == 200, response.text
    return [r["id"] for r in response.json()["results"]]


def one_sentence_story(story: str, text_: str) -> tuple[Document, Article]:
    doc = Document(id=f"doc-{story}", text=text_)
    sentence = Sentence(text=text_, citations=[Citation(document=doc.id, quote=text_)])
    article = Article(
        story=story,
        headline=text_[:40],
        standfirst=text_,
        sections=[Section(heading=None, paragraphs=[[sentence]])],
        facts=[],
        sources=[SourceRef(document=doc.id)],
    )
    return doc, article


def test_finds_stories_by_words_in_the_body_with_stemming(site: tuple[TestClient, Store]) -> None:
    client, _ = site
    assert ids(client, "bridge") == ["story-harbour-bridge"]
    assert "story-harbour-bridge" in ids(client, "repaired cables")  # porter: repair(ed)
    assert ids(client, "reserv") == ["story-eastbrook-reservoir"]  # prefix on the last word
    assert ids(client, "zebra unicorn") == []


def test_snippet_highlights_and_escapes(site: tuple[TestClient, Store]) -> None:
    client, store = site
    doc, article = one_sentence_story("story-x", "The <b>lighthouse</b> keeper & crew returned.")
    add_story(store, [doc], article)
    result = client.get("/api/search", params={"q": "lighthouse"}).json()["results"][0]
    assert "<mark>lighthouse</mark>" in result["snippet"]
    assert "&lt;b&gt;" in result["snippet"] and "<b>" not in result["snippet"]
    page = lxml.html.fromstring(client.get("/search", params={"q": "lighthouse"}).text)
    assert [m.text for m in page.xpath("//ol[@class='search-results']//mark")][:1] == ["lighthouse"]
    assert not page.xpath("//ol[@class='search-results']//b")


def test_index_follows_publish_and_unpublish(site: tuple[TestClient, Store]) -> None:
    client, store = site
    doc, article = one_sentence_story("story-new", "A glacier calved into the fjord.")
    add_story(store, [doc], article, publish=False)
    assert ids(client, "glacier") == []
    with store.session() as session:
        from newsdesk.store import repo

        repo.publish_version(session, "story-new", 1)
    assert ids(client, "glacier") == ["story-new"]
    with store.session() as session:
        desk.unpublish_all(session, "story-new")
    assert ids(client, "glacier") == []


@pytest.mark.parametrize("query", ['"', "NEAR(a b)", "bridge*^", "a:b", "' OR 1=1 --", "(", "*"])
def test_fts_syntax_in_queries_is_plain_text(site: tuple[TestClient, Store], query: str) -> None:
    client, _ = site
    assert client.get("/api/search", params={"q": query}).status_code == 200
    assert client.get("/search", params={"q": query}).status_code == 200


def test_match_expression_quotes_every_word() -> None:
    assert match_expression('bridge "cost') == '"bridge" AND "cost"*'
    assert match_expression("!!!") is None


def test_search_page_and_validation(site: tuple[TestClient, Store]) -> None:
    client, _ = site
    assert "Search the stories" in client.get("/search").text
    assert "No story matches" in client.get("/search", params={"q": "zebra"}).text
    assert client.get("/api/search").status_code == 422
    assert client.get("/api/search", params={"q": "x" * 201}).status_code == 422


@pytest.mark.sqlite_only  # PostgreSQL indexes a generated column: nothing to drift
def test_missing_triggers_are_recreated_and_the_index_rebuilt(
    site: tuple[TestClient, Store],
) -> None:
    client, store = site
    with store.engine.begin() as connection:
        connection.execute(text("DROP TRIGGER articles_fts_update"))
        connection.execute(text("DELETE FROM stories_fts"))
    assert ids(client, "bridge") == []
    assert search_index.ensure_index(store.engine) is True
    assert ids(client, "bridge") == ["story-harbour-bridge"]
    assert search_index.ensure_index(store.engine) is False
