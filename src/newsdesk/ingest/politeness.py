"""Per-host politeness: at most N requests in flight to one host, and a gap between starts.

A host is ``host:port``, so that two sites behind one address are still two hosts and a
site is not hammered through many URLs. The gap is the larger of the configured delay
and the site's robots.txt ``Crawl-delay`` (capped, so one site cannot stall a poll).
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

import anyio

MAX_CRAWL_DELAY_S = 30.0


class HostGate:
    """Hands out request slots per host; share one gate between the fetches of a run."""

    def __init__(self, concurrency: int, delay_s: float) -> None:
        self.concurrency = concurrency
        self.delay_s = delay_s
        self._limiters: dict[str, anyio.CapacityLimiter] = {}
        self._locks: dict[str, anyio.Lock] = {}
        self._next_start: dict[str, float] = {}

    @asynccontextmanager
    async def slot(self, host: str, crawl_delay_s: float | None = None) -> AsyncIterator[None]:
        """Wait for a free slot of ``host`` and for its gap since the last start."""
        limiter = self._limiters.get(host)
        if limiter is None:
            limiter = self._limiters[host] = anyio.CapacityLimiter(self.concurrency)
            self._locks[host] = anyio.Lock()
        async with limiter:
            await self._space(host, self.gap_for(crawl_delay_s))
            yield

    def gap_for(self, crawl_delay_s: float | None) -> float:
        declared = min(crawl_delay_s or 0.0, MAX_CRAWL_DELAY_S)
        return max(self.delay_s, declared)

    async def _space(self, host: str, gap: float) -> None:
        if gap <= 0:
            return
        async with self._locks[host]:
            now = anyio.current_time()
            start = max(now, self._next_start.get(host, now))
            self._next_start[host] = start + gap
        if start > now:
            await anyio.sleep(start - now)
