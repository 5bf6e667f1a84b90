"""Poll one source: fetch its listing, fetch its new articles, extract them into Documents.

A source is a feed (RSS, Atom, JSON Feed), a sitemap (or sitemap index, or Google News
sitemap) or a single article page. The listing is fetched with the validators of the
last poll, so an unchanged feed costs one 304. A listing that cannot be fetched or
parsed raises (the caller decides about backoff); an article that fails is recorded in
``FeedPoll.errors`` and the others go on.

One poll fetches at most MAX_NEW_ENTRIES new articles, the newest first: a feed of
100,000 items is read a hundred at a time, each poll taking the next ones (its validators
are not kept while it has more, so the next poll reads it again). With a sink, documents
leave the poll in batches as they are fetched, so that a killed run keeps what it fetched.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import datetime, time
from functools import partial
from itertools import islice
from typing import Any
from urllib.parse import urlsplit

import anyio
import anyio.to_thread

from newsdesk.extract import ExtractionError, canonicalize_url, decode_html, extract_document
from newsdesk.ingest.discover import discover_feeds
from newsdesk.ingest.feeds import Feed, FeedEntry, FeedError, looks_like_html, parse_feed
from newsdesk.ingest.fetch import Fetcher, FetchError, FetchResult
from newsdesk.ingest.localfiles import refuse_binary
from newsdesk.ingest.sitemaps import parse_sitemap
from newsdesk.records import Document

HTML_TYPES = frozenset({"", "text/html", "application/xhtml+xml"})
SOURCE_KINDS = ("feed", "sitemap", "page")
SITEMAP_MAX_ENTRIES = 100
"""Newest pages read per poll of a sitemap (a site's sitemap may list years of pages)."""
SITEMAP_MAX_CHILDREN = 3
MAX_NEW_ENTRIES = SITEMAP_MAX_ENTRIES
"""New articles fetched per poll of one source (feed, sitemap), newest first."""
DOCUMENT_BATCH = 20
"""Documents handed to a poll's sink at a time."""
DocumentSink = Callable[[list[Document]], None]
"""Takes a batch of a poll's documents as they are fetched (the pipeline commits them)."""


@dataclass
class FeedPoll:
    feed_url: str
    title: str | None
    documents: list[Document] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)
    """One line per article that failed, naming its URL and why."""
    not_modified: bool = False
    """The listing answered 304: nothing new, nothing fetched."""
    etag: str | None = None
    last_modified: str | None = None
    """Validators to send with the next poll."""
    more: bool = False
    """The listing had more new entries than one poll takes (MAX_NEW_ENTRIES): the next
    poll reads it again, without validators, and takes the next ones."""


async def poll_source(
    kind: str,
    url: str,
    fetcher: Fetcher,
    is_known: Callable[[str], bool],
    *,
    etag: str | None = None,
    last_modified: str | None = None,
    sink: DocumentSink | None = None,
) -> FeedPoll:
    """Poll a source of any kind (see SOURCE_KINDS).

    With ``sink``, documents are handed to it in batches while the poll goes on; those
    left at the end are in ``documents``.
    """
    if kind == "page":
        return await poll_page(url, fetcher, is_known)
    fetched = await fetcher.fetch(url, etag=etag, last_modified=last_modified)
    if fetched.not_modified:
        return FeedPoll(url, None, not_modified=True, etag=etag, last_modified=last_modified)
    if kind == "sitemap":
        feed = await read_sitemaps(fetched, fetcher)
    else:
        # feedparser takes ~0.5 ms an item: a feed of 100,000 must not stall the other polls.
        feed = await anyio.to_thread.run_sync(read_feed, fetched)
    poll = await fetch_entries(url, feed, fetcher, is_known, sink)
    if not poll.more:
        poll.etag, poll.last_modified = fetched.etag, fetched.last_modified
    return poll


async def poll_feed(
    feed_url: str,
    fetcher: Fetcher,
    is_known: Callable[[str], bool],
    *,
    etag: str | None = None,
    last_modified: str | None = None,
) -> FeedPoll:
    """Fetch ``feed_url`` and every entry not ``is_known(url)``; extract them concurrently.

    Concurrency is bounded by the fetcher. Raises FetchError or FeedError for the feed.
    """
    return await poll_source(
        "feed", feed_url, fetcher, is_known, etag=etag, last_modified=last_modified
    )


