"""OPML import and export."""

from __future__ import annotations

import pytest

from loopback_server import FIXTURES
from newsdesk.ingest.opml import OPMLError, Subscription, parse_opml, render_opml


def test_reads_every_http_feed_once_with_its_category() -> None:
    subscriptions = parse_opml((FIXTURES / "feeds.opml").read_bytes())
    assert [s.url for s in subscriptions] == [
        "https://estuary-courier.example/feeds/main.xml",
        "https://hillside-gazette.example/feeds/atom",
        "https://quay.example/feed.json",
    ]
    courier = subscriptions[0]
    assert courier.title == "The Estuary Courier"
    assert courier.site == "https://estuary-courier.example/"
    assert courier.category == "Local"
    assert subscriptions[2].category is None


def test_export_round_trips_and_escapes() -> None:
    subscriptions = [
        Subscription(url="https://a.example/feed?x=1&y=2", title='Fish & "Chips" <daily>'),
        Subscription(url="https://b.example/rss", site="https://b.example/"),
    ]
    text = render_opml(subscriptions, title="Desk & co")
    assert "<daily>" not in text and "&amp;" in text
    again = parse_opml(text.encode())
    assert [(s.url, s.title) for s in again] == [
        ("https://a.example/feed?x=1&y=2", 'Fish & "Chips" <daily>'),
        ("https://b.example/rss", "https://b.example/rss"),
    ]
    assert again[1].site == "https://b.example/"


@pytest.mark.parametrize(
    ("body", "message"),
    [
        (b"<html><body/></html>", "is not OPML"),
        (b"<opml><body>", "not well-formed"),
        (
            b'<!DOCTYPE opml [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;">]>'
            b'<opml><body><outline xmlUrl="https://x.example/&b;"/></body></opml>',
            "declares XML entities",
        ),
    ],
)
def test_bad_opml_is_a_clear_error(body: bytes, message: str) -> None:
    with pytest.raises(OPMLError, match=message):
        parse_opml(body, "subs.opml")
