"""Feed autodiscovery: the feeds a site's page announces with ``<link rel="alternate">``.

When a page announces none, links whose address looks like a feed (``/feed``, ``.rss``,
``atom.xml`` ...) are offered instead, as browsers and feed readers do.
"""

from __future__ import annotations

import re
from typing import Any

import lxml.html
from lxml import etree

from newsdesk.ingest.entries import resolve_link

FEED_TYPES = frozenset(
    {
        "application/rss+xml",
        "application/atom+xml",
        "application/rdf+xml",
        "application/feed+json",
        "application/json",
        "text/xml",
        "application/xml",
    }
)
_FEEDISH_HREF = re.compile(
    r"(?:/feed/?|/rss/?|\.rss|\.atom|/atom\.xml|/rss\.xml|/feed\.xml)$", re.I
)
MAX_FEEDS = 20


def discover_feeds(page: str | bytes, url: str) -> list[str]:
    """Absolute feed URLs announced by the HTML ``page`` fetched from ``url``, in page order."""
    tree = parse_page(page)
    if tree is None:
        return []
    announced = [
        link
        for element in tree.iter("link")
        if is_feed_link(element) and (link := resolve_link(element.get("href"), url))
    ]
    if announced:
        return unique(announced)[:MAX_FEEDS]
    guessed = [
        link
        for element in tree.iter("a")
        if _FEEDISH_HREF.search((element.get("href") or "").split("?", 1)[0])
        and (link := resolve_link(element.get("href"), url))
    ]
    return unique(guessed)[:MAX_FEEDS]


def is_feed_link(element: Any) -> bool:
    rels = (element.get("rel") or "").lower().split()
    kind = (element.get("type") or "").split(";", 1)[0].strip().lower()
    return "alternate" in rels and kind in FEED_TYPES and bool(element.get("href"))


def parse_page(page: str | bytes) -> Any:
    try:
        return lxml.html.document_fromstring(page)
    except (etree.ParserError, ValueError):
        return None


def unique(links: list[str]) -> list[str]:
    return list(dict.fromkeys(links))