def read_feed(fetched: FetchResult) -> Feed:
    """The feed in a response; an HTML page gets an error naming the feeds it announces."""
    try:
        return parse_feed(fetched.body, fetched.url, fetched.content_type)
    except FeedError as error:
        if not looks_like_html(fetched.body):
            raise
        found = discover_feeds(fetched.body, fetched.url)
        if not found:
            raise
        raise FeedError(f"{error}; it announces the feed(s) {', '.join(found[:3])}") from None


async def read_sitemaps(fetched: FetchResult, fetcher: Fetcher) -> Feed:
    """The newest pages of a sitemap, or of the newest sitemaps of a sitemap index."""
    sitemap = parse_sitemap(fetched.body, fetched.url, SITEMAP_MAX_ENTRIES)
    entries = list(sitemap.entries)
    for child in sitemap.children[:SITEMAP_MAX_CHILDREN]:
        inner = await fetcher.fetch(child)
        entries += parse_sitemap(inner.body, inner.url, SITEMAP_MAX_ENTRIES).entries
    return Feed(title=sitemap.publication, entries=newest(entries, SITEMAP_MAX_ENTRIES))


def newest(entries: list[FeedEntry], limit: int) -> list[FeedEntry]:
    return newest_first(entries)[:limit]


async def poll_page(url: str, fetcher: Fetcher, is_known: Callable[[str], bool]) -> FeedPoll:
    """A single article URL: fetched until it is stored, then never again."""
    if is_known(url) or is_known(canonicalize_url(url)):
        return FeedPoll(url, None)
    page = Feed(title=None, entries=[FeedEntry(url=url)])
    poll = await fetch_entries(url, page, fetcher, is_known)
    if poll.errors and not poll.documents:
        raise ExtractionError(poll.errors[0])
    return poll


async def fetch_entries(
    url: str,
    feed: Feed,
    fetcher: Fetcher,
    is_known: Callable[[str], bool],
    sink: DocumentSink | None = None,
) -> FeedPoll:
    """Fetch and extract the newest entries of ``feed`` not known yet (MAX_NEW_ENTRIES at
    most), concurrently; documents go to ``sink`` in batches as they come, if given."""
    fresh = iter_new_entries(newest_first(feed.entries), is_known)
    entries = list(islice(fresh, MAX_NEW_ENTRIES + 1))
    collector = Collector(FeedPoll(url, feed.title, more=len(entries) > MAX_NEW_ENTRIES), sink)

    async def collect(index: int, entry: FeedEntry) -> None:
        collector.add(index, await fetch_entry(entry, feed, fetcher, is_known))

    async with anyio.create_task_group() as group:
        collector.scope = group.cancel_scope
        for index, entry in enumerate(entries[:MAX_NEW_ENTRIES]):
            group.start_soon(collect, index, entry)
    return collector.finish()


def newest_first(entries: list[FeedEntry]) -> list[FeedEntry]:
    """Dated entries newest first, then the undated ones; ties keep the listing's order."""
    return sorted(entries, key=published_timestamp, reverse=True)  # sorted() is stable


def published_timestamp(entry: FeedEntry) -> float:
    return entry.published.timestamp() if entry.published else float("-inf")


def select_new_entries(
    entries: list[FeedEntry], is_known: Callable[[str], bool]
) -> list[FeedEntry]:
    """Entries whose URL is neither known nor repeated earlier in the feed."""
    return list(iter_new_entries(entries, is_known))


def iter_new_entries(
    entries: list[FeedEntry], is_known: Callable[[str], bool]
) -> Iterator[FeedEntry]:
    """Entries whose URL is neither known nor repeated earlier, asked lazily (a poll stops
    asking once it has enough).

    Documents are stored under canonical URLs, so the canonical form (no tracking
    parameters) is asked too: otherwise a ``?utm_source=rss`` link is refetched every poll.
    """
    seen: set[str] = set()
    for entry in entries:
        canonical = canonicalize_url(entry.url)
        if canonical in seen or is_known(entry.url):
            continue
        if canonical != entry.url and is_known(canonical):
            continue
        seen.add(canonical)
        yield entry


