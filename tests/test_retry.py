"""Retries against a real loopback server: 5xx and 429 retried, Retry-After honoured."""

from __future__ import annotations

import time
from datetime import UTC, datetime
from typing import Any

import pytest

from loopback_server import LoopbackServer, drip_route, sequence_route
from newsdesk.ingest.fetch import Fetcher, FetchError
from newsdesk.ingest.retry import backoff_delay, parse_retry_after, source_backoff
from newsdesk.settings import Settings

pytestmark = pytest.mark.anyio
OK = (200, b"fine", {"Content-Type": "text/plain"})


def make_fetcher(**overrides: Any) -> Fetcher:
    values: dict[str, Any] = {
        "allow_private_networks": True,
        "obey_robots": False,
        "fetch_host_delay_s": 0.0,
        "fetch_retry_base_s": 0.05,
        **overrides,
    }
    return Fetcher(Settings(_env_file=None, **values))


async def test_a_5xx_is_retried_until_it_succeeds(server: LoopbackServer) -> None:
    server.routes["/flaky"] = sequence_route([(503, b"", {}), (502, b"", {}), OK])
    async with make_fetcher(fetch_retries=2) as fetcher:
        result = await fetcher.fetch(server.url("/flaky"))
    assert result.body == b"fine"
    assert server.requests == ["/flaky"] * 3


async def test_retries_give_up_with_a_transient_error(server: LoopbackServer) -> None:
    server.routes["/down"] = sequence_route([(500, b"", {})])
    async with make_fetcher(fetch_retries=1) as fetcher:
        with pytest.raises(FetchError) as caught:
            await fetcher.fetch(server.url("/down"))
    assert caught.value.status == 500 and caught.value.transient
    assert "HTTP 500" in caught.value.reason
    assert len(server.requests) == 2


async def test_a_4xx_is_not_retried(server: LoopbackServer) -> None:
    server.routes["/gone"] = sequence_route([(410, b"", {}), OK])
    async with make_fetcher(fetch_retries=3) as fetcher:
        with pytest.raises(FetchError, match="HTTP 410"):
            await fetcher.fetch(server.url("/gone"))
    assert server.requests == ["/gone"]


async def test_429_waits_for_a_short_retry_after(server: LoopbackServer) -> None:
    server.routes["/busy"] = sequence_route([(429, b"", {"Retry-After": "1"}), OK])
    started = time.monotonic()
    async with make_fetcher(fetch_retries=1, fetch_retry_base_s=0.0) as fetcher:
        result = await fetcher.fetch(server.url("/busy"))
    assert result.body == b"fine"
    assert time.monotonic() - started >= 0.95


async def test_a_long_retry_after_is_reported_not_waited_for(server: LoopbackServer) -> None:
    server.routes["/busy"] = sequence_route([(429, b"", {"Retry-After": "3600"}), OK])
    started = time.monotonic()
    async with make_fetcher(fetch_retries=3, fetch_retry_max_wait_s=30) as fetcher:
        with pytest.raises(FetchError) as caught:
            await fetcher.fetch(server.url("/busy"))
    assert time.monotonic() - started < 2
    assert (caught.value.status, caught.value.retry_after) == (429, 3600.0)
    assert server.requests == ["/busy"]


async def test_a_read_timeout_is_retried(server: LoopbackServer) -> None:
    # One byte every 2 s: each read times out after 0.5 s; two tries, then a clear error.
    server.routes["/drip"] = drip_route(interval_s=2.0, count=5)
    started = time.monotonic()
    async with make_fetcher(fetch_retries=1, fetch_read_timeout_s=0.5) as fetcher:
        with pytest.raises(FetchError) as caught:
            await fetcher.fetch(server.url("/drip"))
    assert time.monotonic() - started < 4
    assert caught.value.transient and "timed out" in caught.value.reason
    assert server.requests == ["/drip", "/drip"]


def test_parse_retry_after_reads_seconds_and_dates() -> None:
    now = datetime(2026, 11, 3, 10, 0, tzinfo=UTC)
    assert parse_retry_after("120", now) == 120.0
    assert parse_retry_after("Tue, 03 Nov 2026 10:01:30 GMT", now) == 90.0
    assert parse_retry_after("Tue, 03 Nov 2026 09:00:00 GMT", now) == 0.0
    assert parse_retry_after("soon", now) is None
    assert parse_retry_after(None, now) is None


def test_backoff_grows_and_is_capped() -> None:
    assert 1.0 <= backoff_delay(0, 1.0) <= 1.25
    assert 4.0 <= backoff_delay(2, 1.0) <= 5.0
    assert [source_backoff(n, 300, 3600) for n in (0, 1, 2, 3, 5)] == [0, 300, 600, 1200, 3600]
