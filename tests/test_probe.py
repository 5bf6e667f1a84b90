"""Looking at URLs before they become sources: at once, in order, politely."""

from __future__ import annotations

import ipaddress
from itertools import pairwise
from typing import Any

import pytest

from loopback_server import LoopbackServer
from newsdesk.ingest import politeness
from newsdesk.ingest.fetch import Fetcher
from newsdesk.ingest.guard import IPAddress, explain_refusal
from newsdesk.ingest.probe import private_hosts, probe_each
from newsdesk.settings import Settings

pytestmark = pytest.mark.anyio
PUBLIC_STAND_IN = ipaddress.ip_address("127.0.0.2")
"""Plays a public server: the tests' address rule lets it through, nothing else."""


def make_settings(**overrides: Any) -> Settings:
    return Settings(_env_file=None, **{"fetch_retries": 0, **overrides})


def allow_stand_in(ip: IPAddress) -> str | None:
    return None if ip == PUBLIC_STAND_IN else explain_refusal(ip)


@pytest.fixture
def waits(monkeypatch: pytest.MonkeyPatch) -> list[float]:
    """Every politeness gap (anyio.sleep) of the test, recorded instead of waited."""
    recorded: list[float] = []

    async def record(delay: float) -> None:
        recorded.append(delay)

    monkeypatch.setattr(politeness.anyio, "sleep", record)
    return recorded


async def test_a_public_host_keeps_its_gap_when_urls_are_looked_at_once(
    waits: list[float],
) -> None:
    with LoopbackServer(host=str(PUBLIC_STAND_IN)) as server:
        for n in range(6):
            server.serve_file(f"/f{n}", "rss.xml", content_type="application/rss+xml")
        urls = [server.url(f"/f{n}") for n in range(6)]
        settings = make_settings(fetch_host_delay_s=5.0)
        async with Fetcher(settings, check_address=allow_stand_in) as fetcher:
            probes = await probe_each(urls, lambda url: fetcher)
    assert [(p.url, p.kind, p.title) for p in probes] == [
        (url, "feed", "The Estuary Courier") for url in urls
    ]
    # robots.txt (a 404) and six feeds: each start after the first waits its turn, 5 s apart.
    assert len(waits) == 6
    assert all(later - earlier > 4.5 for earlier, later in pairwise(waits))


async def test_only_hosts_whose_every_address_is_private_go_without_a_gap() -> None:
    urls = [
        "http://127.0.0.1:8080/feed",
        "http://127.0.0.1:8080/other",
        "http://[::1]:9000/rss",
        "http://10.1.2.3/sitemap.xml",
        "https://93.184.215.14/feed",
        "not a url",
    ]
    assert await private_hosts(urls) == {"127.0.0.1:8080", "::1:9000", "10.1.2.3:80"}
