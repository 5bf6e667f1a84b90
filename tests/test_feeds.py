"""Feed parsing: RSS and Atom fixtures, and the bodies that must be refused."""

from __future__ import annotations

import json
import tracemalloc
from datetime import UTC, datetime, timedelta
from email.utils import format_datetime
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from loopback_server import FIXTURES, LoopbackServer
from newsdesk.ingest.feeddates import date_parser
from newsdesk.ingest.feeds import FeedError, parse_feed
from newsdesk.ingest.sitemaps import parse_sitemap

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
    with pytest.raises(FeedError, match="is not an RSS, Atom or JSON feed"):
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


# --- every feed format ----------------------------------------------------------------------


def test_parses_rss_091_and_rdf_10() -> None:
    rss091 = (
        b'<?xml version="1.0"?><rss version="0.91"><channel><title>Old Wire</title>'
        b"<link>https://old.example/</link><item><title>Kiln relit</title>"
        b"<link>https://old.example/kiln</link></item></channel></rss>"
    )
    rdf = (
        b'<?xml version="1.0"?><rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#"'
        b' xmlns="http://purl.org/rss/1.0/" xmlns:dc="http://purl.org/dc/elements/1.1/">'
        b'<channel rdf:about="https://rdf.example/"><title>RDF Post</title></channel>'
        b'<item rdf:about="https://rdf.example/a"><title>Ferry fares</title>'
        b"<link>https://rdf.example/a</link><dc:date>2026-05-02T08:00:00Z</dc:date></item>"
        b"</rdf:RDF>"
    )
    old = parse_feed(rss091, FEED_URL)
    assert (old.title, [e.url for e in old.entries]) == ("Old Wire", ["https://old.example/kiln"])
    new = parse_feed(rdf, FEED_URL)
    assert new.title == "RDF Post"
    assert new.entries[0].published == datetime(2026, 5, 2, 8, tzinfo=UTC)


def test_parses_json_feed() -> None:
    body = json.dumps(
        {
            "version": "https://jsonfeed.org/version/1.1",
            "title": "Quay Notes",
            "home_page_url": "https://quay.example/",
            "items": [
                {
                    "id": "1",
                    "url": "/posts/crane",
                    "title": "Crane <b>returns</b>",
                    "date_published": "2026-06-01T10:00:00+02:00",
                    "authors": [{"name": "Pell Array"}],
                },
                {"id": "https://quay.example/posts/tide"},
                {"id": "no-link", "title": "skipped"},
            ],
        }
    ).encode()
    feed = parse_feed(body, "https://quay.example/feed.json")
    assert (feed.title, feed.link) == ("Quay Notes", "https://quay.example/")
    crane, tide = feed.entries
    assert crane.url == "https://quay.example/posts/crane"
    assert (crane.title, crane.author) == ("Crane returns", "Pell Array")
    assert crane.published == datetime(2026, 6, 1, 8, tzinfo=UTC)
    assert tide.url == "https://quay.example/posts/tide"


def test_json_that_is_not_a_json_feed_is_refused() -> None:
    with pytest.raises(FeedError, match="JSON without a feed version"):
        parse_feed(b'{"version": "2", "items": []}', FEED_URL)
    with pytest.raises(FeedError, match="not valid JSON"):
        parse_feed(b'{"version": ', FEED_URL)


# --- hostile feeds ----------------------------------------------------------------------------


def test_external_entities_are_never_read(tmp_path: Path) -> None:
    secret = tmp_path / "secret.txt"
    secret.write_text("TOP-SECRET-LINE")
    body = (
        f'<?xml version="1.0"?><!DOCTYPE rss [<!ENTITY xxe SYSTEM "file://{secret}">]>'
        '<rss version="2.0"><channel><title>T &xxe;</title><item><title>&xxe;</title>'
        "<link>https://x.example/a</link></item></channel></rss>"
    ).encode()
    try:
        feed = parse_feed(body, FEED_URL)
    except FeedError as error:
        assert "TOP-SECRET" not in str(error)
        return
    assert "TOP-SECRET" not in f"{feed.title} {feed.entries}"


