"""Feeds and sitemaps: parsed with feedparser / lxml, required elements present."""

from __future__ import annotations

import io
import json
from collections.abc import Iterator
from pathlib import Path

import feedparser
import lxml.etree
import pytest
from fastapi.testclient import TestClient

from newsdesk.records import Article, Citation, Document, Section, Sentence, SourceRef
from newsdesk.store.db import Store
from newsdesk.web import create_app
from web_seed import STORY_IDS, add_story, seeded_store, site_settings

SITEMAP = "{http://www.sitemaps.org/schemas/sitemap/0.9}"
NEWS = "{http://www.google.com/schemas/sitemap-news/0.9}"


@pytest.fixture
def site(tmp_path: Path) -> Iterator[tuple[TestClient, Store]]:
    settings, store = seeded_store(tmp_path)
    settings = site_settings(settings, public_url="https://news.example")
    with TestClient(create_app(settings, store)) as client:
        yield client, store
    store.close()


def parse(client: TestClient, path: str, media: str) -> feedparser.FeedParserDict:
    response = client.get(path)
    assert response.status_code == 200, response.text
    assert response.headers["content-type"].startswith(media)
    parsed = feedparser.parse(io.BytesIO(response.content))
    assert not parsed.bozo, parsed.get("bozo_exception")
    return parsed


@pytest.mark.parametrize(
    ("path", "version", "media"),
    [
        ("/feed.xml", "rss20", "application/rss+xml"),
        ("/atom.xml", "atom10", "application/atom+xml"),
    ],
)
def test_xml_feeds_validate_with_required_elements(
    site: tuple[TestClient, Store], path: str, version: str, media: str
) -> None:
    client, _ = site
    feed = parse(client, path, media)
    assert feed.version == version
    assert feed.feed.title == "Test Desk"
    assert feed.feed.link == "https://news.example/"
    links = {e.link for e in feed.entries}
    assert links == {f"https://news.example/stories/{s}" for s in STORY_IDS}
    for entry in feed.entries:
        assert entry.title and entry.summary and entry.id == entry.link
        assert entry.published_parsed is not None
    if version == "atom10":
        assert feed.feed.updated_parsed is not None
        assert all(e.updated_parsed for e in feed.entries)
        assert feed.feed.author == "Test Desk"


def test_json_feed(site: tuple[TestClient, Store]) -> None:
    client, _ = site
    response = client.get("/feed.json")
    assert response.headers["content-type"].startswith("application/feed+json")
    feed = response.json()
    assert feed["version"] == "https://jsonfeed.org/version/1.1"
    assert feed["title"] == "Test Desk" and feed["feed_url"] == "https://news.example/feed.json"
    assert len(feed["items"]) == 3
    for item in feed["items"]:
        assert {"id", "url", "title", "date_published"} <= set(item)
        assert item["content_text"] or item["content_html"]


def test_section_feeds(site: tuple[TestClient, Store]) -> None:
    client, _ = site
    feed = parse(client, "/sections/transport/feed.xml", "application/rss+xml")
    assert "Transport" in feed.feed.title
    assert "https://news.example/stories/story-harbour-bridge" in {e.link for e in feed.entries}
    assert parse(client, "/sections/transport/atom.xml", "application/atom+xml").entries
    assert json.loads(client.get("/sections/transport/feed.json").text)["items"]
    outlet = parse(client, "/sections/outlet-the-meridian-post/feed.xml", "application/rss+xml")
    assert outlet.entries
    assert client.get("/sections/no-such-section/feed.xml").status_code == 404


def test_headlines_with_markup_are_escaped_in_feeds(site: tuple[TestClient, Store]) -> None:
    client, store = site
    evil = "Storm <b>&</b> ]]> <script>alert(1)</script>"
    doc = Document(id="d-evil", text="A storm hit the coast.")
    sentence = Sentence(
        text="A storm hit the coast.",
        citations=[Citation(document="d-evil", quote="A storm hit the coast.")],
    )
    article = Article(
        story="story-evil",
        headline=evil,
        standfirst=evil,
        sections=[Section(heading=None, paragraphs=[[sentence]])],
        facts=[],
        sources=[SourceRef(document="d-evil")],
    )
    add_story(store, [doc], article)
    client.app.state.page_cache.clear()  # type: ignore[attr-defined]
    for path in ("/feed.xml", "/atom.xml"):
        feed = parse(client, path, "application/")
        assert evil in {e.title for e in feed.entries}
    assert evil in {i["title"] for i in client.get("/feed.json").json()["items"]}


