"""Ingest: safe and polite fetching, feeds, sitemaps, OPML, archives, and source polling."""

from newsdesk.ingest.feeds import Feed, FeedEntry, FeedError, parse_feed
from newsdesk.ingest.fetch import Fetcher, FetchError, FetchResult
from newsdesk.ingest.poll import (
    FeedPoll,
    SourceJob,
    poll_feed,
    poll_source,
    summarise_errors,
)

__all__ = [
    "Feed",
    "FeedEntry",
    "FeedError",
    "FeedPoll",
    "FetchError",
    "FetchResult",
    "Fetcher",
    "SourceJob",
    "parse_feed",
    "poll_feed",
    "poll_source",
    "summarise_errors",
]
