"""Ingest: safe fetching, feed parsing and feed polling."""

from newsdesk.ingest.feeds import Feed, FeedEntry, FeedError, parse_feed
from newsdesk.ingest.fetch import Fetcher, FetchError, FetchResult
from newsdesk.ingest.poll import FeedPoll, poll_feed

__all__ = [
    "Feed",
    "FeedEntry",
    "FeedError",
    "FeedPoll",
    "FetchError",
    "FetchResult",
    "Fetcher",
    "parse_feed",
    "poll_feed",
]
