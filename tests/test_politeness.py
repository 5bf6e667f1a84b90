"""Per-host limits: concurrency per host and the gap between request starts."""

from __future__ import annotations

import itertools
import threading
import time
from http.server import BaseHTTPRequestHandler

import anyio
import pytest

from loopback_server import LoopbackServer
from newsdesk.ingest.fetch import Fetcher
from newsdesk.ingest.politeness import MAX_CRAWL_DELAY_S, HostGate
from newsdesk.settings import Settings

pytestmark = pytest.mark.anyio


class InFlight:
    """Counts requests being answered at once, per server."""

    def __init__(self) -> None:
        self.now: dict[str, int] = {}
        self.most: dict[str, int] = {}
        self._lock = threading.Lock()

    def route(self, name: str) -> object:
        def slow(handler: BaseHTTPRequestHandler) -> None:
            with self._lock:
                self.now[name] = self.now.get(name, 0) + 1
                self.most[name] = max(self.most.get(name, 0), self.now[name])
            time.sleep(0.2)
            with self._lock:
                self.now[name] -= 1
            handler.send_response(200)
            handler.send_header("Content-Length", "2")
            handler.end_headers()
            handler.wfile.write(b"ok")

        return slow


async def test_each_host_gets_at_most_its_share() -> None:
    counter = InFlight()
    with LoopbackServer("127.0.0.1") as one, LoopbackServer("127.0.0.2") as two:
        one.routes["/slow"] = counter.route("one")  # type: ignore[assignment]
        two.routes["/slow"] = counter.route("two")  # type: ignore[assignment]
        settings = Settings(
            _env_file=None,
            allow_private_networks=True,
            obey_robots=False,
            fetch_concurrency=8,
            fetch_host_concurrency=2,
            fetch_host_delay_s=0.0,
        )
        async with Fetcher(settings) as fetcher, anyio.create_task_group() as group:
            for server in (one, two) * 4:
                group.start_soon(fetcher.fetch, server.url("/slow"))
    assert counter.most == {"one": 2, "two": 2}


async def test_starts_to_one_host_are_spaced_by_the_delay() -> None:
    gate = HostGate(concurrency=4, delay_s=0.1)
    starts: list[float] = []

    async def visit() -> None:
        async with gate.slot("news.example:443"):
            starts.append(anyio.current_time())

    async with anyio.create_task_group() as group:
        for _ in range(4):
            group.start_soon(visit)
    gaps = [later - earlier for earlier, later in itertools.pairwise(starts)]
    assert all(gap >= 0.09 for gap in gaps), gaps


async def test_other_hosts_do_not_wait() -> None:
    gate = HostGate(concurrency=1, delay_s=5.0)
    started = anyio.current_time()
    for host in ("a.example:80", "b.example:80", "c.example:80"):
        async with gate.slot(host):
            pass
    assert anyio.current_time() - started < 1.0


def test_a_site_cannot_ask_for_an_endless_delay() -> None:
    gate = HostGate(concurrency=1, delay_s=0.5)
    assert gate.gap_for(None) == 0.5
    assert gate.gap_for(2.0) == 2.0
    assert gate.gap_for(86_400.0) == MAX_CRAWL_DELAY_S
