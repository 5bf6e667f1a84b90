"""Article extraction from fixture pages (invented outlets, invented news)."""

from __future__ import annotations

from datetime import UTC, datetime

import lxml.html
import pytest

from loopback_server import FIXTURES
from newsdesk.extract import (
    ExtractionError,
    canonicalize_url,
    decode_html,
    extract_document,
    extract_fallback,
    make_document_id,
)


def read_fixture(name: str) -> bytes:
    return (FIXTURES / name).read_bytes()


def test_extracts_article_text_without_boilerplate() -> None:
    document = extract_document(
        read_fixture("article_mill.html"), url="https://estuary-courier.example/news/mill"
    )
    paragraphs = document.text.split("\n")
    assert len(paragraphs) == 5
    assert paragraphs[0].startswith("Councillors in Saltmere voted eleven to four")
    assert "we are rebuilding a machine" in document.text
    assert paragraphs[-1].endswith("take around eighteen months.")
    for boilerplate in ["cookies", "All rights reserved", "newsletter", "Most read", "Ferry"]:
        assert boilerplate not in document.text
    assert "harbourkid" not in document.text  # reader comments
    assert document.title == "Harbour town votes to rebuild its tidal mill"
    assert not document.text.startswith(document.title)  # headline not repeated
    assert document.source == "The Estuary Courier"
    assert document.published == datetime(2026, 3, 14, 9, 30, tzinfo=UTC)
    assert document.language == "en"


def test_same_site_canonical_link_gives_url_and_id() -> None:
    document = extract_document(
        read_fixture("article_mill.html"),
        url="https://www.estuary-courier.example/news/mill?utm_medium=rss",
    )
    canonical = "https://estuary-courier.example/news/tidal-mill-vote"
    assert document.url == canonical
    assert document.id == make_document_id(canonical)


def test_canonical_link_to_another_site_is_ignored() -> None:
    fetched = "http://127.0.0.1:8123/news/mill.html"
    document = extract_document(read_fixture("article_mill.html"), url=fetched)
    assert document.url == fetched
    assert document.id == make_document_id(fetched)


def test_page_without_article_text_is_refused() -> None:
    url = "https://estuary-courier.example/gone"
    with pytest.raises(ExtractionError, match=f"no article text found in {url}"):
        extract_document(read_fixture("no_article.html"), url=url)


def test_latin1_page_is_decoded_from_its_meta_charset() -> None:
    document = extract_document(read_fixture("latin1_page.html"))
    assert document.title == "La fête du cidre attire les foules à Pré-Vert"
    assert "vingtième fête du cidre" in document.text
    assert "« Nous avons cru perdre la moitié des fleurs en avril »" in document.text
    assert "\ufffd" not in document.text
    assert document.language == "fr"
    assert document.source == "Le Courrier du Bocage"


def test_id_and_source_can_be_given_and_text_alone_gives_a_stable_id() -> None:
    page = read_fixture("article_ferry.html").decode("utf-8")
    given = extract_document(page, doc_id="doc-given", source="Wire Desk")
    assert (given.id, given.source, given.url) == ("doc-given", "Wire Desk", None)
    assert extract_document(page).id == extract_document(page).id
    assert extract_document(page).id.startswith("doc-")


@pytest.mark.parametrize(
    ("data", "declared", "expected"),
    [
        ("café".encode("utf-8-sig"), "iso-8859-1", "café"),  # BOM wins
        ("café".encode("latin-1"), "iso-8859-1", "café"),  # HTTP charset
        (
            '<meta charset="windows-1252"><p>caf\xe9 \x93quoted\x94</p>'.encode("latin-1"),
            None,
            '<meta charset="windows-1252"><p>café “quoted”</p>',
        ),
        ("café".encode(), None, "café"),  # UTF-8 by default
        ("café".encode("latin-1"), None, "café"),  # not UTF-8: windows-1252
        ("café".encode(), "no-such-charset", "café"),
    ],
)
def test_decodes_bytes_by_bom_header_meta_then_utf8(
    data: bytes, declared: str | None, expected: str
) -> None:
    assert decode_html(data, declared) == expected


def test_fallback_reads_article_paragraphs_only() -> None:
    tree = lxml.html.document_fromstring(read_fixture("article_mill.html").decode())
    text = extract_fallback(tree)
    assert text is not None
    assert text.split("\n")[1].startswith("Councillors in Saltmere")  # after the byline
    assert "All rights reserved" not in text and "harbourkid" not in text


def test_canonicalize_url_drops_tracking_and_fragments_only() -> None:
    url = "HTTPS://News.Example:443/a/b?id=7&utm_source=x&q=a%20b&fbclid=z#top"
    assert canonicalize_url(url) == "https://news.example/a/b?id=7&q=a%20b"
