"""OPML subscription lists: read the sources out of one, and write one from our sources.

Lists are often written by hand or by old tools, so they are read as leniently as
listparser reads them: HTML entity names, a bare "&", unclosed or stray tags (libxml2's
recover mode, see :func:`newsdesk.ingest.xmlsafe.parse_xml_leniently`), attribute and
element names in any case (``xmlUrl``, ``xmlurl``, ``XMLURL``). The hostile-input rules
stay: no entity declarations, no DTD, no network, a size cap.

Feeds are outlines with an ``xmlUrl`` (``type="rss"``). A sitemap is written as
``type="sitemap"`` with ``url``, not ``xmlUrl``: readers that ignore ``type`` (listparser,
most feed readers) would otherwise subscribe to it as a feed and fail to parse it. A
single page is ``type="link"`` with ``url``, as OPML 2.0 defines a link to a web page;
a link to another ``.opml`` list is an inclusion, and is never fetched.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC, datetime
from email.utils import format_datetime
from typing import Any
from urllib.parse import urlsplit
from xml.sax.saxutils import quoteattr

from newsdesk.ingest.xmlsafe import UnsafeXMLError, local_name, parse_xml_leniently

MAX_OUTLINES = 10_000
MAX_OPML_BYTES = 10_000_000
"""Ten thousand outlines take about 2 MB."""
KIND_TYPES = {"feed": "rss", "sitemap": "sitemap", "page": "link"}
"""The outline ``type`` each kind of source is written with."""


class OPMLError(ValueError):
    """The file is not a usable OPML subscription list; the message says why."""


@dataclass(frozen=True)
class Subscription:
    url: str
    title: str | None = None
    site: str | None = None
    category: str | None = None
    """The enclosing outline's title, when the list groups its sources."""
    kind: str = "feed"
    """How the source is read: "feed", "sitemap" or "page" (see newsdesk.ingest.poll)."""


def parse_opml(body: bytes, where: str = "the OPML file") -> list[Subscription]:
    """Every outline with an http(s) feed, sitemap or page URL, in document order, without
    repeats."""
    if len(body) > MAX_OPML_BYTES:
        raise OPMLError(f"{where} is larger than {MAX_OPML_BYTES} bytes")
    try:
        root, damage = parse_xml_leniently(body, where)
    except UnsafeXMLError as error:
        raise OPMLError(str(error)) from None
    if local_name(root).lower() != "opml":
        raise OPMLError(f"{where} is not OPML (its root is <{local_name(root) or '?'}>)")
    found: dict[str, Subscription] = {}
    for outline in root.iter():
        item = read_outline(outline) if is_outline(outline) else None
        if item is None or item.url in found:
            continue
        found[item.url] = item
        if len(found) >= MAX_OUTLINES:
            break
    if damage is not None and not found:
        # Nothing survived the damage: say what it was rather than "no feeds".
        raise OPMLError(damage)
    return list(found.values())


def is_outline(element: Any) -> bool:
    return local_name(element).lower() == "outline"


def read_outline(outline: Any) -> Subscription | None:
    """The source an outline names, or None (a folder, an inclusion, no http(s) URL)."""
    attributes = lower_attributes(outline)
    kind, url = kind_and_url(attributes)
    if kind is None or not url.startswith(("http://", "https://")):
        return None
    parent = outline.getparent()
    category = outline_title(lower_attributes(parent)) if is_outline(parent) else None
    return Subscription(
        url=url,
        title=outline_title(attributes),
        site=attributes.get("htmlurl", "").strip() or None,
        category=category,
        kind=kind,
    )


def kind_and_url(attributes: dict[str, str]) -> tuple[str | None, str]:
    kind = attributes.get("type", "").strip().lower()
    feed_url = attributes.get("xmlurl", "").strip()
    link = attributes.get("url", "").strip()
    if kind == "sitemap":
        return "sitemap", link or feed_url
    if feed_url:
        return "feed", feed_url
    if kind == "link" and link and not urlsplit(link).path.lower().endswith(".opml"):
        return "page", link
    return None, ""


def lower_attributes(element: Any) -> dict[str, str]:
    """Attribute names without namespace, in lower case: files spell them every way."""
    return {str(name).rsplit("}", 1)[-1].lower(): str(value) for name, value in element.items()}


def outline_title(attributes: dict[str, str]) -> str | None:
    return attributes.get("title", "").strip() or attributes.get("text", "").strip() or None


def render_opml(subscriptions: Iterable[Subscription], title: str = "newsdesk sources") -> str:
    """An OPML 2.0 document listing ``subscriptions`` (every value escaped)."""
    created = format_datetime(datetime.now(UTC), usegmt=True)
    lines = [
        '<?xml version="1.0" encoding="UTF-8"?>',
        '<opml version="2.0">',
        f"  <head><title>{escape_text(title)}</title><dateCreated>{created}</dateCreated></head>",
        "  <body>",
    ]
    lines += [f"    <outline {' '.join(outline_attributes(item))}/>" for item in subscriptions]
    lines += ["  </body>", "</opml>", ""]
    return "\n".join(lines)


def outline_attributes(item: Subscription) -> list[str]:
    name = item.title or item.url
    kind = item.kind if item.kind in KIND_TYPES else "feed"
    url_name = "xmlUrl" if kind == "feed" else "url"
    attributes = [
        f'type="{KIND_TYPES[kind]}"',
        f"text={quoteattr(name)}",
        f"title={quoteattr(name)}",
        f"{url_name}={quoteattr(item.url)}",
    ]
    if item.site:
        attributes.append(f"htmlUrl={quoteattr(item.site)}")
    return attributes


def escape_text(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