async def fetch_entry(
    entry: FeedEntry, feed: Feed, fetcher: Fetcher, is_known: Callable[[str], bool]
) -> Document | str | None:
    """The entry's Document, an error line, or None when its final URL is already known."""
    try:
        document = await fetch_document(entry, feed, fetcher)
    except (FetchError, ExtractionError) as exc:
        return str(exc)
    except Exception as exc:
        # Pages are hostile input: a parser crash on one must not lose the others.
        return f"{entry.url}: unexpected {type(exc).__name__}: {exc}"
    if document.url is not None and document.url != entry.url and is_known(document.url):
        return None
    return document


async def fetch_document(entry: FeedEntry, feed: Feed, fetcher: Fetcher) -> Document:
    """Fetch one article page and extract it, filling gaps from the feed entry."""
    result = await fetcher.fetch(entry.url)
    if result.content_type not in HTML_TYPES:
        raise ExtractionError(f"{entry.url} is not an HTML page ({result.content_type})")
    refuse_binary(result.body, result.url)
    page = decode_html(result.body, result.charset)
    # Extraction is CPU work in C and Python; keep it off the event loop.
    document = await anyio.to_thread.run_sync(partial(extract_document, page, url=result.url))
    return complete_document(document, entry, feed)


def complete_document(document: Document, entry: FeedEntry, feed: Feed) -> Document:
    """Fill source, title and date from the feed where the page did not say."""
    site = urlsplit(document.url or entry.url).hostname
    return document.model_copy(
        update={
            "source": document.source or feed.title or site,
            "title": document.title or entry.title,
            "published": pick_published(document.published, entry.published),
        }
    )


def pick_published(page: datetime | None, feed: datetime | None) -> datetime | None:
    """The page's date, unless it is a bare day the feed gives with a time."""
    if page is None:
        return feed
    if feed is not None and page.time() == time(0) and page.date() == feed.date():
        return feed
    return page


class Collector:
    """The outcomes of a poll's pages, kept in listing order; with a sink, documents leave
    in batches as they come. A sink that fails cancels the poll and is raised after it."""

    def __init__(self, poll: FeedPoll, sink: DocumentSink | None) -> None:
        self.poll = poll
        self.sink = sink
        self.scope: anyio.CancelScope | None = None
        self.failure: Exception | None = None
        self._documents: dict[int, Document] = {}
        self._errors: dict[int, str] = {}
        self._ids: set[str] = set()

    def add(self, index: int, outcome: Document | str | None) -> None:
        """One page's Document (the first of each id), error line, or None (known)."""
        if self.failure is not None:
            return
        if isinstance(outcome, str):
            self._errors[index] = outcome
        elif outcome is not None and outcome.id not in self._ids:
            self._ids.add(outcome.id)
            self._documents[index] = outcome
            if self.sink is not None and len(self._documents) >= DOCUMENT_BATCH:
                self._hand_over(self.sink)

    def _hand_over(self, sink: DocumentSink) -> None:
        try:
            sink(self._take())
        except Exception as error:
            self.failure = error
            if self.scope is not None:
                self.scope.cancel()

    def _take(self) -> list[Document]:
        documents = [self._documents[index] for index in sorted(self._documents)]
        self._documents = {}
        return documents

    def finish(self) -> FeedPoll:
        if self.failure is not None:
            raise self.failure
        self.poll.documents = self._take()
        self.poll.errors = [self._errors[index] for index in sorted(self._errors)]
        return self.poll


@dataclass(frozen=True)
class SourceJob:
    """What a poll needs to know of a stored source (read before the poll, not during)."""

    id: int
    url: str
    kind: str
    allow_private: bool
    etag: str | None
    last_modified: str | None
    failures: int

    @classmethod
    def of(cls, row: Any) -> SourceJob:
        return cls(
            id=row.id,
            url=row.url,
            kind=row.kind or "feed",
            allow_private=bool(row.allow_private),
            etag=row.etag,
            last_modified=row.last_modified,
            failures=row.failures or 0,
        )


def summarise_errors(errors: list[str], shown: int = 3) -> str | None:
    """The per-article problems of a poll in one line for the source's health."""
    if not errors:
        return None
    more = f" (and {len(errors) - shown} more)" if len(errors) > shown else ""
    return f"{len(errors)} article(s) failed: " + "; ".join(errors[:shown]) + more
