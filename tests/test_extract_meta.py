"""Page metadata: Open Graph, article:* tags, JSON-LD, canonical links, dates."""

from __future__ import annotations

import json
from datetime import UTC, datetime

import lxml.html

from loopback_server import FIXTURES
from newsdesk.extract.meta import read_metadata, strip_site_suffix

URL = "https://estuary-courier.example/news/mill"


def test_reads_the_declared_metadata() -> None:
    page = (FIXTURES / "article_mill.html").read_text()
    meta = read_metadata(lxml.html.document_fromstring(page), URL)
    assert meta.title == "Harbour town votes to rebuild its tidal mill"
    assert meta.author == "Mara Quillfeather"
    assert meta.sitename == "The Estuary Courier"
    assert meta.published == datetime(2026, 3, 14, 9, 30, tzinfo=UTC)
    assert meta.canonical == "https://estuary-courier.example/news/tidal-mill-vote?utm_source=rss"
    assert meta.language == "en"


def test_json_ld_fills_what_meta_tags_lack() -> None:
    ld = {
        "@context": "https://schema.org",
        "@graph": [
            {"@type": "WebSite", "name": "ignored"},
            {
                "@type": ["NewsArticle"],
                "headline": "Lighthouse keeper retires after forty winters",
                "author": [{"@type": "Person", "name": "Oda Finch"}, {"name": "Lars Penn"}],
                "publisher": {"@type": "Organization", "name": "Cape Bulletin"},
                "datePublished": "2026-02-01T07:15:00+01:00",
                "dateModified": "2026-02-02T09:00:00Z",
                "image": [{"url": "/img/keeper.jpg"}],
            },
        ],
    }
    page = (
        "<html><head><script type='application/ld+json'>"
        + json.dumps(ld)
        + "</script><script type='application/ld+json'>{broken</script></head>"
        "<body><p>Text.</p></body></html>"
    )
    meta = read_metadata(lxml.html.document_fromstring(page), "https://cape.example/a/b")
    assert meta.title == "Lighthouse keeper retires after forty winters"
    assert meta.author == "Oda Finch, Lars Penn"
    assert meta.sitename == "Cape Bulletin"
    assert meta.published == datetime(2026, 2, 1, 6, 15, tzinfo=UTC)
    assert meta.updated == datetime(2026, 2, 2, 9, tzinfo=UTC)
    assert meta.image == "https://cape.example/img/keeper.jpg"


def test_unsafe_or_odd_values_are_dropped() -> None:
    page = (
        "<html lang='pt_BR'><head><title>Quay works begin | Porto Diário</title>"
        "<meta property='og:image' content='javascript:alert(1)'>"
        "<meta name='author' content='https://people.example/someone'>"
        "<link rel='canonical' href='data:text/html,hi'></head>"
        "<body><h1>One</h1><h1>Two</h1></body></html>"
    )
    meta = read_metadata(lxml.html.document_fromstring(page), "https://porto.example/q")
    assert meta.title == "Quay works begin"
    assert (meta.image, meta.author, meta.canonical) == (None, None, None)
    assert meta.language == "pt"


def test_site_suffixes_are_removed_from_titles() -> None:
    assert strip_site_suffix("Bridge reopens - The Courier") == "Bridge reopens"
    assert strip_site_suffix("No separator here") == "No separator here"


def test_the_first_usable_declared_image_is_kept() -> None:
    page = (
        "<html><head>"
        "<meta property='og:image' content='data:image/png;base64,AAAA'>"
        "<meta name='twitter:image' content='/media/quay.jpg'>"
        "</head><body><p>Text.</p></body></html>"
    )
    meta = read_metadata(lxml.html.document_fromstring(page), "https://porto.example/q")
    assert meta.image == "https://porto.example/media/quay.jpg"
    secure = (
        "<html><head><meta property='og:image' content='http://porto.example/a.jpg'>"
        "<meta property='og:image:secure_url' content='https://porto.example/a.jpg'>"
        "</head><body><p>Text.</p></body></html>"
    )
    meta = read_metadata(lxml.html.document_fromstring(secure), "https://porto.example/q")
    assert meta.image == "https://porto.example/a.jpg"
