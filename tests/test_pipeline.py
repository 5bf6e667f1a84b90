"""The whole path on the embedded default: sample wire -> ingest ... publish -> site."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from loopback_server import LoopbackServer
from newsdesk.pipeline import Pipeline
from newsdesk.records import Assignment, Document
from newsdesk.samplewire import WireServer, load_wire, start_wire_server
from newsdesk.settings import Settings
from newsdesk.store import Store, migrate, repo
from newsdesk.store.models import ArticleRow, SourceRow
from newsdesk.web import create_app
from testdb import create_database_url, drop_database_url


@pytest.fixture(scope="module")
def wire() -> Iterator[WireServer]:
    with start_wire_server() as server:
        yield server


def add_sources(store: Store, urls: list[str]) -> None:
    with store.session() as session:
        for url in urls:
            repo.add_source(session, url, allow_private=True)


@pytest.fixture(scope="module")
def published(wire: WireServer, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Store]:
    """One full run on the sample wire, shared by the read-only tests of this module."""
    folder = tmp_path_factory.mktemp("published")
    url = create_database_url(folder)
    migrate(url)
    store = Store(url)
    add_sources(store, wire.feed_urls())
    results = Pipeline(store, Settings(data_dir=folder)).run()
    assert [r.errors for r in results] == [[], [], [], []]
    yield store
    store.close()
    drop_database_url(url)


def test_every_sample_article_is_ingested_once(published: Store) -> None:
    with published.session() as session:
        assert repo.count_documents(session) == len(load_wire())


def test_stories_match_the_sample_wire_events(published: Store) -> None:
    """Each published story holds the articles of exactly one invented event, and all of them."""
    story_of_slug = {a.slug: a.story for a in load_wire()}
    with published.session() as session:
        grouped = repo.documents_by_story(session)
    found = sorted(
        sorted({story_of_slug[_slug(doc.url)] for doc in docs}) for docs in grouped.values()
    )
    expected = sorted([[key] for key in set(story_of_slug.values())])
    assert found == expected


def _slug(url: str | None) -> str:
    assert url is not None
    return url.rsplit("/", 1)[-1].removesuffix(".html")


def test_at_least_ten_stories_are_published_with_verbatim_citations(published: Store) -> None:
    with published.session() as session:
        articles = repo.published_articles(session)
        texts = {d.id: d.text for docs in repo.documents_by_story(session).values() for d in docs}
    assert len(articles) >= 10
    for article in articles:
        assert article.sentences(), article.story
        cited = [*article.sentences(), *article.facts]
        for item in cited:
            assert item.citations, (article.story, item)
            for citation in item.citations:
                assert citation.quote in texts[citation.document], (article.story, citation)
        assert 4 <= len(article.facts) <= 6, article.story
        assert len({f.aspect for f in article.facts}) == len(article.facts)
        assert article.verification.checked > 0
        assert article.verification.removed + article.verification.supported == (
            article.verification.checked
        )


def test_site_shows_every_part_of_each_sample_story(published: Store, tmp_path: Path) -> None:
    client = TestClient(create_app(Settings(data_dir=tmp_path), published))
    front = client.get("/")
    assert front.status_code == 200
    with published.session() as session:
        summaries = repo.list_published(session, limit=100)
    for summary in summaries:
        assert f"/stories/{summary.id}" in front.text
        page = client.get(f"/stories/{summary.id}").text
        for part in (
            "<h1",
            "<h2",
            '<th scope="col">Aspect</th>',
            "Details</th>",
            "AI-generated from the source articles listed below; errors may occur; "
            "verify with the original sources",
            "Related stories",
            "Sign in to join the conversation",
            'class="cite"',
        ):
            assert part in page, (summary.id, part)
        api = client.get(f"/api/stories/{summary.id}").json()
        assert api["story"] == summary.id and api["sections"]


def test_second_run_adds_nothing(published: Store, tmp_path: Path) -> None:
    with published.session() as session:
        before = (repo.count_documents(session), _count_articles(session))
    results = Pipeline(published, Settings(data_dir=tmp_path)).run()
    assert [r.items for r in results] == [0, 0, 0, 0]
    with published.session() as session:
        assert (repo.count_documents(session), _count_articles(session)) == before


def _count_articles(session: Session) -> int:
    return session.scalar(select(func.count()).select_from(ArticleRow)) or 0


def test_new_document_revises_its_story(store: Store, wire: WireServer, tmp_path: Path) -> None:
    """A story that gains a source gets a new article version; the old one is kept."""
    first, *rest = wire.feed_urls()
    add_sources(store, rest)
    pipeline = Pipeline(store, Settings(data_dir=tmp_path))
    pipeline.run()
    with store.session() as session:
        versions_before = {s.id: s.version for s in repo.list_published(session, limit=100)}
    add_sources(store, [first])
    results = pipeline.run()
    assert results[0].items > 0
    with store.session() as session:
        after = {s.id: s.version for s in repo.list_published(session, limit=100)}
    revised = [sid for sid, v in after.items() if sid in versions_before and v > 1]
    assert revised, "some story should have gained a document and a second version"
    assert all(after[sid] == versions_before[sid] + 1 for sid in revised)


def test_failing_sources_are_reported_and_store_nothing(store: Store, tmp_path: Path) -> None:
    with LoopbackServer() as server:
        server.serve("/not-xml", b"this is { not a feed", content_type="text/plain")
        server.serve("/empty", b"", content_type="application/rss+xml")
        server.serve("/feed", _feed_of(server.url("/no-text")), content_type="application/rss+xml")
        server.serve("/no-text", b"<html><body><nav>Home</nav></body></html>")
        dead = "http://127.0.0.1:9/feed.xml"  # the discard port: nothing listens there
        urls = [server.url("/not-xml"), server.url("/empty"), server.url("/feed"), dead]
        add_sources(store, urls)
        result = Pipeline(store, Settings(data_dir=tmp_path)).ingest()
    assert result.items == 0
    assert len(result.errors) == 4, result.errors
    assert all(any(url in e for e in result.errors) for url in urls[:2] + urls[3:])
    with store.session() as session:
        assert repo.count_documents(session) == 0
        health = {row.url: row.last_error for row in session.scalars(select(SourceRow))}
    assert all(health[url] for url in urls), health
    assert "no article text" in health[server.url("/feed")]
    assert "refused" in health[dead] or "connect" in health[dead].lower()


def _feed_of(link: str) -> bytes:
    return (
        '<?xml version="1.0"?><rss version="2.0"><channel><title>T</title>'
        f"<link>{link}</link><item><title>Empty page</title><link>{link}</link></item>"
        "</channel></rss>"
    ).encode()


def test_a_split_made_on_few_documents_is_undone_once_they_have_doubled(
    store: Store, tmp_path: Path
) -> None:
    """The cluster stage looks again at recorded splits (here of one ferry report series
    split on 3 documents) when the term statistics have doubled since, and merges back."""
    fixtures = Path(__file__).parent / "fixtures" / "cluster"
    ferry = json.loads((fixtures / "revise.json").read_text())
    events = json.loads((fixtures / "events.json").read_text())
    chess = {k: v for k, v in events.items() if k.startswith("chess")}
    with store.session() as session:
        for doc_id, text in [*ferry.items(), *chess.items()]:
            repo.add_document(session, Document(id=doc_id, text=text))
        names = sorted(ferry)
        repo.assign_documents(session, [Assignment(id=d, story="s-ferry") for d in names])
        repo.apply_move(session, "split", "s-ferry", "s-part", names[3:], -0.3, counted=3)
    result = Pipeline(store, Settings(data_dir=tmp_path)).cluster()
    assert (result.items, result.errors) == (2, [])
    with store.session() as session:
        assert repo.resolve_story_id(session, "s-part") == "s-ferry"
        stories = repo.open_story_documents(session)
        assert sorted(d.id for d in stories["s-ferry"]) == names
        assert [m.kind for m in repo.story_moves(session, "s-ferry")] == ["split", "merge"]
