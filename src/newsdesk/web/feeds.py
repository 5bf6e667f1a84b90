"""Feeds out: RSS 2.0, Atom and JSON Feed (site-wide and per section), sitemaps.

Built with ElementTree / json, never by pasting strings, so every headline is escaped.
Links are absolute: ``NEWSDESK_PUBLIC_URL`` when set, else the address the request used.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from datetime import datetime, timedelta
from email.utils import format_datetime
from typing import Any
from xml.etree import ElementTree as ET

from fastapi import APIRouter, Request
from fastapi.responses import Response

from newsdesk.settings import Settings
from newsdesk.store import listing
from newsdesk.store.listing import Entry
from newsdesk.store.models import utcnow
from newsdesk.web.api import story_url
from newsdesk.web.deps import StoreDep
from newsdesk.web.render import cached
from newsdesk.web.sections import TOPICS, section_entries, topics_of
from newsdesk.web.sessions import VisitorDep
from newsdesk.web.stories import public_base

router = APIRouter(include_in_schema=False)

FEED_SIZE = 50
ATOM_NS = "http://www.w3.org/2005/Atom"
SITEMAP_NS = "http://www.sitemaps.org/schemas/sitemap/0.9"
NEWS_NS = "http://www.google.com/schemas/sitemap-news/0.9"
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


def rss_feed(title: str, base: str, home: str, self_url: str, entries: list[Entry]) -> bytes:
    ET.register_namespace("atom", ATOM_NS)
    rss = ET.Element("rss", {"version": "2.0"})
    channel = _sub(rss, "channel")
    _sub(channel, "title", title)
    _sub(channel, "link", home)
    _sub(
        channel,
        "description",
        f"{title}: stories written from their sources, every sentence cited.",
    )
    _sub(channel, "language", "en")
    _sub(channel, "lastBuildDate", format_datetime(_latest(entries)))
    _sub(channel, f"{{{ATOM_NS}}}link", href=self_url, rel="self", type="application/rss+xml")
    for entry in entries:
        item = _sub(channel, "item")
        link = base + story_url(entry.story_id)
        _sub(item, "title", entry.article.headline)
        _sub(item, "link", link)
        _sub(item, "guid", link, isPermaLink="true")
        _sub(item, "description", entry.article.standfirst)
        _sub(item, "pubDate", format_datetime(entry.first_published))
        for topic in topics_of(entry.article):
            _sub(item, "category", TOPICS[topic][0])
    return _xml(rss)


def atom_feed(
    title: str, base: str, home: str, self_url: str, site_name: str, entries: list[Entry]
) -> bytes:
    ET.register_namespace("", ATOM_NS)
    a = f"{{{ATOM_NS}}}"
    feed = ET.Element(f"{a}feed")
    _sub(feed, f"{a}id", self_url)
    _sub(feed, f"{a}title", title)
    _sub(feed, f"{a}updated", _iso(_latest(entries)))
    _sub(feed, f"{a}link", href=self_url, rel="self", type="application/atom+xml")
    _sub(feed, f"{a}link", href=home, rel="alternate", type="text/html")
    author = _sub(feed, f"{a}author")
    _sub(author, f"{a}name", site_name)
    for entry in entries:
        link = base + story_url(entry.story_id)
        node = _sub(feed, f"{a}entry")
        _sub(node, f"{a}id", link)
        _sub(node, f"{a}title", entry.article.headline)
        _sub(node, f"{a}link", href=link, rel="alternate", type="text/html")
        _sub(node, f"{a}published", _iso(entry.first_published))
        _sub(node, f"{a}updated", _iso(entry.updated))
        _sub(node, f"{a}summary", entry.article.standfirst, type="text")
        for topic in topics_of(entry.article):
            _sub(node, f"{a}category", term=topic, label=TOPICS[topic][0])
    return _xml(feed)


def json_feed(title: str, base: str, home: str, self_url: str, entries: list[Entry]) -> bytes:
    items = []
    for entry in entries:
        link = base + story_url(entry.story_id)
        items.append(
            {
                "id": link,
                "url": link,
                "title": entry.article.headline,
                "summary": entry.article.standfirst,
                "content_text": entry.article.standfirst,
                "date_published": _iso(entry.first_published),
                "date_modified": _iso(entry.updated),
                "tags": [TOPICS[t][0] for t in topics_of(entry.article)],
            }
        )
    feed: dict[str, Any] = {
        "version": "https://jsonfeed.org/version/1.1",
        "title": title,
        "home_page_url": home,
        "feed_url": self_url,
        "language": "en",
        "items": items,
    }
    return json.dumps(feed, ensure_ascii=False).encode("utf-8")


def _site_name(request: Request) -> str:
    settings: Settings = request.app.state.settings
    return settings.site_name


def _serve(
    request: Request, visitor: VisitorDep, media_type: str, make: Callable[[], bytes]
) -> Response:
    return cached(request, visitor, lambda: Response(make(), media_type=media_type))


def _site_entries(store: StoreDep) -> list[Entry]:
    with store.session() as session:
        return listing.published_entries(session, limit=FEED_SIZE)


def _site_feed(request: Request, store: StoreDep, kind: str) -> bytes:
    base, name = public_base(request), _site_name(request)
    home, self_url, entries = base + "/", f"{base}/{kind}", _site_entries(store)
    if kind == "feed.xml":
        return rss_feed(name, base, home, self_url, entries)
    if kind == "atom.xml":
        return atom_feed(name, base, home, self_url, name, entries)
    return json_feed(name, base, home, self_url, entries)


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
    base, name = public_base(request), _site_name(request)
    home, self_url = f"{base}/sections/{slug}", f"{base}/sections/{slug}/{kind}"
    full_title = f"{name}: {title}"
    if kind == "feed.xml":
        return rss_feed(full_title, base, home, self_url, entries[:FEED_SIZE])
    if kind == "atom.xml":
        return atom_feed(full_title, base, home, self_url, name, entries[:FEED_SIZE])
    return json_feed(full_title, base, home, self_url, entries[:FEED_SIZE])


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
            entries = listing.published_entries(session, limit=50_000)
        return sitemap(public_base(request), entries)

    return _serve(request, visitor, XML_TYPE, make)


@router.get("/news-sitemap.xml")
def news_sitemap_xml(request: Request, store: StoreDep, visitor: VisitorDep) -> Response:
    def make() -> bytes:
        with store.session() as session:
            entries = listing.published_entries(session, limit=1000)
        return news_sitemap(public_base(request), _site_name(request), entries, utcnow())

    return _serve(request, visitor, XML_TYPE, make)


@router.get("/robots.txt")
def robots(request: Request) -> Response:
    base = public_base(request)
    lines = ["User-agent: *", "Disallow: /desk", f"Sitemap: {base}/sitemap.xml"]
    body = "\n".join([*lines, f"Sitemap: {base}/news-sitemap.xml", ""])
    return Response(body, media_type="text/plain; charset=utf-8")
