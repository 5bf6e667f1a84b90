"""Safe HTTP fetching: the one seam through which newsdesk reads the network.

Every request goes through :class:`Fetcher`, which enforces the safety rules of
design.md:

* only ``http`` and ``https``; redirects are followed by hand (at most
  :data:`MAX_REDIRECTS`) so that every hop is checked again;
* the SSRF guard of :mod:`newsdesk.ingest.guard`, in the connection layer (every
  resolved address checked, the checked IP connected to, the peer re-checked), plus a
  check of IP literals in odd spellings before any connection is tried;
* one overall deadline per fetch (httpx timeouts are per read only);
* a cap on the *decoded* body, enforced while streaming with our own bounded inflater
  (httpx would inflate a whole network chunk at once, up to ~1000x its size);
* a bounded number of fetches in flight.
"""

from __future__ import annotations

import re
import zlib
from collections.abc import Mapping
from dataclasses import dataclass, field
from types import TracebackType
from typing import Any

import anyio
import httpx

from newsdesk.ingest.guard import (
    AddressCheck,
    AddressRefusedError,
    GuardedNetworkBackend,
    GuardedTransport,
    Resolver,
    explain_refusal,
    parse_ip_literal,
    resolve_host,
)
from newsdesk.settings import Settings

MAX_REDIRECTS = 5
REDIRECT_STATUSES = frozenset({301, 302, 303, 307, 308})
ALLOWED_SCHEMES = frozenset({"http", "https"})
ACCEPT = (
    "text/html,application/xhtml+xml,application/rss+xml,application/atom+xml,"
    "application/xml;q=0.9,*/*;q=0.8"
)
# Only encodings we can inflate with a hard bound on the output.
ACCEPT_ENCODING = "gzip, deflate"


class FetchError(Exception):
    """A fetch failed; ``reason`` says why in plain words."""

    def __init__(self, url: str, reason: str) -> None:
        super().__init__(f"could not fetch {url}: {reason}")
        self.url = url
        self.reason = reason


class _RuleError(Exception):
    """A fetch broke a rule (scheme, redirects, size, encoding); becomes a FetchError."""


@dataclass(frozen=True)
class FetchResult:
    url: str
    """The final URL, after redirects."""
    status: int
    headers: Mapping[str, str] = field(repr=False)
    """Response headers, names in lower case, repeated headers joined by ", "."""
    body: bytes = field(repr=False)
    """The decoded body (content-encoding removed), never more than the byte cap."""
    content_type: str
    """The media type in lower case without parameters ("text/html"), or ""."""

    @property
    def charset(self) -> str | None:
        """The charset parameter of the Content-Type header, if any."""
        match = re.search(r"charset\s*=\s*[\"']?([\w.:-]+)", self.headers.get("content-type", ""))
        return match.group(1).lower() if match else None


# --- bounded decoding ------------------------------------------------------------------


class BoundedInflater:
    """Removes a content-encoding while refusing to produce more than ``limit`` bytes."""

    def __init__(self, encoding: str, limit: int) -> None:
        self._limit = limit
        self._size = 0
        self._parts: list[bytes] = []
        self._raw_deflate_tried = False
        self._zlib: Any = create_decompressor(encoding)
        self._encoding = encoding

    def feed(self, data: bytes) -> None:
        if self._zlib is None:
            self._add(data)
            return
        room = self._limit - self._size
        try:
            # max_length: never inflate more than one byte past the cap, whatever the ratio.
            self._add(self._zlib.decompress(data, room + 1))
        except zlib.error as exc:
            self._retry_as_raw_deflate(data, exc)

    def finish(self) -> bytes:
        if self._zlib is not None:
            try:
                self._add(self._zlib.flush())
            except zlib.error as exc:
                raise _RuleError(f"the {self._encoding} body is corrupt ({exc})") from exc
        return b"".join(self._parts)

    def _add(self, data: bytes) -> None:
        self._size += len(data)
        if self._size > self._limit:
            raise _RuleError(f"response larger than {self._limit} bytes")
        self._parts.append(data)

    def _retry_as_raw_deflate(self, data: bytes, exc: zlib.error) -> None:
        # Some servers send raw deflate (no zlib header) for "deflate"; try that once.
        if self._encoding != "deflate" or self._size or self._raw_deflate_tried:
            raise _RuleError(f"the {self._encoding} body is corrupt ({exc})") from exc
        self._raw_deflate_tried = True
        self._zlib = zlib.decompressobj(-zlib.MAX_WBITS)
        self.feed(data)


def create_decompressor(encoding: str) -> Any:
    """A zlib decompressor for ``encoding``; None for identity."""
    if encoding in ("", "identity"):
        return None
    if encoding in ("gzip", "x-gzip"):
        return zlib.decompressobj(16 + zlib.MAX_WBITS)
    if encoding == "deflate":
        return zlib.decompressobj(zlib.MAX_WBITS)
    raise _RuleError(f"unsupported content encoding {encoding!r}")


# --- the fetcher ---------------------------------------------------------------------


