"""The sample wire's server: feeds, pages, sitemaps and HTTP behaviour on loopback."""

from __future__ import annotations

import calendar
import html
import http.client
import io
import json
import re
import xml.etree.ElementTree as ET
from collections.abc import Iterator
from datetime import UTC, datetime
from urllib.parse import urlsplit

import feedparser
import pytest
import trafilatura

from newsdesk.samplewire import (
    OUTLETS,
    WireArticle,
    WireServer,
    get_outlet,
    load_wire,
    start_wire_server,
)


@pytest.fixture(scope="module")
def wire() -> list[WireArticle]:
    return load_wire()


@pytest.fixture(scope="module")
def server(wire: list[WireArticle]) -> Iterator[WireServer]:
    with start_wire_server() as running:
        yield running


def request(
    url: str, method: str = "GET", headers: dict[str, str] | None = None
) -> tuple[int, http.client.HTTPMessage, bytes]:
    parts = urlsplit(url)
    assert parts.hostname is not None and parts.port is not None
    conn = http.client.HTTPConnection(parts.hostname, parts.port, timeout=10)
    try:
        conn.request(method, parts.path or "/", headers=headers or {})
        response = conn.getresponse()
        return response.status, response.headers, response.read()
    finally:
        conn.close()


def get_text(url: str) -> str:
    status, _, body = request(url)
    assert status == 200, url
    return body.decode("utf-8")


# --- the server ---------------------------------------------------------------------------


def test_every_feed_parses_with_absolute_links(server: WireServer, wire: list[WireArticle]) -> None:
    assert server.feed_urls() == [f"{server.base_url}/{o.slug}/feed.xml" for o in OUTLETS]
    for outlet, url in zip(OUTLETS, server.feed_urls(), strict=True):
        status, headers, body = request(url)
        assert status == 200
        assert headers["Content-Type"] == f"{outlet.feed_mime}; charset=utf-8"
        parsed = feedparser.parse(io.BytesIO(body))
        assert not parsed.bozo, (url, parsed.get("bozo_exception"))
        assert parsed.version == ("rss20" if outlet.feed_format == "rss" else "atom10")
        assert parsed.feed.title == outlet.name
        expected = sorted(
            (a for a in wire if a.outlet == outlet),
            key=lambda a: (a.published, a.slug),
            reverse=True,
        )
        assert len(parsed.entries) == len(expected) > 0
        for entry, article in zip(parsed.entries, expected, strict=True):
            assert entry.link == server.article_url(article)
            assert entry.link.startswith(server.base_url + "/")
            assert entry.id == entry.link
            assert entry.title == article.title
            assert entry.author == article.author
            assert entry.summary == article.summary
            published = datetime.fromtimestamp(calendar.timegm(entry.published_parsed), UTC)
            assert published == article.published.astimezone(UTC)


def test_feed_links_resolve_to_article_pages(server: WireServer, wire: list[WireArticle]) -> None:
    for article in wire:
        status, headers, body = request(server.article_url(article))
        assert status == 200, article.slug
        assert headers["Content-Type"] == "text/html; charset=utf-8"
        assert int(headers["Content-Length"]) == len(body)


def _norm(text: str) -> str:
    return " ".join(text.split())


def test_extractor_gets_the_article_not_the_boilerplate(
    server: WireServer, wire: list[WireArticle]
) -> None:
    for article in wire:
        page = get_text(server.article_url(article))
        # The boilerplate really is on the page ...
        for boilerplate in ("cookie", "newsletter", "Most read", "All rights reserved"):
            assert boilerplate in page
        extracted = trafilatura.extract(page, favor_precision=True)
        assert extracted, article.slug
        text = _norm(extracted)
        # ... but the extractor keeps every paragraph and drops the rest.
        for paragraph in article.paragraphs:
            assert _norm(paragraph) in text, (article.slug, paragraph[:60])
        lowered = text.lower()
        for boilerplate in ("we use cookies", "newsletter", "most read", "all rights reserved"):
            assert boilerplate not in lowered, (article.slug, boilerplate)


def test_article_page_metadata(server: WireServer, wire: list[WireArticle]) -> None:
    article = next(a for a in wire if a.story == "bridge-collapse")
    url = server.article_url(article)
    page = get_text(url)
    iso = article.published.isoformat()
    assert f'<link rel="canonical" href="{url}">' in page
    assert f'<meta property="article:published_time" content="{iso}">' in page
    assert f'<meta name="author" content="{article.author}">' in page
    assert '<meta property="og:title" content="' in page
    assert f'<time datetime="{iso}"' in page
    assert page.count("<article") == 1 and "<h1>" in page
    meta = trafilatura.extract_metadata(page)
    assert meta.author == article.author
    assert meta.date == article.published.date().isoformat()
    assert meta.sitename == article.outlet.name


def test_outlet_home_has_feed_autodiscovery_and_article_links(
    server: WireServer, wire: list[WireArticle]
) -> None:
    for outlet in OUTLETS:
        page = get_text(f"{server.base_url}/{outlet.slug}/")
        feed = f"{server.base_url}/{outlet.slug}/feed.xml"
        assert re.search(
            rf'<link rel="alternate" type="{re.escape(outlet.feed_mime)}"[^>]*'
            rf'href="{re.escape(feed)}"',
            page,
        )
        for article in wire:
            assert (f'href="{article.path}"' in page) == (article.outlet == outlet)


