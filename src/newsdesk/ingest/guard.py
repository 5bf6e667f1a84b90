"""The SSRF guard: which addresses may be contacted, enforced where sockets connect.

httpcore is given :class:`GuardedNetworkBackend`, which resolves the host itself, refuses
the connection if *any* resolved address is forbidden, connects to a checked IP address
(never to the name, so a second DNS answer cannot swap in another address: no DNS
rebinding) and then checks the peer address of the connected socket. TLS still verifies
the certificate and sends SNI for the host name, because httpcore passes the URL's host
as ``server_hostname``; httpx sends the Host header from the URL as usual. Because the
check lives in the connection layer, every redirect hop is covered without help.
"""

from __future__ import annotations

import ipaddress
import re
import socket
from collections.abc import Awaitable, Callable, Iterable

import anyio
import httpcore
import httpx

IPAddress = ipaddress.IPv4Address | ipaddress.IPv6Address
AddressCheck = Callable[[IPAddress], str | None]
"""Returns why an address must not be contacted, or None when it may be."""
Resolver = Callable[[str, int], Awaitable[list[IPAddress]]]
Origin = tuple[str, int]
"""A host name (lower case) and port: what a source registered as private may reach."""

METADATA_ADDRESSES = frozenset(
    {
        ipaddress.ip_address("169.254.169.254"),  # AWS, GCP, Azure, OpenStack ...
        ipaddress.ip_address("169.254.170.2"),  # AWS ECS task metadata
        ipaddress.ip_address("100.100.100.200"),  # Alibaba Cloud
        ipaddress.ip_address("fd00:ec2::254"),  # AWS IPv6
    }
)
CGNAT_NETWORK = ipaddress.ip_network("100.64.0.0/10")
NAT64_NETWORK = ipaddress.ip_network("64:ff9b::/96")
# Legacy IPv4 spellings that inet_aton accepts: 2130706433, 0177.0.0.1, 0x7f.1 ...
_NUMERIC_HOST = re.compile(r"^[0-9a-fx.]+$", re.IGNORECASE)


class AddressRefusedError(Exception):
    """Raised inside the connection layer when a host resolves to a forbidden address."""


# --- the address rules -------------------------------------------------------------


def explain_refusal(ip: IPAddress) -> str | None:
    """Say why ``ip`` must not be contacted (None: it is a public address)."""
    embedded = unwrap_ipv4(ip)
    if embedded is not None:
        inner = explain_refusal(embedded)
        return None if inner is None else f"an IPv6 form of {embedded}, {inner}"
    if ip in METADATA_ADDRESSES:
        return "a cloud metadata address"
    checks: list[tuple[bool, str]] = [
        (ip.is_unspecified, "an unspecified address"),
        (ip.is_loopback, "a loopback address"),
        (ip.is_link_local, "a link-local address"),
        (ip.is_multicast, "a multicast address"),
        (ip.version == 4 and ip in CGNAT_NETWORK, "a carrier-grade NAT address"),
        (ip.is_private, "a private address"),
        (ip.is_reserved, "a reserved address"),
        (not ip.is_global, "not a public address"),
    ]
    return next((reason for hit, reason in checks if hit), None)


def metadata_refusal(ip: IPAddress) -> str | None:
    """Cloud metadata addresses are refused even where private addresses are allowed."""
    inner = unwrap_ipv4(ip)
    if ip in METADATA_ADDRESSES or (inner is not None and inner in METADATA_ADDRESSES):
        return "a cloud metadata address"
    return None


def address_refusal(
    check: AddressCheck | None, trusted: frozenset[Origin], host: str, port: int, ip: IPAddress
) -> str | None:
    """Why ``ip`` (reached as ``host:port``) must not be contacted: a trusted origin (a
    source the operator registered as private) skips the address rules, never the
    metadata one."""
    refusal = metadata_refusal(ip)
    if refusal is not None or (host.strip("[]").lower(), port) in trusted:
        return refusal
    return check(ip) if check is not None else None


def unwrap_ipv4(ip: IPAddress) -> ipaddress.IPv4Address | None:
    """The IPv4 address carried inside an IPv6 one (mapped, 6to4, Teredo, NAT64)."""
    if not isinstance(ip, ipaddress.IPv6Address):
        return None
    if ip.ipv4_mapped is not None:
        return ip.ipv4_mapped
    if ip.sixtofour is not None:
        return ip.sixtofour
    if ip.teredo is not None:
        return ip.teredo[1]
    if ip in NAT64_NETWORK:
        return ipaddress.IPv4Address(int(ip) & 0xFFFFFFFF)
    return None


def parse_ip_literal(host: str) -> IPAddress | None:
    """Read ``host`` as an IP address in any spelling the C resolver accepts, or None."""
    host = host.strip("[]").split("%", 1)[0]
    try:
        return ipaddress.ip_address(host)
    except ValueError:
        pass
    if not _NUMERIC_HOST.match(host):
        return None
    try:
        return ipaddress.IPv4Address(socket.inet_aton(host))
    except OSError:
        return None


