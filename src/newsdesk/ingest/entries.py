"""What every listing of articles (RSS, Atom, JSON Feed, sitemap) is read into."""

from __future__ import annotations

import html
import re
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any
from urllib.parse import urljoin, urlsplit

# Block tags become a space, inline tags vanish: "<p>a</p><p>b</p>" -> "a b", "<b>2</b>," -> "2,".
_BLOCK_TAG = re.compile(r"</?(?:p|div|br|li|ul|ol|h[1-6]|tr|td|th|blockquote|hr)\b[^>]*>", re.I)
_TAG = re.compile(r"<[^>]*>")


class FeedError(ValueError):
    """The body is not a usable feed; the message says why."""


@dataclass(frozen=True)
class FeedEntry:
    url: str
    """Absolute http(s) link of the entry, resolved against the feed URL."""
    title: str | None = None
    published: datetime | None = None
    """Publication (or, failing that, update) time in UTC."""
    author: str | None = None
    summary: str | None = None
    """Plain text: tags removed, entities decoded."""


@dataclass(frozen=True)
class Feed:
    title: str | None
    entries: list[FeedEntry] = field(default_factory=list)
    link: str | None = None
    """The site the feed belongs to, when the feed says."""


def resolve_link(link: str | None, base: str) -> str | None:
    """Absolute http(s) URL for ``link`` relative to ``base``, or None."""
    if not link or not link.strip():
        return None
    absolute = urljoin(base, link.strip())
    parts = urlsplit(absolute)
    if parts.scheme not in ("http", "https") or not parts.netloc:
        return None
    return parts._replace(fragment="").geturl()


def clean_text(value: object) -> str | None:
    """Plain text from a feed field that may hold HTML; None when empty."""
    if not isinstance(value, str):
        return None
    text = " ".join(html.unescape(_TAG.sub("", _BLOCK_TAG.sub(" ", value))).split())
    return text or None


def detail_text(container: Any, field: str) -> str | None:
    """A feedparser text field as plain text: HTML (``text/html``, XHTML) loses its tags,
    while a field its feed declares plain (``type="text"``) keeps every character: in
    "the <blink> tag" or "1 < 2" the brackets are words, not markup."""
    detail = container.get(f"{field}_detail")
    kind = detail.get("type") if isinstance(detail, dict) else None
    value = container.get(field)
    if kind == "text/plain" and isinstance(value, str):
        return " ".join(value.split()) or None
    return clean_text(value)


def parse_iso_time(value: object) -> datetime | None:
    """An RFC 3339 / W3C time ("2026-11-24", "2026-11-24T11:25:00Z", with an offset) in
    UTC; None for anything else. JSON Feed dates and sitemap dates both use it."""
    if not isinstance(value, str) or not value.strip():
        return None
    try:
        moment = datetime.fromisoformat(value.strip().replace("Z", "+00:00"))
    except ValueError:
        return None
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=UTC)
    return moment.astimezone(UTC)
