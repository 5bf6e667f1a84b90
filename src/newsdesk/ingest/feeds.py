"""Parse RSS (0.9x, 1.0, 2.0), Atom and JSON Feed documents into plain entries.

feedparser is always handed ``io.BytesIO(body)``: given a string that looks like a path
it reads that local file, and given a URL it fetches by itself with no timeout (see
design.md). Fetching is the Fetcher's job, never feedparser's. Dates feedparser cannot
read (localised, odd spellings) are read by :mod:`newsdesk.ingest.feeddates`.
"""

from __future__ import annotations

import io
import re
from typing import Any

import feedparser

from newsdesk.ingest.entries import (
    Feed,
    FeedEntry,
    FeedError,
    clean_text,
    detail_text,
    resolve_link,
)
from newsdesk.ingest.feeddates import EntryDates
from newsdesk.ingest.jsonfeed import parse_json_feed

__all__ = [
    "Feed",
    "FeedEntry",
    "FeedError",
    "clean_text",
    "detail_text",
    "parse_feed",
    "resolve_link",
]

_HTML_START = re.compile(rb"^\s*(?:<!--.*?-->\s*)*<(?:!doctype\s+html|html[\s>])", re.I | re.S)
_HTML_ANYWHERE = re.compile(rb"<html[\s>]|<body[\s>]|<head[\s>]", re.I)
_ENTITY_DECLARATION = re.compile(rb"<!ENTITY", re.I)
_FEED_ROOT = re.compile(rb"<(?:rss|feed|rdf:RDF)[\s>]", re.I)
# feedparser rewrites the XML prolog, so its line numbers are off: drop the position.
_SAX_POSITION = re.compile(r"^<unknown>:\d+:\d+:\s*")
# feedparser sets "bozo" for these even on a good feed: we pass bytes, not a response.
_BENIGN_BOZO = (feedparser.NonXMLContentType, feedparser.CharacterEncodingOverride)


def parse_feed(body: bytes, url: str, content_type: str | None = None) -> Feed:
    """Parse a feed fetched from ``url``; raise FeedError if it is not one. The response's
    ``content_type`` tells the charset of a feed whose XML does not declare one (without
    it, such a feed would be read as ISO-8859-1)."""
    if not body.strip():
        raise FeedError(f"the feed at {url} is empty")
    if body.lstrip(b"\xef\xbb\xbf \t\r\n").startswith(b"{"):
        return parse_json_feed(body, url)
    if looks_like_html(body):
        raise FeedError(f"{url} is an HTML page, not a feed")
    if _ENTITY_DECLARATION.search(body[:65536]):
        # Feeds have no use for them; they are how XXE and "billion laughs" attacks work.
        raise FeedError(f"the feed at {url} declares XML entities, which are never read")
    headers = {"content-location": url}
    if content_type:
        headers["content-type"] = content_type
    parsed = feedparser.parse(io.BytesIO(body), response_headers=headers)
    raw_entries: list[Any] = list(parsed.entries)
    meta: Any = parsed.feed
    dates = EntryDates(meta.get("language"))
    entries = [e for raw in raw_entries if (e := read_entry(raw, url, dates)) is not None]
    if not entries and (has_serious_bozo(parsed) or not parsed.version):
        raise FeedError(f"{url} is not an RSS, Atom or JSON feed ({describe_bozo(parsed)})")
    if raw_entries and not entries:
        raise FeedError(f"none of the {len(raw_entries)} entries of the feed at {url} has a link")
    return Feed(
        title=detail_text(meta, "title"),
        entries=entries,
        link=resolve_link(meta.get("link"), url),
    )


def looks_like_html(body: bytes) -> bool:
    """True when the body is an HTML page rather than XML (a common wrong feed URL)."""
    head = body[:4096].lstrip(b"\xef\xbb\xbf")
    if _HTML_START.match(head):
        return True
    # An XHTML page starts with <?xml ...?> too; it is HTML if no feed root comes first.
    html_at = _HTML_ANYWHERE.search(head)
    feed_at = _FEED_ROOT.search(head)
    return html_at is not None and (feed_at is None or html_at.start() < feed_at.start())


def has_serious_bozo(parsed: Any) -> bool:
    """feedparser complained about more than a missing or odd Content-Type."""
    problem = parsed.get("bozo_exception")
    return bool(parsed.get("bozo")) and not isinstance(problem, _BENIGN_BOZO)


def describe_bozo(parsed: Any) -> str:
    """A short reason from feedparser's complaint, never echoing the body itself."""
    problem = parsed.get("bozo_exception")
    if problem is None or isinstance(problem, _BENIGN_BOZO):
        return "no feed elements found"
    text = _SAX_POSITION.sub("", str(problem).strip())
    text = text or type(problem).__name__
    return text if len(text) <= 120 else text[:117] + "..."


def read_entry(raw: Any, feed_url: str, dates: EntryDates | None = None) -> FeedEntry | None:
    """One entry, or None when it has no usable http(s) link."""
    url = resolve_link(pick_link(raw), feed_url)
    if url is None:
        return None
    return FeedEntry(
        url=url,
        title=detail_text(raw, "title"),
        published=(dates or EntryDates()).published(raw),
        author=clean_text(raw.get("author")),
        summary=clean_text(raw.get("summary")),
    )


def pick_link(raw: Any) -> str | None:
    """The entry's article link: ``link``, else the first alternate link, else a permalink id."""
    link = raw.get("link")
    if link:
        return str(link)
    for candidate in raw.get("links", []):
        if candidate.get("rel", "alternate") == "alternate" and candidate.get("href"):
            return str(candidate["href"])
    if raw.get("guidislink") and raw.get("id"):
        return str(raw["id"])
    return None
