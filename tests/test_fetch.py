"""The safe fetcher against real HTTP servers on loopback addresses.

To test the SSRF guard, a server listens on loopback while the fetcher refuses loopback:
each refusal test also proves that the server's request log stayed empty.
"""

from __future__ import annotations

import gzip
import ipaddress
import threading
import time
import tracemalloc
import zlib
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler
from typing import Any

import anyio
import pytest

from loopback_server import (
    LoopbackServer,
    conditional_route,
    drip_route,
    endless_route,
    free_port,
    gzip_bomb_route,
)
from newsdesk.ingest.fetch import MAX_REDIRECTS, Fetcher, FetchError
from newsdesk.ingest.guard import (
    IPAddress,
    explain_refusal,
    parse_ip_literal,
)
from newsdesk.settings import Settings

pytestmark = pytest.mark.anyio
PUBLIC_STAND_IN = ipaddress.ip_address("127.0.0.2")
"""Plays a public server: the tests' address rule lets it through, nothing else."""


@pytest.fixture
def anyio_backend() -> str:
    return "asyncio"


@pytest.fixture
def server() -> Iterator[LoopbackServer]:
    with LoopbackServer() as running:
        yield running


@pytest.fixture
def public_server() -> Iterator[LoopbackServer]:
    with LoopbackServer(str(PUBLIC_STAND_IN)) as running:
        yield running


def make_settings(**overrides: Any) -> Settings:
    """Settings for these tests: no robots.txt and no host delay unless a test asks."""
    polite: dict[str, Any] = {"obey_robots": False, "fetch_host_delay_s": 0.0}
    return Settings(_env_file=None, **{**polite, **overrides})


def allow_stand_in(ip: IPAddress) -> str | None:
    """The default rules, except that 127.0.0.2 counts as public."""
    return None if ip == PUBLIC_STAND_IN else explain_refusal(ip)


async def fetch_error(fetcher: Fetcher, url: str) -> FetchError:
    with pytest.raises(FetchError) as caught:
        await fetcher.fetch(url)
    return caught.value


# --- ordinary fetching -----------------------------------------------------------------


async def test_fetches_a_page_following_a_redirect(server: LoopbackServer) -> None:
    server.serve("/page", b"<p>hello</p>", headers={"X-Test": "1"})
    server.redirect("/old", "/page", status=301)
    settings = make_settings(allow_private_networks=True, user_agent="newsdesk-test/1")
    async with Fetcher(settings) as fetcher:
        result = await fetcher.fetch(server.url("/old"))
    assert result.url == server.url("/page")
    assert (result.status, result.content_type, result.charset) == (200, "text/html", "utf-8")
    assert result.body == b"<p>hello</p>"
    assert result.headers["x-test"] == "1"
    assert server.requests == ["/old", "/page"]
    assert server.headers_seen[0]["user-agent"] == "newsdesk-test/1"


@pytest.mark.parametrize("encoding", ["gzip", "deflate", "raw-deflate"])
async def test_decodes_compressed_bodies(server: LoopbackServer, encoding: str) -> None:
    text = b"<p>" + b"tidal mill " * 500 + b"</p>"
    packed = {
        "gzip": gzip.compress(text),
        "deflate": zlib.compress(text),
        "raw-deflate": zlib.compress(text, wbits=-zlib.MAX_WBITS),
    }[encoding]
    server.serve("/z", packed, headers={"Content-Encoding": encoding.removeprefix("raw-")})
    async with Fetcher(make_settings(allow_private_networks=True)) as fetcher:
        result = await fetcher.fetch(server.url("/z"))
    assert result.body == text


async def test_http_error_status_is_a_fetch_error(server: LoopbackServer) -> None:
    async with Fetcher(make_settings(allow_private_networks=True)) as fetcher:
        error = await fetch_error(fetcher, server.url("/missing"))
    assert "HTTP 404" in str(error)
    assert server.url("/missing") in str(error)


async def test_connection_refused_is_reported_plainly() -> None:
    async with Fetcher(make_settings(allow_private_networks=True)) as fetcher:
        error = await fetch_error(fetcher, f"http://127.0.0.1:{free_port()}/")
    assert "connection refused" in error.reason


