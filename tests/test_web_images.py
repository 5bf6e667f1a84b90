"""Story images (web/presentation/images.py and card.py): a source's declared image,
credited and linked, or the site's own card; JSON-LD and Open Graph point at them."""

from __future__ import annotations

import json
import struct
import zlib
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import lxml.html
import pytest
from fastapi.testclient import TestClient

from newsdesk.records import Article, Citation, Document, Section, Sentence, SourceRef
from newsdesk.store.db import Store
from newsdesk.web import create_app
from newsdesk.web.presentation.card import CARD_WIDTH, logo_png, site_card_png
from newsdesk.web.presentation.images import lead_image
from web_seed import add_story, css, page, seeded_store, site_settings, text_of

BASE = "https://news.example"
BRIDGE = "story-harbour-bridge"
LEDGER = "https://harbor-ledger.example/ferry-strike"
COASTLINE = "https://coastline-times.example/ferry-strike-day-two"
LEDGER_IMAGE = "https://img.harbor-ledger.example/ferry.jpg"
COASTLINE_IMAGE = "https://cdn.coastline-times.example/pier.png"


@pytest.fixture
def site(tmp_path: Path) -> Iterator[tuple[TestClient, Store]]:
    settings, store = seeded_store(tmp_path)
    settings = site_settings(settings, public_url=BASE)
    with TestClient(create_app(settings, store)) as client:
        yield client, store
    store.close()


def document(doc_id: str, outlet: str, url: str | None, image: str | None, **more: Any) -> Document:
    text = f"{outlet} reports that ferry crews walked out at dawn. Talks resume on Friday."
    return Document(
        id=doc_id,
        url=url,
        source=outlet,
        title=f"Ferry strike, {outlet}",
        text=text,
        image_url=image,
        **more,
    )


def cite(doc: Document) -> Sentence:
    quote = doc.text.split(". ")[0] + "."
    return Sentence(text=quote, citations=[Citation(document=doc.id, quote=quote)])


def article_citing(story: str, sources: list[Document], cited: list[Document]) -> Article:
    """An article listing ``sources``, one sentence per document in ``cited`` (repeats count)."""
    return Article(
        story=story,
        headline="Ferry crews strike for a second day",
        standfirst="Ferry crews stayed off work on Tuesday.",
        sections=[Section(heading=None, paragraphs=[[cite(d) for d in cited]])],
        facts=[],
        sources=[
            SourceRef(document=d.id, url=d.url, source=d.source, title=d.title) for d in sources
        ],
    )


def publish(client: TestClient, store: Store, docs: list[Document], article: Article) -> None:
    add_story(store, docs, article)
    client.app.state.page_cache.clear()  # type: ignore[attr-defined]


def metadata(doc: lxml.html.HtmlElement) -> tuple[dict[str, Any], dict[str, str]]:
    """The page's JSON-LD object, and its meta tags by property or name."""
    (script,) = css(doc, 'script[type="application/ld+json"]')
    tags = {m.get("property") or m.get("name"): m.get("content") for m in css(doc, "meta")}
    return json.loads(script.text), tags


def test_the_most_cited_source_image_leads_with_a_credit_linking_to_it(
    site: tuple[TestClient, Store],
) -> None:
    client, store = site
    ledger = document("d-ledger", "Harbor Ledger", LEDGER, LEDGER_IMAGE)
    coastline = document("d-coast", "Coastline Times", COASTLINE, COASTLINE_IMAGE)
    article = article_citing("story-ferry", [ledger, coastline], [ledger, coastline, coastline])
    publish(client, store, [ledger, coastline], article)
    doc = page(client, "/stories/story-ferry")
    (figure,) = css(doc, "figure.lead-image")
    (img,) = css(figure, "img")
    assert img.get("src") == COASTLINE_IMAGE
    assert img.get("alt") == "Image from Coastline Times: Ferry strike, Coastline Times"
    assert img.get("referrerpolicy") == "no-referrer"
    assert text_of(css(figure, "figcaption")[0]) == "Image: Coastline Times"
    assert css(figure, "figcaption a")[0].get("href") == COASTLINE
    data, tags = metadata(doc)
    assert data["image"] == [COASTLINE_IMAGE]
    assert tags["og:image"] == COASTLINE_IMAGE and tags["og:image:alt"] == img.get("alt")
    assert tags["twitter:card"] == "summary_large_image"
    assert "og:image:width" not in tags  # a publisher's image size is not known to us


def test_a_tie_goes_to_the_first_listed_source() -> None:
    ledger = document("d-ledger", "Harbor Ledger", LEDGER, LEDGER_IMAGE)
    coastline = document("d-coast", "Coastline Times", COASTLINE, COASTLINE_IMAGE)
    article = article_citing("s", [ledger, coastline], [coastline, ledger])
    declared = {ledger.id: LEDGER_IMAGE, coastline.id: COASTLINE_IMAGE}
    chosen = lead_image(article, declared)
    assert chosen is not None and (chosen.url, chosen.credit_url) == (LEDGER_IMAGE, LEDGER)
    assert lead_image(article, {}) is None


