"""Source health: backoff after failures, Retry-After, and the words `sources list` shows."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from newsdesk.ingest.fetch import FetchError
from newsdesk.ingest.health import describe_health, next_poll_after_failure
from newsdesk.settings import Settings

NOW = datetime(2026, 11, 26, 12, tzinfo=UTC)
SETTINGS = Settings(_env_file=None, source_backoff_base_s=300, source_backoff_max_s=3600)


@dataclass
class Source:
    url: str = "https://feeds.example/rss"
    kind: str = "feed"
    items_seen: int = 0
    last_fetch_at: datetime | None = None
    last_success_at: datetime | None = None
    last_error: str | None = None
    failures: int = 0
    next_poll_at: datetime | None = None
    paused: bool = False


def test_backoff_doubles_and_is_capped() -> None:
    error = ValueError("not a feed")
    waits = [next_poll_after_failure(n, error, SETTINGS, NOW) - NOW for n in range(6)]
    assert [w.total_seconds() for w in waits] == [300, 600, 1200, 2400, 3600, 3600]


def test_retry_after_longer_than_the_backoff_wins() -> None:
    error = FetchError("https://x.example/", "HTTP 429", status=429, retry_after=7200)
    assert next_poll_after_failure(0, error, SETTINGS, NOW) == NOW + timedelta(hours=2)


def test_health_lines_say_what_is_going_on() -> None:
    new = describe_health(Source(), NOW)
    assert (new.status, new.last_success, new.next_poll) == ("new", "never", "next run")
    failing = describe_health(
        Source(failures=3, last_error="HTTP 503", next_poll_at=NOW + timedelta(minutes=20)), NOW
    )
    assert failing.status == "failing (3 in a row)"
    assert failing.next_poll == "2026-11-26T12:20:00+00:00" and failing.error == "HTTP 503"
    paused = describe_health(Source(failures=10, paused=True), NOW)
    assert paused.status == "paused after 10 failures in a row"
    assert "sources resume" in paused.next_poll
    ok = describe_health(Source(last_success_at=NOW, items_seen=7), NOW)
    assert (ok.status, ok.items) == ("ok", 7)
