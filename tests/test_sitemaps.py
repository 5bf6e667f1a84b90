"""Sitemaps, sitemap indexes and Google News sitemaps."""

from __future__ import annotations

import gzip
import re
from datetime import UTC, datetime

import pytest

from loopback_server import FIXTURES
from newsdesk.ingest.sitemaps import SitemapError, looks_like_sitemap, parse_sitemap

BASE = "https://estuary-courier.example/sitemap.xml"


def test_news_sitemap_entries_come_newest_first() -> None:
    sitemap = parse_sitemap((FIXTURES / "news_sitemap.xml").read_bytes(), BASE)
    assert sitemap.publication == "The Estuary Courier"
    mill, ferry, undated = sitemap.entries
    assert mill.url == "https://estuary-courier.example/news/mill.html"
    assert mill.title == "Harbour town votes to rebuild its tidal mill"
    assert mill.published == datetime(2026, 3, 14, 9, 30, tzinfo=UTC)
    assert ferry.published == datetime(2026, 3, 13, 15, 5, tzinfo=UTC)
    assert undated.url == "https://estuary-courier.example/news/undated.html"
    assert undated.published is None  # the javascript: link was dropped


def test_an_index_lists_its_sitemaps_newest_first() -> None:
    sitemap = parse_sitemap((FIXTURES / "sitemap_index.xml").read_bytes(), BASE)
    assert sitemap.entries == []
    assert sitemap.children == [
        "https://estuary-courier.example/sitemap-2026.xml",
        "https://estuary-courier.example/sitemap-2025.xml",
    ]


def test_a_gzipped_sitemap_is_read() -> None:
    body = gzip.compress((FIXTURES / "news_sitemap.xml").read_bytes())
    assert looks_like_sitemap(body)
    assert len(parse_sitemap(body, BASE).entries) == 3


def test_max_entries_keeps_the_newest() -> None:
    sitemap = parse_sitemap((FIXTURES / "news_sitemap.xml").read_bytes(), BASE, max_entries=1)
    assert [entry.title for entry in sitemap.entries] == [
        "Harbour town votes to rebuild its tidal mill"
    ]


@pytest.mark.parametrize(
    ("body", "message"),
    [
        (b"", "is empty"),
        (b"<urlset><url><loc>x</loc>", "not well-formed XML"),
        (b'<rss version="2.0"><channel/></rss>', "not a sitemap (its root is <rss>)"),
        (
            b'<?xml version="1.0"?><!DOCTYPE u [<!ENTITY x SYSTEM "file:///etc/passwd">]>'
            b"<urlset><url><loc>&x;</loc></url></urlset>",
            "declares XML entities",
        ),
        (b"\x1f\x8b\x08\x00broken", "gzipped sitemap"),
    ],
)
def test_bad_sitemaps_are_clear_errors(body: bytes, message: str) -> None:
    with pytest.raises(SitemapError, match=re.escape(message)):
        parse_sitemap(body, BASE)