def test_sitemaps(site: tuple[TestClient, Store]) -> None:
    client, _ = site
    root = lxml.etree.fromstring(client.get("/sitemap.xml").content)
    locs = [loc.text for loc in root.iter(f"{SITEMAP}loc")]
    assert "https://news.example/" in locs
    for story in STORY_IDS:
        assert f"https://news.example/stories/{story}" in locs
    assert len(list(root.iter(f"{SITEMAP}lastmod"))) == len(locs)
    news = lxml.etree.fromstring(client.get("/news-sitemap.xml").content)
    items = list(news.iter(f"{SITEMAP}url"))
    assert len(items) == 3  # all were published moments ago, within two days
    for item in items:
        assert item.find(f"{NEWS}news/{NEWS}publication/{NEWS}name").text == "Test Desk"
        assert item.find(f"{NEWS}news/{NEWS}publication_date").text
        assert item.find(f"{NEWS}news/{NEWS}title").text
    robots = client.get("/robots.txt").text
    assert "Sitemap: https://news.example/sitemap.xml" in robots


def test_pages_advertise_the_feeds(site: tuple[TestClient, Store]) -> None:
    client, _ = site
    html = client.get("/").text
    for href in ("/feed.xml", "/atom.xml", "/feed.json"):
        assert f'href="{href}"' in html


def test_story_page_has_json_ld_and_open_graph(site: tuple[TestClient, Store]) -> None:
    client, _ = site
    html = client.get("/stories/story-harbour-bridge").text
    tree = lxml.etree.HTML(html)
    data = json.loads(tree.xpath("//script[@type='application/ld+json']")[0].text)
    assert data["@type"] == "NewsArticle"
    assert data["headline"] == "Calder harbour bridge reopens after storm repairs"
    assert data["url"] == "https://news.example/stories/story-harbour-bridge"
    assert data["datePublished"] and data["dateModified"]
    assert data["publisher"]["name"] == "Test Desk"
    assert "https://meridian-post.example/2026/03/calder-bridge-reopens" in data["isBasedOn"]
    og = {m.get("property"): m.get("content") for m in tree.xpath("//meta[@property]")}
    assert og["og:type"] == "article"
    assert og["og:title"] == data["headline"]
    assert og["og:url"] == data["url"]
    assert tree.xpath("//link[@rel='canonical']")[0].get("href") == data["url"]


def test_feed_items_carry_authors_and_images(site: tuple[TestClient, Store]) -> None:
    client, store = site
    image = "https://img.meridian-post.example/ferry.jpg"
    quote = "Ferry crews walked out at dawn."
    doc = Document(
        id="d-ferry",
        url="https://meridian-post.example/ferry",
        source="The Meridian Post",
        text=quote,
        image_url=image,
    )
    sentence = Sentence(text=quote, citations=[Citation(document="d-ferry", quote=quote)])
    article = Article(
        story="story-ferry",
        headline="Ferry crews strike",
        standfirst=quote,
        sections=[Section(heading=None, paragraphs=[[sentence]])],
        facts=[],
        sources=[SourceRef(document="d-ferry", url=doc.url, source=doc.source)],
    )
    add_story(store, [doc], article)
    client.app.state.page_cache.clear()  # type: ignore[attr-defined]
    feed = client.get("/feed.json").json()
    desk = {"name": "Test Desk", "url": "https://news.example/"}
    assert feed["authors"] == [desk]
    assert feed["icon"] == "https://news.example/site-logo.png"
    assert feed["favicon"] == "https://news.example/favicon.png"
    images = {item["url"].rsplit("/", 1)[-1]: item["image"] for item in feed["items"]}
    assert images["story-ferry"] == image
    assert images["story-harbour-bridge"] == "https://news.example/site-card.png"
    assert all(item["authors"] == [desk] for item in feed["items"])
    for path in ("/feed.xml", "/atom.xml"):
        entries = parse(client, path, "application/").entries
        thumbnails = {e.link: e.media_thumbnail[0]["url"] for e in entries}
        assert thumbnails["https://news.example/stories/story-ferry"] == image
    section = client.get("/sections/outlet-the-meridian-post/feed.json").json()
    assert {item["image"] for item in section["items"]} >= {image}
