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
    judge_text,
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


# --- quality check and fallbacks -------------------------------------------------------------


PROSE = (
    "The harbour board agreed on Monday to dredge the eastern channel before the summer, "
    "after two fishing boats ran aground there in March and a ferry had to wait for the tide. "
)


def test_the_extractor_used_is_recorded() -> None:
    document = extract_document(read_fixture("article_mill.html"))
    assert document.extractor == "trafilatura"


def test_a_short_notice_gives_way_to_a_longer_article() -> None:
    # Only the reprint notice sits in <article>; the story is in a <div> beside it.
    page = (
        "<html><body><article><p>This copy is for your personal use only. To order copies "
        "for distribution to colleagues or clients, write to our reprints desk at the "
        "address on our contact page, quoting the story's date.</p></article>"
        "<div class='story'>" + "".join(f"<p>{PROSE}</p>" for _ in range(6)) + "</div>"
        "</body></html>"
    )
    document = extract_document(page)
    assert "dredge the eastern channel" in document.text
    assert document.extractor in {"trafilatura", "readability", "paragraphs"}


def test_a_menu_is_not_an_article() -> None:
    links = "".join(f"<li><a href='/s{i}'>Section {i}</a></li>" for i in range(80))
    page = f"<html><body><ul>{links}</ul></body></html>"
    with pytest.raises(ExtractionError, match="no article text found") as caught:
        extract_document(page, url="https://x.example/")
    assert "trafilatura:" in str(caught.value) and "paragraphs:" in str(caught.value)


def test_judge_text_rules() -> None:
    assert judge_text("too few words here") == "too short"
    assert judge_text((PROSE + "\n") * 2000) == "too long"
    assert judge_text("\n".join(f"Section {i}" for i in range(200))) == "boilerplate-like"
    assert judge_text(PROSE * 3) is None
    assert judge_text("日本語の記事です。" * 40) is None  # no spaces, still words


@pytest.mark.parametrize(
    "page",
    [
        b"<html><body><p>" + PROSE.encode() * 4 + b"<p><div></span><table><td>" + b"</body>",
        b"<p>" + PROSE.encode() * 3 + b"\xff\xfe caf\xe9 \xe2\x80\x9c" + PROSE.encode(),
        b"\x00\x01<<<>>>&&&;" + PROSE.encode() * 4,
    ],
)
def test_malformed_or_mixed_pages_give_text_or_a_clear_error(page: bytes) -> None:
    try:
        document = extract_document(page, url="https://x.example/a")
    except ExtractionError as error:
        assert "https://x.example/a" in str(error)
        return
    assert "dredge the eastern channel" in document.text


def test_default_mode_reads_a_story_that_precision_mode_drops() -> None:
    document = extract_document(read_fixture("article_linked_paragraphs.html"))
    assert document.extractor == "trafilatura-default"
    paragraphs = document.text.split("\n")
    assert len(paragraphs) == 4
    assert paragraphs[0].startswith("The ferry between Lowmarsh and Gull Isle")
    assert paragraphs[-1].endswith("tested by an outside inspector.")
    assert "quayside_reader" not in document.text  # the reader comments stay out


def test_an_article_held_in_noscript_is_read() -> None:
    document = extract_document(read_fixture("article_in_noscript.html"))
    assert document.extractor == "trafilatura-default"
    assert document.text.startswith("A family orchard on the edge of Applebury")
    assert document.text.endswith("on the ground for the wasps.")
    assert "window.__APP__" not in document.text and "Loading" not in document.text


def test_default_mode_is_not_asked_when_precision_mode_passes() -> None:
    # A short passing text is compared with readability and the paragraphs, not with
    # default mode, which keeps the notice that precision mode found (measured).
    page = (
        "<html><body><article><p>This copy is for your personal use only. To order copies "
        "for distribution to colleagues or clients, write to our reprints desk at the "
        "address on our contact page, quoting the story's date.</p></article>"
        "<div class='story'>" + "".join(f"<p>{PROSE}</p>" for _ in range(6)) + "</div>"
        "</body></html>"
    )
    assert extract_document(page).extractor != "trafilatura-default"
