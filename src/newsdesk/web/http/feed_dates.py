"""The Last-Modified of a feed or sitemap: the newest modification date it states itself.

Read from the body about to be sent, not from the database, so the date always
describes that body, even when it comes from a render cache a little behind the store.
Only the formats' "modified" fields count (RSS lastBuildDate, Atom updated, JSON Feed
date_modified, sitemap lastmod); a document without one (the news sitemap) gets none.
"""

from __future__ import annotations

import json
import re
from datetime import UTC, datetime
from email.utils import parsedate_to_datetime

# Element names as the feed builders write them, with or without a namespace prefix.
_XML_FIELDS = {
    "application/rss+xml": re.compile(rb"<(?:[\w.-]+:)?lastBuildDate>([^<]{1,64})</"),
    "application/atom+xml": re.compile(rb"<(?:[\w.-]+:)?updated>([^<]{1,64})</"),
    "application/xml": re.compile(rb"<(?:[\w.-]+:)?lastmod>([^<]{1,64})</"),
}
JSON_FEED = "application/feed+json"


def _parse(text: str) -> datetime | None:
    text = text.strip()
    try:
        value = datetime.fromisoformat(text)
    except ValueError:
        try:
            value = parsedate_to_datetime(text)
        except (TypeError, ValueError):
            return None
    return value.replace(tzinfo=UTC) if value.tzinfo is None else value.astimezone(UTC)


def _json_feed_dates(body: bytes) -> list[str]:
    try:
        feed = json.loads(body)
    except ValueError:
        return []
    items = feed.get("items") if isinstance(feed, dict) else None
    if not isinstance(items, list):
        return []
    stamps = [item.get("date_modified") for item in items if isinstance(item, dict)]
    return [stamp for stamp in stamps if isinstance(stamp, str)]


def newest_date(content_type: str, body: bytes) -> datetime | None:
    media_type = content_type.partition(";")[0].strip().lower()
    if media_type == JSON_FEED:
        texts = _json_feed_dates(body)
    elif media_type in _XML_FIELDS:
        found = _XML_FIELDS[media_type].findall(body)
        texts = [raw.decode("utf-8", "replace") for raw in found]
    else:
        return None
    dates = [date for date in map(_parse, texts) if date is not None]
    return max(dates, default=None)
