"""JSON Feed (https://jsonfeed.org, versions 1 and 1.1) into the same entries as RSS/Atom."""

from __future__ import annotations

import json
from typing import Any

from newsdesk.ingest.entries import (
    Feed,
    FeedEntry,
    FeedError,
    clean_text,
    resolve_link,
)
from newsdesk.ingest.feeddates import listed_time

JSON_FEED_VERSION_PREFIX = "https://jsonfeed.org/version/"


def parse_json_feed(body: bytes, url: str) -> Feed:
    """Parse a JSON Feed fetched from ``url``; raise FeedError if it is not one."""
    try:
        data = json.loads(body.decode("utf-8-sig"))
    except (UnicodeDecodeError, json.JSONDecodeError) as error:
        raise FeedError(f"{url} is not valid JSON ({error})") from None
    if not isinstance(data, dict) or not str(data.get("version", "")).startswith(
        JSON_FEED_VERSION_PREFIX
    ):
        raise FeedError(f"{url} is not an RSS, Atom or JSON feed (JSON without a feed version)")
    items = data.get("items")
    if not isinstance(items, list):
        raise FeedError(f"the JSON Feed at {url} has no list of items")
    entries = [entry for item in items if (entry := read_item(item, url)) is not None]
    if items and not entries:
        raise FeedError(f"none of the {len(items)} items of the JSON Feed at {url} has a link")
    return Feed(
        title=clean_text(data.get("title")),
        entries=entries,
        link=resolve_link(as_text(data.get("home_page_url")), url),
    )


def read_item(item: Any, feed_url: str) -> FeedEntry | None:
    """One item, or None when it has neither ``url`` nor a permalink ``id``."""
    if not isinstance(item, dict):
        return None
    link = resolve_link(as_text(item.get("url")) or as_text(item.get("external_url")), feed_url)
    permalink = as_text(item.get("id"))
    if link is None and permalink and permalink.startswith(("http://", "https://")):
        link = resolve_link(permalink, feed_url)  # an id is a link only when absolute
    if link is None:
        return None
    return FeedEntry(
        url=link,
        title=clean_text(item.get("title")),
        published=listed_time(item.get("date_published")) or listed_time(item.get("date_modified")),
        author=author_of(item),
        summary=clean_text(item.get("summary") or item.get("content_html")),
    )


def author_of(item: dict[str, Any]) -> str | None:
    authors = item.get("authors") or ([item["author"]] if item.get("author") else [])
    names = [clean_text(a.get("name")) for a in authors if isinstance(a, dict)]
    return ", ".join(name for name in names if name) or None


def as_text(value: object) -> str | None:
    return value if isinstance(value, str) else None
