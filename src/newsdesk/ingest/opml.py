"""OPML subscription lists: read the feeds out of one, and write one from our sources."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC, datetime
from email.utils import format_datetime
from xml.sax.saxutils import quoteattr

from newsdesk.ingest.xmlsafe import UnsafeXMLError, local_name, parse_xml

MAX_OUTLINES = 10_000


class OPMLError(ValueError):
    """The file is not a usable OPML subscription list; the message says why."""


@dataclass(frozen=True)
class Subscription:
    url: str
    title: str | None = None
    site: str | None = None
    category: str | None = None
    """The enclosing outline's title, when the list groups its feeds."""


def parse_opml(body: bytes, where: str = "the OPML file") -> list[Subscription]:
    """Every outline with an http(s) ``xmlUrl``, in document order, without repeats."""
    try:
        root = parse_xml(body, where)
    except UnsafeXMLError as error:
        raise OPMLError(str(error)) from None
    if local_name(root) != "opml":
        raise OPMLError(f"{where} is not OPML (its root is <{local_name(root) or '?'}>)")
    found: dict[str, Subscription] = {}
    for outline in root.iter("outline"):
        url = (outline.get("xmlUrl") or outline.get("xmlurl") or "").strip()
        if not url.startswith(("http://", "https://")) or url in found:
            continue
        parent = outline.getparent()
        category = (
            parent.get("title") or parent.get("text") if local_name(parent) == "outline" else None
        )
        found[url] = Subscription(
            url=url,
            title=outline.get("title") or outline.get("text") or None,
            site=outline.get("htmlUrl") or None,
            category=category or None,
        )
        if len(found) >= MAX_OUTLINES:
            break
    return list(found.values())


def render_opml(subscriptions: Iterable[Subscription], title: str = "newsdesk sources") -> str:
    """An OPML 2.0 document listing ``subscriptions`` (every value escaped)."""
    created = format_datetime(datetime.now(UTC), usegmt=True)
    lines = [
        '<?xml version="1.0" encoding="UTF-8"?>',
        '<opml version="2.0">',
        f"  <head><title>{escape_text(title)}</title><dateCreated>{created}</dateCreated></head>",
        "  <body>",
    ]
    for item in subscriptions:
        name = item.title or item.url
        attributes = [
            'type="rss"',
            f"text={quoteattr(name)}",
            f"title={quoteattr(name)}",
            f"xmlUrl={quoteattr(item.url)}",
        ]
        if item.site:
            attributes.append(f"htmlUrl={quoteattr(item.site)}")
        lines.append(f"    <outline {' '.join(attributes)}/>")
    lines += ["  </body>", "</opml>", ""]
    return "\n".join(lines)


def escape_text(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
