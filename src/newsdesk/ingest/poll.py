"""Poll one feed: fetch it, fetch its new articles, extract them into Documents.

A feed that cannot be fetched or parsed raises (the caller decides about retries); an
article that fails is recorded in ``FeedPoll.errors`` and the others go on.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime, time
from functools import partial
from urllib.parse import urlsplit

import anyio
import anyio.to_thread

from newsdesk.extract import ExtractionError, canonicalize_url, decode_html, extract_document
from newsdesk.ingest.feeds import Feed, FeedEntry, parse_feed
from newsdesk.ingest.fetch import Fetcher, FetchError
from newsdesk.records import Document

HTML_TYPES = frozenset({"", "text/html", "application/xhtml+xml"})


@dataclass
class FeedPoll:
    feed_url: str
    title: str | None
    documents: list[Document] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)
    """One line per article that failed, naming its URL and why."""


async def poll_feed(feed_url: str, fetcher: Fetcher, is_known: Callable[[str], bool]) -> FeedPoll:
    """Fetch ``feed_url`` and every entry not ``is_known(url)``; extract them concurrently.

    Concurrency is bounded by the fetcher. Raises FetchError or FeedError for the feed.
    """
    fetched = await fetcher.fetch(feed_url)
    feed = parse_feed(fetched.body, fetched.url)
    entries = select_new_entries(feed.entries, is_known)
    outcomes: list[Document | str | None] = [None] * len(entries)

    async def collect(index: int, entry: FeedEntry) -> None:
        outcomes[index] = await fetch_entry(entry, feed, fetcher, is_known)

    async with anyio.create_task_group() as group:
        for index, entry in enumerate(entries):
            group.start_soon(collect, index, entry)
    return gather_outcomes(feed_url, feed.title, outcomes)


def select_new_entries(
    entries: list[FeedEntry], is_known: Callable[[str], bool]
) -> list[FeedEntry]:
    """Entries whose URL is neither known nor repeated earlier in the feed.

    Documents are stored under canonical URLs, so the canonical form (no tracking
    parameters) is asked too: otherwise a ``?utm_source=rss`` link is refetched every poll.
    """
    seen: set[str] = set()
    fresh: list[FeedEntry] = []
    for entry in entries:
        canonical = canonicalize_url(entry.url)
        if canonical in seen or is_known(entry.url):
            continue
        if canonical != entry.url and is_known(canonical):
            continue
        seen.add(canonical)
        fresh.append(entry)
    return fresh


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


def gather_outcomes(
    feed_url: str, title: str | None, outcomes: list[Document | str | None]
) -> FeedPoll:
    """Documents (first of each id) and error lines, in feed order."""
    poll = FeedPoll(feed_url=feed_url, title=title)
    ids: set[str] = set()
    for outcome in outcomes:
        if isinstance(outcome, str):
            poll.errors.append(outcome)
        elif outcome is not None and outcome.id not in ids:
            ids.add(outcome.id)
            poll.documents.append(outcome)
    return poll
