"""Feed autodiscovery from a site's home page."""

from __future__ import annotations

from loopback_server import FIXTURES
from newsdesk.ingest.discover import discover_feeds

HOME = "https://estuary-courier.example/"


def test_announced_feeds_in_page_order() -> None:
    page = (FIXTURES / "site_home.html").read_bytes()
    assert discover_feeds(page, HOME) == [
        "https://estuary-courier.example/feeds/main.xml",
        "https://estuary-courier.example/feeds/sport.atom",
    ]


def test_feed_like_links_are_offered_when_none_is_announced() -> None:
    page = (
        b"<html><body><a href='/about'>About</a><a href='/rss.xml'>RSS</a>"
        b"<a href='javascript:void(0)/feed'>x</a><a href='/rss.xml'>again</a></body></html>"
    )
    assert discover_feeds(page, HOME) == ["https://estuary-courier.example/rss.xml"]


def test_a_page_without_feeds_or_html_gives_nothing() -> None:
    assert discover_feeds(b"<html><body><p>No feeds here.</p></body></html>", HOME) == []
    assert discover_feeds(b"", HOME) == []
