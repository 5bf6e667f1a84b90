"""Polling a feed served on loopback: documents, per-page errors, known entries."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime

import pytest

from loopback_server import LoopbackServer
from newsdesk.extract import make_document_id
from newsdesk.ingest import FeedEntry, FeedError, Fetcher, FetchError, poll_feed
from newsdesk.ingest.poll import select_new_entries
from newsdesk.settings import Settings

pytestmark = pytest.mark.anyio


@pytest.fixture
def wire() -> Iterator[LoopbackServer]:
    """The RSS fixture with three linked entries: two pages exist, one 404s."""
    with LoopbackServer() as server:
        server.serve_file("/feed.xml", "rss.xml", content_type="application/rss+xml")
        server.serve_file("/news/mill.html", "article_mill.html")
        server.serve_file("/news/ferry.html", "article_ferry.html")
        yield server


def make_fetcher() -> Fetcher:
    settings = Settings(_env_file=None, allow_private_networks=True, fetch_host_delay_s=0.0)
    return Fetcher(settings)


def never_known(url: str) -> bool:
    return False


async def test_polls_feed_into_documents_and_errors(wire: LoopbackServer) -> None:
    async with make_fetcher() as fetcher:
        poll = await poll_feed(wire.url("/feed.xml"), fetcher, never_known)
    assert poll.title == "The Estuary Courier"
    mill, ferry = poll.documents
    assert mill.url == wire.url("/news/mill.html")
    assert mill.id == make_document_id(wire.url("/news/mill.html"))
    assert mill.title == "Harbour town votes to rebuild its tidal mill"
    assert mill.source == "The Estuary Courier"
    assert mill.published == datetime(2026, 3, 14, 9, 30, tzinfo=UTC)  # from the page
    assert mill.text.startswith("Councillors in Saltmere")
    assert ferry.published == datetime(2026, 3, 13, 16, 5, tzinfo=UTC)  # from the feed
    assert ferry.id != mill.id
    [error] = poll.errors
    assert wire.url("/news/missing.html") in error and "404" in error


async def test_known_entries_are_not_fetched(wire: LoopbackServer) -> None:
    def is_known(url: str) -> bool:
        return url.endswith("/news/ferry.html")

    async with make_fetcher() as fetcher:
        poll = await poll_feed(wire.url("/feed.xml"), fetcher, is_known)
    assert [document.title for document in poll.documents] == [
        "Harbour town votes to rebuild its tidal mill"
    ]
    assert len(poll.errors) == 1
    assert "/news/ferry.html" not in wire.requests


def test_entries_known_by_canonical_url_or_repeated_are_skipped() -> None:
    entries = [
        FeedEntry(url="https://news.example/a?utm_source=rss"),
        FeedEntry(url="https://news.example/b"),
        FeedEntry(url="https://news.example/b#comments"),
    ]
    known = {"https://news.example/a"}
    fresh = select_new_entries(entries, known.__contains__)
    assert [entry.url for entry in fresh] == ["https://news.example/b"]


async def test_source_falls_back_to_the_feed_title(wire: LoopbackServer) -> None:
    body = (
        b"<html><body><article>"
        + b"<p>The harbour school opened a small museum of tide tables on Monday, "
        b"with charts drawn by pupils over the last three winters and a working "
        b"model of the old sluice gates that visitors may open and close.</p>"
        * 2
        + b"</article></body></html>"
    )
    wire.serve("/news/mill.html", body)  # no site name in this page
    async with make_fetcher() as fetcher:
        poll = await poll_feed(wire.url("/feed.xml"), fetcher, never_known)
    assert poll.documents[0].source == "The Estuary Courier"


async def test_a_page_that_is_not_html_is_an_error(wire: LoopbackServer) -> None:
    wire.serve("/news/ferry.html", b"%PDF-1.7", content_type="application/pdf")
    async with make_fetcher() as fetcher:
        poll = await poll_feed(wire.url("/feed.xml"), fetcher, never_known)
    assert len(poll.documents) == 1
    assert any("not an HTML page (application/pdf)" in error for error in poll.errors)


async def test_a_failing_feed_raises(wire: LoopbackServer) -> None:
    async with make_fetcher() as fetcher:
        with pytest.raises(FetchError, match="HTTP 404"):
            await poll_feed(wire.url("/no-feed.xml"), fetcher, never_known)
        with pytest.raises(FeedError, match="HTML page"):
            await poll_feed(wire.url("/news/mill.html"), fetcher, never_known)