def test_billion_laughs_does_not_explode() -> None:
    entities = '<!ENTITY lol0 "lol">' + "".join(
        f'<!ENTITY lol{i} "{f"&lol{i - 1};" * 10}">' for i in range(1, 10)
    )
    body = (
        f'<?xml version="1.0"?><!DOCTYPE rss [{entities}]><rss version="2.0"><channel>'
        "<title>&lol9;</title><item><title>&lol9;</title><link>https://x.example/a</link>"
        "</item></channel></rss>"
    ).encode()
    tracemalloc.start()
    try:
        try:
            feed = parse_feed(body, FEED_URL)
            text = f"{feed.title} {feed.entries}"
        except FeedError as error:
            text = str(error)
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert len(text) < 100_000  # 10^9 "lol"s were not expanded
    assert peak < 50_000_000


@pytest.mark.parametrize(
    ("declared", "payload"),
    [
        ("utf-8", "Café «quoted» — naïve".encode("cp1252")),  # says utf-8, is cp1252
        ("iso-8859-1", "Café".encode()),  # says latin-1, is utf-8
    ],
)
def test_wrong_declared_encodings_still_give_entries(declared: str, payload: bytes) -> None:
    body = (
        f'<?xml version="1.0" encoding="{declared}"?><rss version="2.0"><channel><title>'.encode()
        + payload
        + b"</title><item><title>"
        + payload
        + b"</title><link>https://x.example/a</link></item></channel></rss>"
    )
    feed = parse_feed(body, FEED_URL)
    assert [entry.url for entry in feed.entries] == ["https://x.example/a"]
    assert feed.entries[0].title and "Caf" in feed.entries[0].title


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.binary(max_size=2000))
def test_random_bytes_give_a_feed_or_a_clear_error(body: bytes) -> None:
    try:
        feed = parse_feed(body, FEED_URL)
    except FeedError as error:
        assert str(error)
        return
    assert all(entry.url.startswith(("http://", "https://")) for entry in feed.entries)


@settings(max_examples=40, deadline=None)
@given(st.text(max_size=300))
def test_random_text_inside_a_feed_is_handled(text: str) -> None:
    escaped = text.replace("&", "&amp;").replace("<", "&lt;")
    body = (
        '<rss version="2.0"><channel><title>'
        + escaped
        + "</title><item><title>"
        + escaped
        + "</title><link>https://x.example/a</link></item></channel></rss>"
    ).encode("utf-8", errors="surrogatepass")
    try:
        parse_feed(body, FEED_URL)
    except FeedError as error:
        assert str(error)


@pytest.mark.parametrize(
    ("charset", "title"),
    [("windows-1251", "Новости дня"), ("big5", "今日新聞")],
)
def test_the_http_charset_decodes_a_feed_that_declares_none(charset: str, title: str) -> None:
    body = (
        '<?xml version="1.0"?><rss version="2.0"><channel>'
        f"<title>{title}</title><link>https://example.org/</link>"
        f"<item><title>{title}</title><link>https://example.org/a</link></item>"
        "</channel></rss>"
    ).encode(charset)
    feed = parse_feed(body, "https://example.org/feed", f"application/rss+xml; charset={charset}")
    assert feed.title == title and feed.entries[0].title == title


def rss_with_dates(*dates: str, language: str | None = None) -> bytes:
    items = "".join(
        f"<item><link>https://x.example/{n}</link><pubDate>{date}</pubDate></item>"
        for n, date in enumerate(dates)
    )
    declared = f"<language>{language}</language>" if language else ""
    return f'<rss version="2.0"><channel>{declared}{items}</channel></rss>'.encode()


def test_localised_dates_feedparser_leaves_empty_are_read_in_utc() -> None:
    body = rss_with_dates("Seg, 24 Set 2018 10:00:00 -0300", "Ter, 25 Set 2018", language="pt-BR")
    first, second = parse_feed(body, FEED_URL).entries
    assert first.published == datetime(2018, 9, 24, 13, 0, tzinfo=UTC)
    assert second.published == datetime(2018, 9, 25, tzinfo=UTC)


