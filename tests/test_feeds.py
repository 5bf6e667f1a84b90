"""Feed parsing: RSS and Atom fixtures, and the bodies that must be refused."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

import pytest

from loopback_server import FIXTURES, LoopbackServer
from newsdesk.ingest.feeds import FeedError, parse_feed

FEED_URL = "https://estuary-courier.example/feeds/main.xml"


def read_fixture(name: str) -> bytes:
    return (FIXTURES / name).read_bytes()


def test_parses_rss_resolving_relative_links() -> None:
    feed = parse_feed(read_fixture("rss.xml"), FEED_URL)
    assert feed.title == "The Estuary Courier"
    assert feed.link == "https://estuary-courier.example/"
    assert [entry.url for entry in feed.entries] == [
        "https://estuary-courier.example/news/mill.html",
        "https://estuary-courier.example/news/ferry.html",
        "https://estuary-courier.example/news/missing.html",
    ]  # the item without a link is skipped
    first, second, third = feed.entries
    assert first.title == "Harbour town votes to rebuild its tidal mill"
    assert first.published == datetime(2026, 3, 14, 9, 30, tzinfo=UTC)
    assert first.author == "Mara Quillfeather"
    assert first.summary == "Councillors back a 2.4 million euro plan."
    assert second.published == datetime(2026, 3, 13, 16, 5, tzinfo=UTC)  # +0100 -> UTC
    assert third.published is None


def test_parses_atom() -> None:
    feed = parse_feed(read_fixture("atom.xml"), "https://hillside-gazette.example/feeds/atom")
    assert feed.title == "Hillside Gazette"
    quarry, choir = feed.entries
    assert quarry.url == "https://hillside-gazette.example/feeds/articles/quarry-road"
    assert quarry.author == "Ines Calloway"
    assert quarry.published == datetime(2026, 4, 1, 6, 45, tzinfo=UTC)
    assert choir.url == "https://hillside-gazette.example/articles/choir-prize"
    assert choir.published == datetime(2026, 3, 30, 17, 20, tzinfo=UTC)  # from <updated>
    assert choir.summary == "Forty voices, one trophy."


def test_a_valid_feed_with_no_items_is_empty_not_an_error() -> None:
    body = b'<rss version="2.0"><channel><title>Quiet week</title></channel></rss>'
    feed = parse_feed(body, FEED_URL)
    assert (feed.title, feed.entries) == ("Quiet week", [])


@pytest.mark.parametrize("body", [b"", b"  \n\t "])
def test_empty_body_is_refused(body: bytes) -> None:
    with pytest.raises(FeedError, match="is empty"):
        parse_feed(body, FEED_URL)


@pytest.mark.parametrize(
    "body",
    [b'{"items": []}', b"just some words, not XML", b"<rss><channel><item><title>cut"],
)
def test_non_feed_body_is_refused(body: bytes) -> None:
    with pytest.raises(FeedError, match="is not an RSS or Atom feed"):
        parse_feed(body, FEED_URL)


@pytest.mark.parametrize(
    "body",
    [
        read_fixture("article_mill.html"),
        b'<?xml version="1.0"?>\n<html xmlns="http://www.w3.org/1999/xhtml"><body/></html>',
        b"<!-- note -->\n<HTML><body><p>hi</p></body></HTML>",
    ],
)
def test_html_page_given_as_feed_is_refused(body: bytes) -> None:
    with pytest.raises(FeedError, match="is an HTML page, not a feed"):
        parse_feed(body, FEED_URL)


def test_entries_without_links_are_refused_when_none_is_usable() -> None:
    body = (
        b'<rss version="2.0"><channel><title>T</title>'
        b"<item><title>no link</title></item>"
        b"<item><title>bad link</title><link>javascript:alert(1)</link></item>"
        b"</channel></rss>"
    )
    with pytest.raises(FeedError, match="none of the 2 entries"):
        parse_feed(body, FEED_URL)


def test_a_path_as_body_is_not_read_as_a_file(tmp_path: Path) -> None:
    # A valid feed on disk: had feedparser opened the path, this would parse.
    feed_file = tmp_path / "feed.xml"
    feed_file.write_bytes(read_fixture("rss.xml"))
    with pytest.raises(FeedError):
        parse_feed(str(feed_file).encode(), FEED_URL)
    with pytest.raises(FeedError) as caught:
        parse_feed(b"/etc/passwd", FEED_URL)
    assert "root:" not in str(caught.value)


def test_a_url_as_body_is_not_fetched() -> None:
    with LoopbackServer() as server:
        server.serve_file("/feed.xml", "rss.xml", content_type="application/rss+xml")
        with pytest.raises(FeedError):
            parse_feed(server.url("/feed.xml").encode(), FEED_URL)
        assert server.requests == []
