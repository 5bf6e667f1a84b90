"""Ingest: safe and polite fetching, feeds, sitemaps, OPML, archives, and source polling."""

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