# --- the SSRF guard ----------------------------------------------------------------------


@pytest.mark.parametrize(
    "host",
    [
        "127.0.0.1",
        "2130706433",  # decimal
        "0177.0.0.1",  # octal
        "0x7f.0.0.1",  # hex
        "0x7f000001",
        "127.1",
        "[::ffff:127.0.0.1]",  # IPv4-mapped IPv6: reaches the IPv4 server if allowed
        "[::ffff:7f00:1]",
        "localhost",  # a name: refused after resolution
    ],
)
async def test_refuses_loopback_in_every_spelling(server: LoopbackServer, host: str) -> None:
    server.serve("/secret", b"secret")
    async with Fetcher(make_settings()) as fetcher:
        error = await fetch_error(fetcher, f"http://{host}:{server.port}/secret")
    assert "refused" in error.reason or "invalid URL" in error.reason
    assert server.requests == []


async def test_refuses_ipv6_loopback() -> None:
    with LoopbackServer("::1") as server:
        async with Fetcher(make_settings()) as fetcher:
            error = await fetch_error(fetcher, server.url("/"))
        assert "loopback" in error.reason
        assert server.requests == []


@pytest.mark.parametrize("target_host", ["127.0.0.1", "localhost", "2130706433"])
async def test_refuses_redirect_to_loopback(
    public_server: LoopbackServer, server: LoopbackServer, target_host: str
) -> None:
    public_server.redirect("/story", f"http://{target_host}:{server.port}/admin")
    async with Fetcher(make_settings(), check_address=allow_stand_in) as fetcher:
        error = await fetch_error(fetcher, public_server.url("/story"))
    assert "refused" in error.reason
    assert public_server.requests == ["/story"]
    assert server.requests == []  # the forbidden target never got a request


async def test_allow_private_networks_reaches_loopback(server: LoopbackServer) -> None:
    server.serve("/", b"wire")
    async with Fetcher(make_settings(allow_private_networks=True)) as fetcher:
        assert (await fetcher.fetch(server.url("/"))).body == b"wire"


async def test_checks_every_resolved_address(
    public_server: LoopbackServer, server: LoopbackServer
) -> None:
    async def resolve(host: str, port: int) -> list[IPAddress]:
        return [PUBLIC_STAND_IN, ipaddress.ip_address("127.0.0.1")]

    fetcher = Fetcher(make_settings(), check_address=allow_stand_in, resolve=resolve)
    async with fetcher:
        error = await fetch_error(fetcher, f"http://news.example:{server.port}/")
    assert "news.example resolves to 127.0.0.1" in error.reason
    assert public_server.requests == [] and server.requests == []


async def test_connects_to_the_checked_address_keeping_the_host_name(
    public_server: LoopbackServer,
) -> None:
    public_server.serve("/", b"hello")
    asked: list[str] = []

    async def resolve(host: str, port: int) -> list[IPAddress]:
        asked.append(host)
        return [PUBLIC_STAND_IN]

    fetcher = Fetcher(make_settings(), check_address=allow_stand_in, resolve=resolve)
    async with fetcher:
        result = await fetcher.fetch(f"http://news.example:{public_server.port}/")
    assert result.body == b"hello"
    assert asked == ["news.example"]  # resolved once, by us, then connected by address
    assert public_server.headers_seen[0]["host"] == f"news.example:{public_server.port}"


async def test_checks_the_connected_peer_address_too(public_server: LoopbackServer) -> None:
    public_server.serve("/", b"hello")
    calls: list[IPAddress] = []

    def allow_only_before_connecting(ip: IPAddress) -> str | None:
        # First call: the resolved address (allowed). Second: the socket's peer (refused).
        calls.append(ip)
        return None if len(calls) == 1 else "refused on the second look"

    async def resolve(host: str, port: int) -> list[IPAddress]:
        return [PUBLIC_STAND_IN]  # a name, so no IP-literal check comes first

    fetcher = Fetcher(make_settings(), check_address=allow_only_before_connecting, resolve=resolve)
    async with fetcher:
        error = await fetch_error(fetcher, f"http://news.example:{public_server.port}/")
    assert "refused on the second look" in error.reason
    assert calls == [PUBLIC_STAND_IN, PUBLIC_STAND_IN]
    assert public_server.requests == []  # connected, checked, closed before any request