async def resolve_host(host: str, port: int) -> list[IPAddress]:
    """All addresses ``host`` resolves to, in resolver order, without duplicates."""
    infos = await anyio.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    found: dict[IPAddress, None] = {}
    for _family, _type, _proto, _name, sockaddr in infos:
        found[ipaddress.ip_address(str(sockaddr[0]).split("%", 1)[0])] = None
    return list(found)


# --- the guarded connection layer ----------------------------------------------------


class GuardedNetworkBackend(httpcore.AsyncNetworkBackend):
    """Resolves, checks every address, connects to a checked IP, then checks the peer."""

    def __init__(
        self,
        check: AddressCheck | None,
        resolve: Resolver,
        trusted: frozenset[Origin] = frozenset(),
    ) -> None:
        self._check = check
        self._trusted = trusted
        self._resolve = resolve
        self._inner = httpcore.AnyIOBackend()

    async def connect_tcp(
        self,
        host: str,
        port: int,
        timeout: float | None = None,
        local_address: str | None = None,
        socket_options: Iterable[httpcore.SOCKET_OPTION] | None = None,
    ) -> httpcore.AsyncNetworkStream:
        addresses = await self._resolve_checked(host, port)
        failure: Exception | None = None
        for ip in addresses:
            try:
                stream = await self._inner.connect_tcp(
                    str(ip), port, timeout, local_address, socket_options
                )
            except (httpcore.ConnectError, httpcore.ConnectTimeout) as exc:
                failure = exc
                continue
            await self._verify_peer(host, port, stream)
            return stream
        raise httpcore.ConnectError(describe_connect_failure(failure))

    async def connect_unix_socket(
        self,
        path: str,
        timeout: float | None = None,
        socket_options: Iterable[httpcore.SOCKET_OPTION] | None = None,
    ) -> httpcore.AsyncNetworkStream:
        raise AddressRefusedError("unix sockets are never used for fetching")

    async def sleep(self, seconds: float) -> None:
        await self._inner.sleep(seconds)

    async def _resolve_checked(self, host: str, port: int) -> list[IPAddress]:
        try:
            addresses = await self._resolve(host, port)
        except (OSError, UnicodeError) as exc:  # UnicodeError: a name IDNA cannot encode
            why = (getattr(exc, "strerror", None) or str(exc)).lower()
            raise httpcore.ConnectError(f"the name {host} could not be resolved ({why})") from exc
        if not addresses:
            raise httpcore.ConnectError(f"the name {host} resolved to no address")
        for ip in addresses:
            self._refuse_if_forbidden(host, port, ip)
        return addresses

    async def _verify_peer(self, host: str, port: int, stream: httpcore.AsyncNetworkStream) -> None:
        # Belt and braces: check the address the socket is really connected to.
        peer = stream.get_extra_info("server_addr")
        try:
            if not peer:
                raise AddressRefusedError(f"refused: no peer address to check for {host}")
            ip = ipaddress.ip_address(str(peer[0]).split("%", 1)[0])
            self._refuse_if_forbidden(host, port, ip)
        except AddressRefusedError:
            await stream.aclose()
            raise

    def _refuse_if_forbidden(self, host: str, port: int, ip: IPAddress) -> None:
        reason = address_refusal(self._check, self._trusted, host, port, ip)
        if reason is None:
            return
        where = str(ip) if host.strip("[]") == str(ip) else f"{host} resolves to {ip}, which"
        raise AddressRefusedError(f"refused: {where} is {reason}")


def describe_connect_failure(exc: BaseException | None) -> str:
    """Plain words for the usual reasons a TCP connection fails."""
    seen: BaseException | None = exc
    while seen is not None:
        if isinstance(seen, ConnectionRefusedError):
            return "connection refused"
        if isinstance(seen, TimeoutError | httpcore.ConnectTimeout):
            return "timed out while connecting"
        if isinstance(seen, OSError) and seen.strerror:
            return seen.strerror.lower()
        seen = seen.__cause__ or seen.__context__
    return str(exc) if exc is not None else "no address to connect to"


class GuardedTransport(httpx.AsyncHTTPTransport):
    """httpx's transport with the guarded backend underneath and no proxies."""

    def __init__(self, backend: GuardedNetworkBackend, limits: httpx.Limits) -> None:
        # trust_env=False: a proxy from the environment would be "the address actually
        # connected to" and would bypass the guard.
        super().__init__(trust_env=False, limits=limits)
        # httpx does not expose the network backend, so the pool is rebuilt with ours.
        # `_pool` is private but has been stable across httpx 0.18-0.28.
        self._pool = httpcore.AsyncConnectionPool(
            ssl_context=httpx.create_ssl_context(trust_env=False),
            max_connections=limits.max_connections,
            max_keepalive_connections=limits.max_keepalive_connections,
            keepalive_expiry=limits.keepalive_expiry,
            network_backend=backend,
        )
