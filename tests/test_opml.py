"""OPML import and export."""

from __future__ import annotations

import pytest

from loopback_server import FIXTURES, LoopbackServer
from newsdesk.ingest.opml import (
    MAX_OPML_BYTES,
    OPMLError,
    Subscription,
    parse_opml,
    render_opml,
)


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


def test_html_entity_names_are_read_as_characters() -> None:
    body = (
        b'<?xml version="1.0"?><opml version="2.0"><body>'
        b'<outline type="rss" text="Arch&aelig;ology &amp; caf&eacute;s &nosuchname;"'
        b' xmlUrl="https://a.example/feed?x=1&y=2"/></body></opml>'
    )
    (item,) = parse_opml(body)
    assert item.title == "Archæology & cafés &nosuchname;"
    assert item.url == "https://a.example/feed?x=1&y=2"  # a bare "&" is kept, not dropped


def test_unclosed_and_stray_tags_still_give_every_feed() -> None:
    body = (
        b'<opml version="2.0"><body><outline text="News">'
        b'<outline type="rss" text="One" xmlUrl="https://one.example/rss">'
        b'<outline type="rss" text="Two" xmlUrl="https://two.example/rss"></stray>'
    )
    assert [s.url for s in parse_opml(body)] == [
        "https://one.example/rss",
        "https://two.example/rss",
    ]


@pytest.mark.parametrize("name", ["xmlUrl", "xmlurl", "XMLURL", "xmlURL"])
def test_attribute_names_in_any_case(name: str) -> None:
    body = (
        f'<opml version="2.0"><body><OUTLINE TEXT="Folder"><outline TYPE="RSS" Title="T"'
        f' {name}="https://c.example/feed" HTMLURL="https://c.example/"/></OUTLINE></body></opml>'
    ).encode()
    (item,) = parse_opml(body)
    assert (item.url, item.title, item.site, item.category, item.kind) == (
        "https://c.example/feed",
        "T",
        "https://c.example/",
        "Folder",
        "feed",
    )


def test_sitemaps_and_pages_round_trip_through_export() -> None:
    sources = [
        Subscription(url="https://a.example/feed.xml", title="A", kind="feed"),
        Subscription(
            url="https://b.example/sitemap.xml", site="https://b.example/", kind="sitemap"
        ),
        Subscription(url="https://c.example/news/one.html", title="One story", kind="page"),
    ]
    text = render_opml(sources)
    assert 'type="sitemap"' in text and 'type="link"' in text
    assert text.count("xmlUrl=") == 1  # only the feed: other readers subscribe to any xmlUrl
    assert parse_opml(text.encode()) == [
        Subscription(url="https://a.example/feed.xml", title="A", kind="feed"),
        Subscription(
            url="https://b.example/sitemap.xml",
            title="https://b.example/sitemap.xml",
            site="https://b.example/",
            kind="sitemap",
        ),
        Subscription(url="https://c.example/news/one.html", title="One story", kind="page"),
    ]


def test_an_inclusion_of_another_list_is_not_a_source() -> None:
    body = (
        b'<opml version="2.0"><body>'
        b'<outline type="include" text="More" url="https://d.example/more.opml"/>'
        b'<outline type="link" text="Blogroll" url="https://d.example/blogroll.OPML"/>'
        b"</body></opml>"
    )
    assert parse_opml(body) == []


@pytest.mark.parametrize(
    "body",
    [
        # billion laughs and XXE inside a damaged file: refused before the lenient reading
        b'<!DOCTYPE opml [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;">]>'
        b'<opml><body><outline xmlUrl="https://x.example/&b;">',
        b'<!DOCTYPE opml [<!ENTITY x SYSTEM "file:///etc/passwd">]>'
        b'<opml><body><outline text="&x;" xmlUrl="https://x.example/f"></stray>',
    ],
)
def test_entity_declarations_are_refused_even_in_a_damaged_file(body: bytes) -> None:
    with pytest.raises(OPMLError, match="declares XML entities"):
        parse_opml(body)


def test_an_external_dtd_is_never_fetched() -> None:
    with LoopbackServer() as server:
        server.serve("/evil.dtd", b'<!ENTITY x "leaked">', content_type="application/xml-dtd")
        body = (
            f'<!DOCTYPE opml SYSTEM "{server.url("/evil.dtd")}">'
            '<opml><body><outline text="&x;" xmlUrl="https://x.example/f"></body>'
        ).encode()
        (item,) = parse_opml(body)
        assert server.requests == []
    assert item.url == "https://x.example/f" and item.title == "&x;"


def test_a_damaged_file_with_no_source_names_the_damage() -> None:
    with pytest.raises(OPMLError, match="not well-formed"):
        parse_opml(b"<opml xmlns><head><title>x</title></head>")


def test_an_oversized_file_is_refused() -> None:
    with pytest.raises(OPMLError, match="larger than"):
        parse_opml(b"<opml>" + b" " * MAX_OPML_BYTES + b"</opml>")