def test_a_localised_date_is_read_without_a_declared_language() -> None:
    feed = parse_feed(rss_with_dates("mardi 5 mars 2024 08:00"), FEED_URL)
    assert feed.entries[0].published == datetime(2024, 3, 5, 8, 0, tzinfo=UTC)


def test_letters_that_are_a_month_only_in_a_rare_language_are_no_date() -> None:
    """With every language dateparser knows, "Sun" is June (Tongan): an invented date."""
    feed = parse_feed(rss_with_dates("Sun, 16 zzz 2012 11:47:32 GMT"), FEED_URL)
    assert feed.entries[0].published is None


def test_a_zone_out_of_range_is_no_date_not_a_lost_feed() -> None:
    feed = parse_feed(rss_with_dates("03 Apr 02 1500 +2400"), FEED_URL)
    assert len(feed.entries) == 1 and feed.entries[0].published is None


def test_a_plain_text_title_keeps_its_brackets() -> None:
    body = (
        b'<feed xmlns="http://www.w3.org/2005/Atom"><title type="text">1 &lt; 2</title>'
        b'<entry><title type="text">The &lt;blink&gt; tag at 30</title>'
        b'<link href="https://news.example/blink"/></entry>'
        b'<entry><title type="html">Bold &lt;b&gt;news&lt;/b&gt;</title>'
        b'<link href="https://news.example/bold"/></entry></feed>'
    )
    feed = parse_feed(body, FEED_URL)
    assert feed.title == "1 < 2"
    assert [e.title for e in feed.entries] == ["The <blink> tag at 30", "Bold news"]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("03 Apr 02 1500 GMT", datetime(2002, 4, 3, 15, 0, tzinfo=UTC)),
        ("Wed, 03 Apr 2002 1530 +0200", datetime(2002, 4, 3, 13, 30, tzinfo=UTC)),
        ("3 Apr 99 0930 EST", datetime(1999, 4, 3, 14, 30, tzinfo=UTC)),
    ],
)
def test_rfc822_with_a_two_digit_year_and_hhmm_time(text: str, expected: datetime) -> None:
    assert parse_feed(rss_with_dates(text), FEED_URL).entries[0].published == expected


def test_dates_feedparser_reads_never_wake_dateparser() -> None:
    before = date_parser.cache_info()
    feed = parse_feed(read_fixture("rss.xml"), FEED_URL)
    assert feed.entries[0].published == datetime(2026, 3, 14, 9, 30, tzinfo=UTC)
    assert date_parser.cache_info() == before
    parse_feed(rss_with_dates("mardi 5 mars 2024 08:00"), FEED_URL)
    assert date_parser.cache_info() != before


def test_a_date_more_than_a_day_ahead_is_dropped() -> None:
    now = datetime.now(UTC).replace(microsecond=0)
    soon, far = now + timedelta(hours=2), now + timedelta(days=30)
    future = (format_datetime(soon), format_datetime(far), "Seg, 24 Set 2091")
    body = rss_with_dates(*future, language="pt-BR")
    near, ahead, localised = parse_feed(body, FEED_URL).entries
    assert near.published == soon
    assert ahead.published is None and localised.published is None


def test_json_feed_and_sitemap_dates_more_than_a_day_ahead_are_dropped() -> None:
    now = datetime.now(UTC).replace(microsecond=0)
    soon, far = now + timedelta(hours=2), now + timedelta(days=30)
    items = [
        {"url": f"https://news.example/{n}", "date_published": moment.isoformat()}
        for n, moment in enumerate((soon, far))
    ]
    body = json.dumps({"version": "https://jsonfeed.org/version/1.1", "items": items})
    near, ahead = parse_feed(body.encode(), FEED_URL).entries
    assert near.published == soon and ahead.published is None
    urls = "".join(
        f"<url><loc>https://news.example/s{n}</loc><lastmod>{m.isoformat()}</lastmod></url>"
        for n, m in enumerate((soon, far))
    )
    sitemap = f'<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">{urls}</urlset>'
    dates = {e.url: e.published for e in parse_sitemap(sitemap.encode(), FEED_URL).entries}
    assert dates == {"https://news.example/s0": soon, "https://news.example/s1": None}
