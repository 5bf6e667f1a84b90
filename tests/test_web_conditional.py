"""Conditional GET and compression: ETag / Last-Modified, 304s, gzip, on the real site."""

from __future__ import annotations

import gzip
from collections.abc import AsyncIterator, Iterator
from datetime import timedelta
from email.utils import format_datetime, parsedate_to_datetime
from pathlib import Path

import feedparser
import pytest
from fastapi.testclient import TestClient
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import Response, StreamingResponse
from starlette.routing import Route

from newsdesk.records import Article, Citation, Document, Section, Sentence, SourceRef
from newsdesk.store.db import Store
from newsdesk.web import create_app
from newsdesk.web.http.conditional import ConditionalGetMiddleware
from web_seed import add_story, seeded_store, site_settings

FEEDS = ["/feed.xml", "/atom.xml", "/feed.json", "/sitemap.xml", "/sections/transport/feed.xml"]
PAGES = ["/", "/stories/story-harbour-bridge", "/api/stories", "/api/stories/story-rail-bill"]


@pytest.fixture
def site(tmp_path: Path) -> Iterator[tuple[TestClient, Store]]:
    settings, store = seeded_store(tmp_path)
    with TestClient(create_app(site_settings(settings), store)) as client:
        yield client, store
    store.close()


def publish_story(store: Store, story: str, words: str) -> None:
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
    add_story(store, [doc], article)


@pytest.mark.parametrize("path", FEEDS + PAGES)
def test_etag_then_304_with_an_empty_body(site: tuple[TestClient, Store], path: str) -> None:
    client, _ = site
    first = client.get(path)
    assert first.status_code == 200, first.text
    etag = first.headers["etag"]
    assert etag.startswith('W/"')
    again = client.get(path)  # an anonymous page: now from the render cache
    assert again.headers["etag"] == etag and again.content == first.content
    revalidated = client.get(path, headers={"If-None-Match": etag})
    assert revalidated.status_code == 304
    assert revalidated.content == b""
    assert revalidated.headers["etag"] == etag
    assert "content-type" not in revalidated.headers
    other = client.get(path, headers={"If-None-Match": 'W/"something-else", "x"'})
    assert other.status_code == 200 and other.content == first.content


def test_head_gets_the_validators_of_get(site: tuple[TestClient, Store]) -> None:
    client, _ = site
    got = client.get("/feed.xml")
    for _ in range(2):  # built by the route, then from the render cache
        head = client.head("/feed.xml")
        assert head.status_code == 200 and head.content == b""
        assert head.headers["etag"] == got.headers["etag"]
        assert head.headers["last-modified"] == got.headers["last-modified"]
    assert (
        client.head("/feed.xml", headers={"If-None-Match": got.headers["etag"]}).status_code == 304
    )


@pytest.mark.parametrize("path", ["/feed.xml", "/api/stories"])
def test_publishing_changes_the_etag(site: tuple[TestClient, Store], path: str) -> None:
    client, store = site
    old = client.get(path).headers["etag"]
    publish_story(store, "story-otters", "Otters return to the estuary")
    fresh = client.get(path, headers={"If-None-Match": old})
    assert fresh.status_code == 200
    assert "Otters return" in fresh.text
    assert fresh.headers["etag"] != old


def test_feed_last_modified_is_its_newest_update(site: tuple[TestClient, Store]) -> None:
    client, _ = site
    response = client.get("/atom.xml")
    stated = feedparser.parse(response.content).feed.updated_parsed
    last_modified = parsedate_to_datetime(response.headers["last-modified"])
    assert last_modified.utctimetuple()[:6] == tuple(stated)[:6]
    for path in ("/feed.xml", "/feed.json", "/sitemap.xml"):
        assert client.get(path).headers["last-modified"] == response.headers["last-modified"]
    assert "last-modified" not in client.get("/").headers  # pages: ETag only


