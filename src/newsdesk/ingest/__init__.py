"""Ingest: safe and polite fetching, feeds, sitemaps, OPML, archives, and source polling.

The public names are loaded on first use (PEP 562): a command that needs one piece of
ingest (``newsdesk extract`` reading local pages) does not pay for feedparser, httpx,
warcio and the poller at start-up.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from newsdesk.ingest.feeds import Feed, FeedEntry, FeedError, parse_feed
    from newsdesk.ingest.fetch import Fetcher, FetchError, FetchResult
    from newsdesk.ingest.health import next_poll_after_failure
    from newsdesk.ingest.imports import ImportFailure
    from newsdesk.ingest.poll import (
        FeedPoll,
        SourceJob,
        poll_feed,
        poll_source,
        summarise_errors,
    )
    from newsdesk.ingest.robots import RobotsCache

_HOMES = {
    "Feed": "feeds",
    "FeedEntry": "feeds",
    "FeedError": "feeds",
    "parse_feed": "feeds",
    "Fetcher": "fetch",
    "FetchError": "fetch",
    "FetchResult": "fetch",
    "next_poll_after_failure": "health",
    "ImportFailure": "imports",
    "FeedPoll": "poll",
    "SourceJob": "poll",
    "poll_feed": "poll",
    "poll_source": "poll",
    "summarise_errors": "poll",
    "RobotsCache": "robots",
}


def __getattr__(name: str) -> object:
    home = _HOMES.get(name)
    if home is None:
        raise AttributeError(f"module 'newsdesk.ingest' has no attribute {name!r}")
    return getattr(importlib.import_module(f"newsdesk.ingest.{home}"), name)


__all__ = [
    "Feed",
    "FeedEntry",
    "FeedError",
    "FeedPoll",
    "FetchError",
    "FetchResult",
    "Fetcher",
    "ImportFailure",
    "RobotsCache",
    "SourceJob",
    "next_poll_after_failure",
    "parse_feed",
    "poll_feed",
    "poll_source",
    "summarise_errors",
]