@pytest.mark.parametrize(
    "address",
    [
        "127.0.0.1",
        "10.1.2.3",
        "172.16.0.1",
        "192.168.1.1",
        "169.254.169.254",
        "169.254.1.1",
        "100.64.0.1",
        "0.0.0.0",
        "224.0.0.1",
        "240.0.0.1",
        "255.255.255.255",
        "::",
        "::1",
        "fe80::1",
        "fc00::1",
        "fd00:ec2::254",
        "ff02::1",
        "::ffff:10.0.0.1",
        "64:ff9b::7f00:1",  # NAT64 form of 127.0.0.1
        "2002:7f00:1::",  # 6to4 form of 127.0.0.1
    ],
)
def test_forbidden_addresses(address: str) -> None:
    assert explain_refusal(ipaddress.ip_address(address)) is not None


@pytest.mark.parametrize("address", ["93.184.216.34", "1.1.1.1", "2606:4700:4700::1111"])
def test_public_addresses_are_allowed(address: str) -> None:
    assert explain_refusal(ipaddress.ip_address(address)) is None


@pytest.mark.parametrize(
    ("host", "expected"),
    [
        ("2130706433", "127.0.0.1"),
        ("0177.0.0.01", "127.0.0.1"),
        ("0x7f.1", "127.0.0.1"),
        ("[::1]", "::1"),
        ("dead.beef", None),
        ("news.example", None),
    ],
)
def test_reads_ip_literals_in_odd_spellings(host: str, expected: str | None) -> None:
    parsed = parse_ip_literal(host)
    assert (str(parsed) if parsed else None) == expected


# --- schemes and redirects ---------------------------------------------------------------


@pytest.mark.parametrize(
    "url", ["file:///etc/passwd", "ftp://example.org/", "gopher://example.org/", "data:,hi"]
)
async def test_refuses_other_schemes(url: str) -> None:
    async with Fetcher(make_settings(allow_private_networks=True)) as fetcher:
        error = await fetch_error(fetcher, url)
    assert "only http and https" in error.reason or "unsupported URL" in error.reason


async def test_refuses_redirect_to_a_file_url(server: LoopbackServer) -> None:
    server.redirect("/r", "file:///etc/passwd")
    async with Fetcher(make_settings(allow_private_networks=True)) as fetcher:
        error = await fetch_error(fetcher, server.url("/r"))
    assert "only http and https" in error.reason


async def test_follows_at_most_five_redirects(server: LoopbackServer) -> None:
    for hop in range(MAX_REDIRECTS + 1):
        server.redirect(f"/r{hop}", f"/r{hop + 1}")
    server.serve(f"/r{MAX_REDIRECTS + 1}", b"end")
    async with Fetcher(make_settings(allow_private_networks=True)) as fetcher:
        result = await fetcher.fetch(server.url("/r1"))  # exactly five redirects
        assert result.body == b"end"
        error = await fetch_error(fetcher, server.url("/r0"))  # six
    assert "too many redirects" in error.reason


# --- deadlines, caps, concurrency ---------------------------------------------------------


async def test_overall_deadline_stops_a_slow_drip(server: LoopbackServer) -> None:
    server.routes["/drip"] = drip_route(interval_s=0.5)
    settings = make_settings(allow_private_networks=True, fetch_deadline_s=1.5)
    started = time.monotonic()
    async with Fetcher(settings) as fetcher:
        error = await fetch_error(fetcher, server.url("/drip"))
    assert time.monotonic() - started < 2.5
    assert "within 1.5 s" in error.reason