class Fetcher:
    """Fetches URLs safely. Use as ``async with Fetcher(settings) as fetcher: ...``.

    ``check_address`` replaces the default address rules (:func:`explain_refusal`) and
    ``resolve`` the DNS lookup; both exist for operators' allow-lists and for tests.
    ``settings.allow_private_networks`` turns the address check off entirely.
    """

    def __init__(
        self,
        settings: Settings | None = None,
        *,
        check_address: AddressCheck | None = None,
        resolve: Resolver | None = None,
    ) -> None:
        settings = settings if settings is not None else Settings()
        self.deadline_s = settings.fetch_deadline_s
        self.max_bytes = settings.fetch_max_bytes
        self._limiter = anyio.CapacityLimiter(settings.fetch_concurrency)
        check = None if settings.allow_private_networks else (check_address or explain_refusal)
        self._check = check
        backend = GuardedNetworkBackend(check, resolve or resolve_host)
        limits = httpx.Limits(max_connections=4 * settings.fetch_concurrency)
        self._client = httpx.AsyncClient(
            transport=GuardedTransport(backend, limits),
            headers={
                "User-Agent": settings.user_agent,
                "Accept": ACCEPT,
                "Accept-Encoding": ACCEPT_ENCODING,
            },
            timeout=httpx.Timeout(settings.fetch_deadline_s),
            follow_redirects=False,
            trust_env=False,
        )

    async def __aenter__(self) -> Fetcher:
        return self

    async def __aexit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        await self.aclose()

    async def aclose(self) -> None:
        await self._client.aclose()

    async def fetch(self, url: str) -> FetchResult:
        """GET ``url`` (following up to 5 redirects); raise FetchError on any failure."""
        async with self._limiter:
            try:
                # The deadline starts once a slot is free: waiting in line is not slowness.
                with anyio.fail_after(self.deadline_s):
                    return await self._follow(url)
            except TimeoutError:
                reason = f"no complete response within {self.deadline_s:g} s"
                raise FetchError(url, reason) from None
            except (AddressRefusedError, _RuleError) as exc:
                raise FetchError(url, str(exc)) from None
            except httpx.InvalidURL as exc:
                raise FetchError(url, f"invalid URL ({exc})") from None
            except httpx.HTTPError as exc:
                raise FetchError(url, describe_http_error(exc)) from None

    async def _follow(self, url: str) -> FetchResult:
        current = httpx.URL(url)
        for hop in range(MAX_REDIRECTS + 1):
            self._check_target(current, first=hop == 0)
            request = self._client.build_request("GET", current)
            response = await self._client.send(request, stream=True)
            try:
                if response.status_code not in REDIRECT_STATUSES:
                    return await self._finish(response)
                current = next_location(response)
            finally:
                await response.aclose()
        raise _RuleError(f"too many redirects (more than {MAX_REDIRECTS})")

    def _check_target(self, url: httpx.URL, *, first: bool) -> None:
        """Refuse bad schemes and forbidden IP literals before any connection is made."""
        hop = "" if first else f"redirect to {url} "
        if url.scheme not in ALLOWED_SCHEMES:
            scheme = url.scheme or "no scheme"
            raise _RuleError(f"{hop}refused: only http and https URLs are fetched, not {scheme}")
        if not url.host:
            raise _RuleError(f"{hop}refused: the URL has no host")
        ip = parse_ip_literal(url.host)
        reason = self._check(ip) if ip is not None and self._check is not None else None
        if reason is not None:
            spelled = "" if url.host == str(ip) else f" (written {url.host})"
            raise AddressRefusedError(f"{hop}refused: {ip}{spelled} is {reason}")

    async def _finish(self, response: httpx.Response) -> FetchResult:
        if response.status_code >= 400:
            phrase = response.reason_phrase or "error"
            raise _RuleError(f"the server answered HTTP {response.status_code} {phrase}")
        body = await self._read_body(response)
        headers = {name.lower(): value for name, value in response.headers.items()}
        media_type = headers.get("content-type", "").split(";", 1)[0].strip().lower()
        return FetchResult(str(response.url), response.status_code, headers, body, media_type)

    async def _read_body(self, response: httpx.Response) -> bytes:
        encoding = response.headers.get("content-encoding", "identity").strip().lower()
        declared = response.headers.get("content-length", "")
        if encoding in ("", "identity") and declared.isdigit() and int(declared) > self.max_bytes:
            raise _RuleError(f"response larger than {self.max_bytes} bytes ({declared} declared)")
        inflater = BoundedInflater(encoding, self.max_bytes)
        async for chunk in response.aiter_raw():
            inflater.feed(chunk)
        return inflater.finish()


def next_location(response: httpx.Response) -> httpx.URL:
    """The absolute URL a redirect points to (fragment dropped)."""
    location = response.headers.get("location")
    if not location:
        raise _RuleError(f"HTTP {response.status_code} redirect without a Location header")
    return response.url.join(location).copy_with(fragment=None)


def describe_http_error(exc: httpx.HTTPError) -> str:
    """Plain words for an httpx failure."""
    if isinstance(exc, httpx.ConnectTimeout):
        return "timed out while connecting"
    if isinstance(exc, httpx.ConnectError):
        return f"could not connect ({exc})"
    if isinstance(exc, httpx.TimeoutException):
        return "timed out waiting for the server"
    if isinstance(exc, httpx.RemoteProtocolError):
        return f"the server broke the HTTP protocol ({exc})"
    if isinstance(exc, httpx.UnsupportedProtocol):
        return f"unsupported URL ({exc})"
    return f"{type(exc).__name__}: {exc}" if str(exc) else type(exc).__name__
