"""The safe fetcher against real HTTP servers on loopback addresses.

The SSRF guard's refusals, against the same kind of servers, are in test_guard.py.
"""

from __future__ import annotations

import gzip
import threading
import time
import tracemalloc
import zlib
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
from newsdesk.settings import Settings

pytestmark = pytest.mark.anyio


def make_settings(**overrides: Any) -> Settings:
    """Settings for these tests: no robots.txt and no host delay unless a test asks."""
    polite: dict[str, Any] = {"obey_robots": False, "fetch_host_delay_s": 0.0}
    return Settings(_env_file=None, **{**polite, **overrides})


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