def test_images_of_copies_non_news_uncited_or_unlinked_sources_are_passed_over(
    site: tuple[TestClient, Store],
) -> None:
    client, store = site
    copy = document(
        "d-copy", "Wire Copy", "https://wire.example/1", LEDGER_IMAGE, duplicate_of="d-coast"
    )
    gallery = document(
        "d-gallery",
        "Photo Desk",
        "https://photos.example/1",
        LEDGER_IMAGE,
        not_news="a photo gallery",
    )
    unlinked = document("d-unlinked", "No Link Post", None, LEDGER_IMAGE)
    scripted = document("d-script", "Script Times", "https://script.example/1", "javascript:x()")
    uncited = document("d-uncited", "Quiet Daily", "https://quiet.example/1", LEDGER_IMAGE)
    coastline = document("d-coast", "Coastline Times", COASTLINE, None)
    docs = [copy, gallery, unlinked, scripted, uncited, coastline]
    article = article_citing("story-no-image", docs, [copy, gallery, unlinked, scripted, coastline])
    publish(client, store, docs, article)
    doc = page(client, "/stories/story-no-image")
    assert not css(doc, "figure.lead-image")
    assert LEDGER_IMAGE not in lxml.html.tostring(doc, encoding="unicode")
    data, tags = metadata(doc)
    assert data["image"] == [f"{BASE}/site-card.png"] == [tags["og:image"]]


def test_a_story_without_source_images_gets_the_site_card(site: tuple[TestClient, Store]) -> None:
    client, _ = site
    doc = page(client, f"/stories/{BRIDGE}")
    assert not css(doc, "figure.lead-image")
    _data, tags = metadata(doc)
    assert tags["og:image"] == f"{BASE}/site-card.png"
    assert (tags["og:image:width"], tags["og:image:height"]) == ("1200", "630")
    assert tags["og:image:alt"] == "Test Desk site card"
    assert tags["twitter:card"] == "summary_large_image"


def test_json_ld_names_image_publisher_logo_and_author_by_absolute_url(
    site: tuple[TestClient, Store],
) -> None:
    client, _ = site
    data, _tags = metadata(page(client, f"/stories/{BRIDGE}"))
    assert data["@type"] == "NewsArticle"
    assert all(url.startswith(f"{BASE}/") for url in data["image"])
    logo = data["publisher"]["logo"]
    assert logo["@type"] == "ImageObject" and logo["url"] == f"{BASE}/site-logo.png"
    assert (logo["width"], logo["height"]) == (512, 512)
    # The site writes the article (machine-written and checked): no invented person.
    assert data["author"] == {"@type": "Organization", "name": "Test Desk", "url": f"{BASE}/"}
    assert data["publisher"]["url"] == f"{BASE}/"


def test_front_page_shares_the_site_card(site: tuple[TestClient, Store]) -> None:
    client, _ = site
    doc = page(client, "/")
    tags = {m.get("property") or m.get("name"): m.get("content") for m in css(doc, "meta")}
    assert tags["og:image"] == f"{BASE}/site-card.png"
    assert tags["og:url"] == f"{BASE}/" and tags["og:type"] == "website"
    assert tags["twitter:card"] == "summary_large_image"
    assert css(doc, 'link[rel="icon"]')[0].get("href") == "/favicon.png"


def png_size(body: bytes) -> tuple[int, int]:
    """Width and height of a PNG, after checking its signature, chunk CRCs and pixel data."""
    assert body[:8] == b"\x89PNG\r\n\x1a\n"
    chunks: list[tuple[bytes, bytes]] = []
    at = 8
    while at < len(body):
        (length,) = struct.unpack(">I", body[at : at + 4])
        kind, data = body[at + 4 : at + 8], body[at + 8 : at + 8 + length]
        (crc,) = struct.unpack(">I", body[at + 8 + length : at + 12 + length])
        assert zlib.crc32(kind + data) == crc
        chunks.append((kind, data))
        at += 12 + length
    assert chunks[0][0] == b"IHDR" and chunks[-1] == (b"IEND", b"")
    width, height, depth, colour = struct.unpack(">IIBB", chunks[0][1][:10])
    assert (depth, colour) == (8, 2)  # 8-bit RGB
    pixels = zlib.decompress(b"".join(data for kind, data in chunks if kind == b"IDAT"))
    assert len(pixels) == height * (1 + width * 3)
    return width, height


@pytest.mark.parametrize(
    ("path", "size"),
    [("/site-card.png", (1200, 630)), ("/site-logo.png", (512, 512)), ("/favicon.png", (64, 64))],
)
def test_site_images_are_pngs_of_their_size(
    site: tuple[TestClient, Store], path: str, size: tuple[int, int]
) -> None:
    client, _ = site
    response = client.get(path)
    assert response.status_code == 200
    assert response.headers["content-type"] == "image/png"
    assert png_size(response.content) == size


def test_any_site_name_draws_within_the_card() -> None:
    for name in ("Zürich Tagblatt & Co.", "x" * 300, "", "日本のニュース"):
        assert png_size(site_card_png(name)) == (CARD_WIDTH, 630)
        assert png_size(logo_png(name, 64)) == (64, 64)