async def test_byte_cap_aborts_an_endless_body_early(server: LoopbackServer) -> None:
    sent = [0]
    server.routes["/big"] = endless_route(sent, total=2_000_000_000)  # a 2 GB body
    settings = make_settings(allow_private_networks=True, fetch_max_bytes=1_000_000)
    async with Fetcher(settings) as fetcher:
        peak = await measure_peak_memory(fetch_error(fetcher, server.url("/big")))
    assert peak[0].reason == "response larger than 1000000 bytes"
    assert peak[1] < 8_000_000
    assert sent[0] < 50_000_000  # the server was cut off, not drained


async def test_byte_cap_counts_decoded_bytes_of_a_gzip_bomb(server: LoopbackServer) -> None:
    server.routes["/bomb"] = gzip_bomb_route(decoded_size=100_000_000)
    settings = make_settings(allow_private_networks=True, fetch_max_bytes=1_000_000)
    async with Fetcher(settings) as fetcher:
        peak = await measure_peak_memory(fetch_error(fetcher, server.url("/bomb")))
    assert peak[0].reason == "response larger than 1000000 bytes"
    assert peak[1] < 8_000_000  # inflating it all would take 100 MB


async def test_declared_length_over_the_cap_is_refused(server: LoopbackServer) -> None:
    server.serve("/large", b"x" * 2_000)
    settings = make_settings(allow_private_networks=True, fetch_max_bytes=1_000)
    async with Fetcher(settings) as fetcher:
        error = await fetch_error(fetcher, server.url("/large"))
    assert error.reason.startswith("response larger than 1000 bytes")


async def test_concurrency_is_bounded(server: LoopbackServer) -> None:
    in_flight = [0, 0]  # now, most seen
    lock = threading.Lock()

    def slow(handler: BaseHTTPRequestHandler) -> None:
        with lock:
            in_flight[0] += 1
            in_flight[1] = max(in_flight)
        time.sleep(0.2)
        with lock:
            in_flight[0] -= 1
        handler.send_response(200)
        handler.send_header("Content-Length", "2")
        handler.end_headers()
        handler.wfile.write(b"ok")

    server.routes["/slow"] = slow
    settings = make_settings(allow_private_networks=True, fetch_concurrency=2)
    async with Fetcher(settings) as fetcher, anyio.create_task_group() as group:
        for _ in range(6):
            group.start_soon(fetcher.fetch, server.url("/slow"))
    assert in_flight[1] == 2
    assert len(server.requests) == 6


async def measure_peak_memory(awaitable: Any) -> tuple[Any, int]:
    """Run ``awaitable`` under tracemalloc; its result and the peak traced bytes."""
    tracemalloc.start()
    try:
        result = await awaitable
        return result, tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()


# --- conditional GET ----------------------------------------------------------------------


async def test_conditional_get_gives_not_modified(server: LoopbackServer) -> None:
    modified = "Tue, 03 Nov 2026 10:00:00 GMT"
    server.routes["/feed"] = conditional_route(b"<rss/>", '"v1"', modified, "application/rss+xml")
    async with Fetcher(make_settings(allow_private_networks=True)) as fetcher:
        first = await fetcher.fetch(server.url("/feed"))
        by_etag = await fetcher.fetch(server.url("/feed"), etag=first.etag)
        by_date = await fetcher.fetch(server.url("/feed"), last_modified=first.last_modified)
        changed = await fetcher.fetch(server.url("/feed"), etag='"v0"')
    assert (first.status, first.body, first.etag, first.last_modified) == (
        200,
        b"<rss/>",
        '"v1"',
        modified,
    )
    assert by_etag.not_modified and by_etag.body == b""
    assert by_date.not_modified
    assert changed.status == 200 and changed.body == b"<rss/>"
    assert server.headers_seen[1]["if-none-match"] == '"v1"'
    assert server.headers_seen[2]["if-modified-since"] == modified


async def test_a_redirect_loop_is_stopped(server: LoopbackServer) -> None:
    server.redirect("/a", "/b")
    server.redirect("/b", "/a")
    async with Fetcher(make_settings(allow_private_networks=True)) as fetcher:
        error = await fetch_error(fetcher, server.url("/a"))
    assert "too many redirects" in error.reason
    assert len(server.requests) == MAX_REDIRECTS + 1