def test_if_modified_since_on_a_feed(site: tuple[TestClient, Store]) -> None:
    client, _ = site
    last_modified = client.get("/feed.xml").headers["last-modified"]
    same = client.get("/feed.xml", headers={"If-Modified-Since": last_modified})
    assert same.status_code == 304 and same.content == b""
    assert same.headers["last-modified"] == last_modified
    earlier = parsedate_to_datetime(last_modified) - timedelta(seconds=1)
    older = client.get("/feed.xml", headers={"If-Modified-Since": format_datetime(earlier, True)})
    assert older.status_code == 200 and older.content
    garbled = client.get("/feed.xml", headers={"If-Modified-Since": "yesterday-ish"})
    assert garbled.status_code == 200
    # If-None-Match decides alone when both are sent (RFC 9110, 13.2.2).
    both = {"If-Modified-Since": last_modified, "If-None-Match": '"stale"'}
    assert client.get("/feed.xml", headers=both).status_code == 200


def test_a_newer_story_moves_last_modified(site: tuple[TestClient, Store]) -> None:
    client, store = site
    last_modified = client.get("/feed.xml").headers["last-modified"]
    publish_story(store, "story-otters", "Otters return to the estuary")
    newer = client.get("/feed.xml", headers={"If-Modified-Since": last_modified})
    assert newer.status_code == 200 and "Otters return" in newer.text
    assert parsedate_to_datetime(newer.headers["last-modified"]) >= parsedate_to_datetime(
        last_modified
    )


@pytest.mark.parametrize("path", ["/feed.xml", "/atom.xml", "/", "/api/stories"])
def test_gzip_when_asked(site: tuple[TestClient, Store], path: str) -> None:
    client, _ = site
    plain = client.get(path, headers={"Accept-Encoding": "identity"})
    assert "content-encoding" not in plain.headers
    assert "Accept-Encoding" in plain.headers["vary"]
    with client.stream("GET", path, headers={"Accept-Encoding": "gzip"}) as zipped:
        assert zipped.headers["content-encoding"] == "gzip"
        assert "Accept-Encoding" in zipped.headers["vary"]
        assert zipped.headers["etag"] == plain.headers["etag"]
        raw = b"".join(zipped.iter_raw())
    assert len(raw) < len(plain.content)
    assert gzip.decompress(raw) == plain.content
    not_modified = client.get(
        path, headers={"Accept-Encoding": "gzip", "If-None-Match": plain.headers["etag"]}
    )
    assert not_modified.status_code == 304
    assert "Accept-Encoding" in not_modified.headers["vary"]


def test_pages_that_set_a_cookie_get_no_validator(site: tuple[TestClient, Store]) -> None:
    client, _ = site
    form = client.get("/login", headers={"If-None-Match": "*"})  # starts a session
    assert form.status_code == 200
    assert "set-cookie" in form.headers
    assert "etag" not in form.headers
    assert form.headers["cache-control"] == "no-store"
    again = client.get("/login", headers={"If-None-Match": "*"})  # with the session cookie
    assert again.status_code == 200 and "etag" not in again.headers


def test_errors_and_writes_get_no_validator(site: tuple[TestClient, Store]) -> None:
    client, _ = site
    missing = client.get("/api/stories/no-such-story", headers={"If-None-Match": "*"})
    assert missing.status_code == 404 and "etag" not in missing.headers
    write = client.post("/api/sources", json={"url": "https://feeds.example/rss"})
    assert write.status_code == 401 and "etag" not in write.headers


def test_body_limit_still_answers_413(tmp_path: Path) -> None:
    settings, store = seeded_store(tmp_path)
    app = create_app(site_settings(settings, max_body_bytes=1000), store)
    with TestClient(app) as client:
        response = client.post("/login", content=b"x" * 5000, headers={"Accept-Encoding": "gzip"})
        assert response.status_code == 413
    store.close()


async def _page(_request: Request) -> Response:
    return Response("hello", headers={"Cache-Control": "max-age=60"})


async def _stream(_request: Request) -> Response:
    async def chunks() -> AsyncIterator[bytes]:
        yield b"first "
        yield b"second"

    return StreamingResponse(chunks(), media_type="text/plain")


def test_cache_control_is_kept_and_streams_pass_untouched() -> None:
    app = Starlette(routes=[Route("/page", _page), Route("/stream", _stream)])
    client = TestClient(ConditionalGetMiddleware(app))
    etag = client.get("/page").headers["etag"]
    not_modified = client.get("/page", headers={"If-None-Match": etag})
    assert not_modified.status_code == 304
    assert not_modified.headers["cache-control"] == "max-age=60"
    streamed = client.get("/stream", headers={"If-None-Match": "*"})
    assert streamed.status_code == 200 and streamed.content == b"first second"
    assert "etag" not in streamed.headers