def test_index_and_opml_list_every_outlet(server: WireServer) -> None:
    index = get_text(server.base_url + "/")
    for outlet in OUTLETS:
        assert f'href="/{outlet.slug}/"' in index
    status, headers, body = request(server.opml_url)
    assert status == 200 and headers["Content-Type"].startswith("text/x-opml")
    outlines = ET.fromstring(body).iter("outline")
    assert [o.get("xmlUrl") for o in outlines if o.get("xmlUrl")] == server.feed_urls()


def test_sitemap_and_robots(server: WireServer, wire: list[WireArticle]) -> None:
    sitemap = ET.fromstring(request(server.url("/sitemap.xml"))[2])
    ns = "{http://www.sitemaps.org/schemas/sitemap/0.9}"
    locs = {loc.text for loc in sitemap.iter(f"{ns}loc")}
    assert locs == {server.article_url(a) for a in wire}
    assert f"Sitemap: {server.base_url}/sitemap.xml" in get_text(server.url("/robots.txt"))


@pytest.mark.parametrize(
    "path",
    ["/nope", "/meridian-post/2026/11/nope.html", "/meridian-post/feed.rss", "/nowhere/"],
)
def test_unknown_route_is_404(server: WireServer, path: str) -> None:
    status, headers, body = request(server.url(path))
    assert status == 404
    assert headers["Content-Type"] == "text/html; charset=utf-8"
    assert b"Page not found" in body
    status, _, body = request(server.url(path), method="HEAD")
    assert status == 404 and body == b""


def test_outlet_without_slash_redirects(server: WireServer) -> None:
    status, headers, _ = request(server.url("/harbor-ledger"))
    assert status == 301 and headers["Location"] == "/harbor-ledger/"


def test_head_matches_get_without_body(server: WireServer) -> None:
    url = server.feed_urls()[0]
    _, get_headers, get_body = request(url)
    status, head_headers, head_body = request(url, method="HEAD")
    assert status == 200 and head_body == b""
    assert head_headers["Content-Length"] == str(len(get_body))
    assert head_headers["Content-Type"] == get_headers["Content-Type"]
    assert head_headers["ETag"] == get_headers["ETag"]


def test_conditional_requests_get_304(server: WireServer) -> None:
    url = server.feed_urls()[1]
    _, headers, _ = request(url)
    status, _, body = request(url, headers={"If-None-Match": headers["ETag"]})
    assert status == 304 and body == b""
    status, _, _ = request(url, headers={"If-None-Match": '"something-else"'})
    assert status == 200
    status, _, _ = request(url, headers={"If-Modified-Since": headers["Last-Modified"]})
    assert status == 304
    status, _, _ = request(url, headers={"If-Modified-Since": "Sun, 01 Nov 2026 00:00:00 GMT"})
    assert status == 200


def test_html_and_xml_escaping() -> None:
    nasty = WireArticle(
        story="escaping",
        slug="escaping-test",
        outlet=get_outlet("harbor-ledger"),
        title='Rates <b>up</b> & "away" </script>',
        author="Ann <O'Hara>",
        published=datetime(2026, 11, 20, 9, 0, tzinfo=UTC),
        paragraphs=("<script>alert(1)</script> & more", "Second <i>paragraph</i>."),
    )
    rss = WireArticle(
        story="escaping",
        slug="escaping-rss",
        outlet=get_outlet("meridian-post"),
        title="Less <than> & more",
        author="Bo <Bee>",
        published=datetime(2026, 11, 20, 9, 0, tzinfo=UTC),
        paragraphs=("A <tag> & an ampersand.",),
    )
    with start_wire_server(articles=[nasty, rss]) as server:
        page = get_text(server.article_url(nasty))
        assert "<h1>Rates &lt;b&gt;up&lt;/b&gt; &amp; &quot;away&quot; &lt;/script&gt;</h1>" in page
        assert "<b>up</b>" not in page and "<script>alert" not in page
        assert "&lt;script&gt;alert(1)&lt;/script&gt; &amp; more" in page
        assert "Ann &lt;O&#x27;Hara&gt;" in page
        # The JSON-LD block survives intact and still says what the page says.
        ld = re.search(r'<script type="application/ld\+json">(.*?)</script>', page, re.S)
        assert ld is not None and json.loads(ld.group(1))["headline"] == nasty.title
        home = get_text(server.url("/harbor-ledger/"))
        assert "Rates &lt;b&gt;up" in home and "<b>up</b>" not in home
        for article in (nasty, rss):
            feed = feedparser.parse(io.BytesIO(request(server.feed_url(article.outlet))[2]))
            assert not feed.bozo
            assert feed.entries[0].title == article.title
            assert feed.entries[0].author == article.author
            entry = feed.entries[0]
            if article.outlet.feed_format == "rss":
                # An RSS description is HTML: the text comes back as escaped HTML.
                assert entry.summary_detail.type == "text/html"
                assert entry.summary == html.escape(article.summary, quote=False)
            else:
                assert entry.summary == article.summary


def test_close_releases_the_port() -> None:
    server = start_wire_server(articles=[])
    url = server.feed_urls()[0]
    status, _, body = request(url)
    assert status == 200
    assert len(feedparser.parse(io.BytesIO(body)).entries) == 0
    server.close()
    with pytest.raises(OSError):
        request(url)
