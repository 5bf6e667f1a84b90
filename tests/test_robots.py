"""robots.txt against a real loopback server: obeyed, cached, and its failures handled."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import anyio
import pytest

from loopback_server import LoopbackServer, sequence_route
from newsdesk.ingest.fetch import Fetcher, FetchError
from newsdesk.ingest.robots import RobotsCache, agent_token, interpret_robots
from newsdesk.settings import Settings

pytestmark = pytest.mark.anyio
ROBOTS = b"User-agent: *\nDisallow: /private/\n\nUser-agent: newsdesk\nDisallow: /drafts/\n"


@pytest.fixture
def server() -> Iterator[LoopbackServer]:
    with LoopbackServer() as running:
        running.serve("/news/a.html", b"<p>a</p>")
        running.serve("/drafts/b.html", b"<p>b</p>")
        running.serve("/private/c.html", b"<p>c</p>")
        yield running


def make_fetcher(**overrides: Any) -> Fetcher:
    values: dict[str, Any] = {
        "allow_private_networks": True,
        "fetch_host_delay_s": 0.0,
        "fetch_retries": 0,
        "user_agent": "newsdesk/0.1 (+https://newsdesk.example)",
        **overrides,
    }
    return Fetcher(Settings(_env_file=None, **values))


async def test_disallowed_paths_are_never_requested(server: LoopbackServer) -> None:
    server.serve("/robots.txt", ROBOTS, content_type="text/plain")
    async with make_fetcher() as fetcher:
        assert (await fetcher.fetch(server.url("/news/a.html"))).body == b"<p>a</p>"
        with pytest.raises(FetchError, match=r"robots.txt of .* disallows /drafts/b.html"):
            await fetcher.fetch(server.url("/drafts/b.html"))
        # Our own group replaces the "*" group, as RFC 9309 says.
        assert (await fetcher.fetch(server.url("/private/c.html"))).body == b"<p>c</p>"
    assert server.requests == ["/robots.txt", "/news/a.html", "/private/c.html"]


async def test_a_missing_robots_txt_allows_everything(server: LoopbackServer) -> None:
    async with make_fetcher() as fetcher:
        await fetcher.fetch(server.url("/drafts/b.html"))
        await fetcher.fetch(server.url("/news/a.html"))
    assert server.requests == ["/robots.txt", "/drafts/b.html", "/news/a.html"]  # read once


async def test_an_unavailable_robots_txt_keeps_us_away(server: LoopbackServer) -> None:
    server.routes["/robots.txt"] = sequence_route([(503, b"", {})])
    async with make_fetcher() as fetcher:
        with pytest.raises(FetchError, match=r"robots\.txt answered HTTP 503"):
            await fetcher.fetch(server.url("/news/a.html"))
    assert server.requests == ["/robots.txt"]


async def test_robots_can_be_switched_off(server: LoopbackServer) -> None:
    server.serve("/robots.txt", ROBOTS, content_type="text/plain")
    async with make_fetcher(obey_robots=False) as fetcher:
        await fetcher.fetch(server.url("/drafts/b.html"))
    assert server.requests == ["/drafts/b.html"]


async def test_crawl_delay_spaces_requests_to_the_host(server: LoopbackServer) -> None:
    server.serve("/robots.txt", b"User-agent: *\nCrawl-delay: 0.4\n", content_type="text/plain")
    started = anyio.current_time()
    async with make_fetcher() as fetcher:
        for _ in range(3):
            await fetcher.fetch(server.url("/news/a.html"))
    assert anyio.current_time() - started >= 0.8  # three starts, two gaps


async def test_the_cache_is_shared_between_fetchers(server: LoopbackServer) -> None:
    cache = RobotsCache()
    settings = Settings(_env_file=None, allow_private_networks=True, fetch_host_delay_s=0.0)
    for _ in range(2):
        async with Fetcher(settings, robots=cache) as fetcher:
            await fetcher.fetch(server.url("/news/a.html"))
    assert server.requests.count("/robots.txt") == 1


def test_interpret_robots_follows_rfc_9309() -> None:
    ok = interpret_robots(200, ROBOTS, expires=10, retry=1)
    assert not ok.allows("https://x.example/drafts/1", "newsdesk")
    assert ok.allows("https://x.example/news/1", "newsdesk")
    assert interpret_robots(404, b"", 10, 1).allows("https://x.example/any", "newsdesk")
    unavailable = interpret_robots(500, b"", 10, 1)
    assert unavailable.refusal and not unavailable.allows("https://x.example/", "newsdesk")
    assert unavailable.expires == 1


def test_agent_token_is_the_product_name() -> None:
    assert agent_token("newsdesk/0.1 (+https://x.example)") == "newsdesk"
    assert agent_token("") == "*"
