"""Feeds out: RSS 2.0, Atom and JSON Feed (site-wide and per section), sitemaps.

Built with ElementTree / json, never by pasting strings, so every headline is escaped.
Links are absolute: ``NEWSDESK_PUBLIC_URL`` when set, else the address the request used.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta
from email.utils import format_datetime
from typing import Any
from xml.etree import ElementTree as ET

from fastapi import APIRouter, Request
from fastapi.responses import Response

from newsdesk.publish.sections import TOPICS
from newsdesk.settings import Settings
from newsdesk.store import repo
from newsdesk.store.base import utcnow
from newsdesk.store.repo import Entry
from newsdesk.web.http.deps import StoreDep, public_base, site_of
from newsdesk.web.http.render import cached
from newsdesk.web.http.sessions import VisitorDep
from newsdesk.web.presentation.card import FAVICON_SIZE
from newsdesk.web.presentation.images import Site, story_images
from newsdesk.web.presentation.view import story_url
from newsdesk.web.sections import entry_topics, section_entries

router = APIRouter(include_in_schema=False)

FEED_SIZE = 50
ATOM_NS = "http://www.w3.org/2005/Atom"
SITEMAP_NS = "http://www.sitemaps.org/schemas/sitemap/0.9"
NEWS_NS = "http://www.google.com/schemas/sitemap-news/0.9"
MEDIA_NS = "http://search.yahoo.com/mrss/"  # Media RSS: the item's image, in RSS and Atom
NEWS_WINDOW = timedelta(days=2)  # Google News sitemaps list only the last two days
RSS_TYPE = "application/rss+xml; charset=utf-8"
ATOM_TYPE = "application/atom+xml; charset=utf-8"
JSON_FEED_TYPE = "application/feed+json; charset=utf-8"
XML_TYPE = "application/xml; charset=utf-8"


def _xml(root: ET.Element) -> bytes:
    body: bytes = ET.tostring(root, encoding="utf-8", xml_declaration=True)
    return body


def _sub(parent: ET.Element, tag: str, text: str | None = None, **attrs: str) -> ET.Element:
    element = ET.SubElement(parent, tag, attrs)
    if text is not None:
        element.text = text
    return element


def _iso(value: datetime) -> str:
    return value.isoformat(timespec="seconds")


def _latest(entries: list[Entry]) -> datetime:
    return max((e.updated for e in entries), default=utcnow())


@dataclass(frozen=True)
class Feed:
    """One feed's title and links (all absolute) and each story's image URL."""

    title: str
    site: Site
    home: str
    self_url: str
    images: dict[str, str]

    def link(self, entry: Entry) -> str:
        return self.site.base + story_url(entry.story_id)

    def image(self, entry: Entry) -> str:
        return self.images.get(entry.story_id, self.site.card)


def _thumbnail(parent: ET.Element, feed: Feed, entry: Entry) -> None:
    _sub(parent, f"{{{MEDIA_NS}}}thumbnail", url=feed.image(entry))


def rss_feed(feed: Feed, entries: list[Entry]) -> bytes:
    ET.register_namespace("atom", ATOM_NS)
    ET.register_namespace("media", MEDIA_NS)
    rss = ET.Element("rss", {"version": "2.0"})
    channel = _sub(rss, "channel")
    _sub(channel, "title", feed.title)
    _sub(channel, "link", feed.home)
    _sub(
        channel,
        "description",
        f"{feed.title}: stories written from their sources, every sentence cited.",
    )
    _sub(channel, "language", "en")
    _sub(channel, "lastBuildDate", format_datetime(_latest(entries)))
    _sub(channel, f"{{{ATOM_NS}}}link", href=feed.self_url, rel="self", type="application/rss+xml")
    # RSS caps a channel image at 144 pixels wide: the favicon-sized logo fits.
    image = _sub(channel, "image")
    for tag, text in (("url", feed.site.favicon), ("title", feed.title), ("link", feed.home)):
        _sub(image, tag, text)
    _sub(image, "width", str(FAVICON_SIZE))
    _sub(image, "height", str(FAVICON_SIZE))
    for entry in entries:
        item = _sub(channel, "item")
        link = feed.link(entry)
        _sub(item, "title", entry.article.headline)
        _sub(item, "link", link)
        _sub(item, "guid", link, isPermaLink="true")
        _sub(item, "description", entry.article.standfirst)
        _sub(item, "pubDate", format_datetime(entry.first_published))
        for topic in entry_topics(entry):
            _sub(item, "category", TOPICS[topic][0])
        _thumbnail(item, feed, entry)
    return _xml(rss)


def atom_feed(feed: Feed, entries: list[Entry]) -> bytes:
    ET.register_namespace("", ATOM_NS)
    ET.register_namespace("media", MEDIA_NS)
    a = f"{{{ATOM_NS}}}"
    root = ET.Element(f"{a}feed")
    _sub(root, f"{a}id", feed.self_url)
    _sub(root, f"{a}title", feed.title)
    _sub(root, f"{a}updated", _iso(_latest(entries)))
    _sub(root, f"{a}link", href=feed.self_url, rel="self", type="application/atom+xml")
    _sub(root, f"{a}link", href=feed.home, rel="alternate", type="text/html")
    _sub(root, f"{a}icon", feed.site.favicon)
    _sub(root, f"{a}logo", feed.site.card)  # Atom wants a logo about twice as wide as tall
    author = _sub(root, f"{a}author")
    _sub(author, f"{a}name", feed.site.name)
    _sub(author, f"{a}uri", feed.site.home)
    for entry in entries:
        link = feed.link(entry)
        node = _sub(root, f"{a}entry")
        _sub(node, f"{a}id", link)
        _sub(node, f"{a}title", entry.article.headline)
        _sub(node, f"{a}link", href=link, rel="alternate", type="text/html")
        _sub(node, f"{a}published", _iso(entry.first_published))
        _sub(node, f"{a}updated", _iso(entry.updated))
        _sub(node, f"{a}summary", entry.article.standfirst, type="text")
        for topic in entry_topics(entry):
            _sub(node, f"{a}category", term=topic, label=TOPICS[topic][0])
        _thumbnail(node, feed, entry)
    return _xml(root)


def json_feed(feed: Feed, entries: list[Entry]) -> bytes:
    # The author is the site: every story is machine-written from its sources and checked.
    authors = [{"name": feed.site.name, "url": feed.site.home}]
    items = []
    for entry in entries:
        link = feed.link(entry)
        items.append(
            {
                "id": link,
                "url": link,
                "title": entry.article.headline,
                "summary": entry.article.standfirst,
                "content_text": entry.article.standfirst,
                "image": feed.image(entry),
                "date_published": _iso(entry.first_published),
                "date_modified": _iso(entry.updated),
                "authors": authors,
                "tags": [TOPICS[t][0] for t in entry_topics(entry)],
            }
        )
    body: dict[str, Any] = {
        "version": "https://jsonfeed.org/version/1.1",
        "title": feed.title,
        "home_page_url": feed.home,
        "feed_url": feed.self_url,
        "icon": feed.site.logo,
        "favicon": feed.site.favicon,
        "authors": authors,
        "language": "en",
        "items": items,
    }
    return json.dumps(body, ensure_ascii=False).encode("utf-8")


def _site_name(request: Request) -> str:
    settings: Settings = request.app.state.settings
    return settings.site_name


def _serve(
    request: Request, visitor: VisitorDep, media_type: str, make: Callable[[], bytes]
) -> Response:
    return cached(request, visitor, lambda: Response(make(), media_type=media_type))


def _site_entries(store: StoreDep) -> list[Entry]:
    with store.session() as session:
        return repo.published_entries(session, limit=FEED_SIZE)


def _build_feed(
    request: Request, store: StoreDep, title: str, home: str, kind: str, entries: list[Entry]
) -> bytes:
    """The feed at ``{home}/{kind}`` (``home`` a path such as "/" or "/sections/x")."""
    site = site_of(request)
    with store.session() as session:
        images = story_images(session, [e.article for e in entries], site)
    self_url = f"{site.base}{home.rstrip('/')}/{kind}"
    feed = Feed(title, site, site.base + home, self_url, images)
    if kind == "feed.xml":
        return rss_feed(feed, entries)
    if kind == "atom.xml":
        return atom_feed(feed, entries)
    return json_feed(feed, entries)


def _site_feed(request: Request, store: StoreDep, kind: str) -> bytes:
    entries = _site_entries(store)
    return _build_feed(request, store, _site_name(request), "/", kind, entries)


@router.get("/feed.xml")
def rss(request: Request, store: StoreDep, visitor: VisitorDep) -> Response:
    return _serve(request, visitor, RSS_TYPE, lambda: _site_feed(request, store, "feed.xml"))


@router.get("/atom.xml")
def atom(request: Request, store: StoreDep, visitor: VisitorDep) -> Response:
    return _serve(request, visitor, ATOM_TYPE, lambda: _site_feed(request, store, "atom.xml"))


@router.get("/feed.json")
def json_site_feed(request: Request, store: StoreDep, visitor: VisitorDep) -> Response:
    return _serve(request, visitor, JSON_FEED_TYPE, lambda: _site_feed(request, store, "feed.json"))


def _section_feed(request: Request, store: StoreDep, slug: str, kind: str) -> bytes:
    title, entries = section_entries(store, slug)
    entries = entries[:FEED_SIZE]
    full_title = f"{_site_name(request)}: {title}"
    return _build_feed(request, store, full_title, f"/sections/{slug}", kind, entries)


@router.get("/sections/{slug}/feed.xml")
def section_rss(request: Request, slug: str, store: StoreDep, visitor: VisitorDep) -> Response:
    return _serve(
        request, visitor, RSS_TYPE, lambda: _section_feed(request, store, slug, "feed.xml")
    )


@router.get("/sections/{slug}/atom.xml")
def section_atom(request: Request, slug: str, store: StoreDep, visitor: VisitorDep) -> Response:
    return _serve(
        request, visitor, ATOM_TYPE, lambda: _section_feed(request, store, slug, "atom.xml")
    )


@router.get("/sections/{slug}/feed.json")
def section_json(request: Request, slug: str, store: StoreDep, visitor: VisitorDep) -> Response:
    return _serve(
        request, visitor, JSON_FEED_TYPE, lambda: _section_feed(request, store, slug, "feed.json")
    )


def sitemap(base: str, entries: list[Entry]) -> bytes:
    ET.register_namespace("", SITEMAP_NS)
    s = f"{{{SITEMAP_NS}}}"
    urlset = ET.Element(f"{s}urlset")
    for path, modified in [("/", _latest(entries)), ("/sections", _latest(entries))]:
        node = _sub(urlset, f"{s}url")
        _sub(node, f"{s}loc", base + path)
        _sub(node, f"{s}lastmod", _iso(modified))
    for entry in entries:
        node = _sub(urlset, f"{s}url")
        _sub(node, f"{s}loc", base + story_url(entry.story_id))
        _sub(node, f"{s}lastmod", _iso(entry.updated))
    return _xml(urlset)


def news_sitemap(base: str, site_name: str, entries: list[Entry], now: datetime) -> bytes:
    ET.register_namespace("", SITEMAP_NS)
    ET.register_namespace("news", NEWS_NS)
    s, n = f"{{{SITEMAP_NS}}}", f"{{{NEWS_NS}}}"
    urlset = ET.Element(f"{s}urlset")
    for entry in entries:
        if now - entry.first_published > NEWS_WINDOW:
            continue
        node = _sub(urlset, f"{s}url")
        _sub(node, f"{s}loc", base + story_url(entry.story_id))
        news = _sub(node, f"{n}news")
        publication = _sub(news, f"{n}publication")
        _sub(publication, f"{n}name", site_name)
        _sub(publication, f"{n}language", "en")
        _sub(news, f"{n}publication_date", _iso(entry.first_published))
        _sub(news, f"{n}title", entry.article.headline)
    return _xml(urlset)


@router.get("/sitemap.xml")
def sitemap_xml(request: Request, store: StoreDep, visitor: VisitorDep) -> Response:
    def make() -> bytes:
        with store.session() as session:
            entries = repo.published_entries(session, limit=50_000)
        return sitemap(public_base(request), entries)

    return _serve(request, visitor, XML_TYPE, make)


@router.get("/news-sitemap.xml")
def news_sitemap_xml(request: Request, store: StoreDep, visitor: VisitorDep) -> Response:
    def make() -> bytes:
        with store.session() as session:
            entries = repo.published_entries(session, limit=1000)
        return news_sitemap(public_base(request), _site_name(request), entries, utcnow())

    return _serve(request, visitor, XML_TYPE, make)


@router.get("/robots.txt")
def robots(request: Request) -> Response:
    base = public_base(request)
    lines = ["User-agent: *", "Disallow: /desk", f"Sitemap: {base}/sitemap.xml"]
    body = "\n".join([*lines, f"Sitemap: {base}/news-sitemap.xml", ""])
    return Response(body, media_type="text/plain; charset=utf-8")
