"""The SSRF guard (newsdesk.ingest.guard): address rules, and the fetcher refusing addresses.

A server listens on loopback while the fetcher refuses loopback: each refusal test also
proves that the server's request log stayed empty.
"""

from __future__ import annotations

import ipaddress
from collections.abc import Iterator
from typing import Any

import pytest

from loopback_server import LoopbackServer
from newsdesk.ingest.fetch import Fetcher, FetchError
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
