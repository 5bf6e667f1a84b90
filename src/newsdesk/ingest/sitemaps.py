"""XML sitemaps, sitemap indexes and Google News sitemaps, as lists of entries.

A sitemap lists a site's pages; a news sitemap adds each article's title and
publication date. Entries come newest first (by ``news:publication_date`` or
``lastmod``) so that a poll reads the latest articles, at most ``max_entries`` of them.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, datetime

from newsdesk.ingest.decode import BoundedInflater, DecodeError
from newsdesk.ingest.entries import FeedEntry, clean_text, resolve_link
from newsdesk.ingest.feeddates import listed_time
from newsdesk.ingest.xmlsafe import UnsafeXMLError, child_text, local_name, parse_xml

GZIP_MAGIC = b"\x1f\x8b"
MAX_SITEMAP_BYTES = 50_000_000  # the sitemaps.org limit for one uncompressed file


class SitemapError(ValueError):
    """The body is not a usable sitemap; the message says why."""


@dataclass(frozen=True)
class Sitemap:
    entries: list[FeedEntry] = field(default_factory=list)
    """Pages listed, newest first."""
    children: list[str] = field(default_factory=list)
    """For a sitemap index: the sitemaps it lists, newest first."""
    publication: str | None = None
    """The outlet named by a Google News sitemap."""


def looks_like_sitemap(body: bytes) -> bool:
    head = body[:2048]
    return head.startswith(GZIP_MAGIC) or b"<urlset" in head or b"<sitemapindex" in head


def parse_sitemap(body: bytes, url: str, max_entries: int = 1000) -> Sitemap:
    """Parse a (possibly gzipped) sitemap or sitemap index fetched from ``url``."""
    if body.startswith(GZIP_MAGIC):
        body = gunzip(body, url)
    try:
        root = parse_xml(body, f"the sitemap at {url}")
    except UnsafeXMLError as error:
        raise SitemapError(str(error)) from None
    kind = local_name(root)
    if kind == "sitemapindex":
        dated = [dated_link(item, url) for item in root if local_name(item) == "sitemap"]
        return Sitemap(children=[link for _, link in newest_first(dated)][:max_entries])
    if kind != "urlset":
        raise SitemapError(f"{url} is not a sitemap (its root is <{kind or '?'}>)")
    entries = [
        entry for item in root if local_name(item) == "url" and (entry := read_url(item, url))
    ]
    entries.sort(key=lambda e: e.published or datetime.min.replace(tzinfo=UTC), reverse=True)
    publication = next(
        (
            clean_text(child_text(item, "name"))
            for item in root.iter()
            if local_name(item) == "publication"
        ),
        None,
    )
    return Sitemap(entries=entries[:max_entries], publication=publication)


def read_url(item: object, base: str) -> FeedEntry | None:
    link = resolve_link(child_text(item, "loc"), base)
    if link is None:
        return None
    published = listed_time(child_text(item, "publication_date"))
    return FeedEntry(
        url=link,
        title=clean_text(child_text(item, "title")),
        published=published or listed_time(child_text(item, "lastmod")),
    )


def dated_link(item: object, base: str) -> tuple[datetime | None, str | None]:
    return listed_time(child_text(item, "lastmod")), resolve_link(child_text(item, "loc"), base)


def newest_first(
    dated: list[tuple[datetime | None, str | None]],
) -> list[tuple[datetime | None, str]]:
    known = [(when, link) for when, link in dated if link is not None]
    oldest = datetime.min.replace(tzinfo=UTC)
    return sorted(known, key=lambda pair: pair[0] or oldest, reverse=True)


def gunzip(body: bytes, url: str) -> bytes:
    inflater = BoundedInflater("gzip", MAX_SITEMAP_BYTES)
    try:
        inflater.feed(body)
        return inflater.finish()
    except DecodeError as error:
        raise SitemapError(f"the gzipped sitemap at {url}: {error}") from None
