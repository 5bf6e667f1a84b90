"""Safe, polite HTTP fetching: the one seam through which newsdesk reads the network.

Every request goes through :class:`Fetcher`, which enforces the safety rules of
design.md:

* only ``http`` and ``https``; redirects are followed by hand (at most
  :data:`MAX_REDIRECTS`) so that every hop is checked again;
* the SSRF guard of :mod:`newsdesk.ingest.guard`, in the connection layer (every
  resolved address checked, the checked IP connected to, the peer re-checked), plus a
  check of IP literals in odd spellings before any connection is tried;
* one overall deadline per attempt (httpx timeouts are per read only);
* a cap on the *decoded* body, enforced while streaming (:mod:`newsdesk.ingest.decode`);
* a bounded number of fetches in flight.

and the politeness rules: robots.txt (:mod:`newsdesk.ingest.robots`), per-host
concurrency and delay (:mod:`newsdesk.ingest.politeness`), conditional GET (ETag,
Last-Modified: a 304 is a result, not an error), and retries with backoff on 5xx, 429
and timeouts only, honouring ``Retry-After``.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from types import TracebackType

import anyio
import httpx

from newsdesk.ingest.decode import ACCEPT_ENCODING, BoundedInflater, DecodeError
from newsdesk.ingest.guard import (
    AddressCheck,
    AddressRefusedError,
    GuardedNetworkBackend,
    GuardedTransport,
    Origin,
    Resolver,
    address_refusal,
    explain_refusal,
    metadata_refusal,
    parse_ip_literal,
    resolve_host,
)
from newsdesk.ingest.politeness import HostGate
from newsdesk.ingest.retry import RETRY_STATUSES, backoff_delay, parse_retry_after
from newsdesk.ingest.robots import ROBOTS_MAX_BYTES, RobotsCache, agent_token
from newsdesk.settings import Settings

MAX_REDIRECTS = 5
REDIRECT_STATUSES = frozenset({301, 302, 303, 307, 308})
ALLOWED_SCHEMES = frozenset({"http", "https"})
ACCEPT = (
    "text/html,application/xhtml+xml,application/rss+xml,application/atom+xml,"
    "application/feed+json,application/json;q=0.9,application/xml;q=0.9,*/*;q=0.8"
)
__all__ = ["ACCEPT_ENCODING", "MAX_REDIRECTS", "FetchError", "FetchResult", "Fetcher"]


class FetchError(Exception):
    """A fetch failed; ``reason`` says why in plain words.

    ``status`` is the HTTP status when the server answered; ``retry_after`` the seconds
    the server asked us to wait (429/503); ``transient`` whether trying later may help.
    """

    def __init__(
        self,
        url: str,
        reason: str,
        *,
        status: int | None = None,
        retry_after: float | None = None,
        transient: bool = False,
    ) -> None:
        super().__init__(f"could not fetch {url}: {reason}")
        self.url = url
        self.reason = reason
        self.status = status
        self.retry_after = retry_after
        self.transient = transient


class _RuleError(Exception):
    """A fetch broke a rule (scheme, redirects, robots.txt); becomes a FetchError."""


class _RetryableError(Exception):
    """An answer or failure worth another try (5xx, 429, a timeout)."""

    def __init__(self, reason: str, status: int | None = None, retry_after: float | None = None):
        super().__init__(reason)
        self.status = status
        self.retry_after = retry_after


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

    @property
    def not_modified(self) -> bool:
        """A conditional GET found nothing new (HTTP 304, empty body)."""
        return self.status == 304

    @property
    def etag(self) -> str | None:
        return self.headers.get("etag")

    @property
    def last_modified(self) -> str | None:
        return self.headers.get("last-modified")


class Fetcher:
    """Fetches URLs safely and politely. Use as ``async with Fetcher(settings) as f: ...``.

    ``check_address`` replaces the default address rules (:func:`explain_refusal`) and
    ``resolve`` the DNS lookup; both exist for operators' allow-lists and for tests.
    ``settings.allow_private_networks`` turns the address rules off for every host, and
    ``trusted`` for the origins named there (a source the operator registered as private:
    its own host and port, not its redirects' or its links' other hosts); cloud metadata
    addresses stay refused either way. ``robots``
    and ``hosts`` may be shared between fetchers (and kept between polls) so that a site's
    robots.txt is read once and its politeness gap holds across them.
    """

    def __init__(
        self,
        settings: Settings | None = None,
        *,
        check_address: AddressCheck | None = None,
        resolve: Resolver | None = None,
        robots: RobotsCache | None = None,
        hosts: HostGate | None = None,
        trusted: frozenset[Origin] = frozenset(),
    ) -> None:
        settings = settings if settings is not None else Settings()
        self.settings = settings
        self.deadline_s = settings.fetch_deadline_s
        self.max_bytes = settings.fetch_max_bytes
        self._limiter = anyio.CapacityLimiter(settings.fetch_concurrency)
        self._robots = robots if robots is not None else RobotsCache(settings.robots_ttl_s)
        gate = HostGate(settings.fetch_host_concurrency, settings.fetch_host_delay_s)
        self._hosts = hosts or gate
        self._agent = agent_token(settings.user_agent)
        check = check_address or explain_refusal
        self._check = metadata_refusal if settings.allow_private_networks else check
        self._trusted = trusted
        backend = GuardedNetworkBackend(self._check, resolve or resolve_host, trusted)
        limits = httpx.Limits(max_connections=4 * settings.fetch_concurrency)
        read_timeout = min(settings.fetch_deadline_s, settings.fetch_read_timeout_s)
        self._client = httpx.AsyncClient(
            transport=GuardedTransport(backend, limits),
            headers={
                "User-Agent": settings.user_agent,
                "Accept": ACCEPT,
                "Accept-Encoding": ACCEPT_ENCODING,
            },
            timeout=httpx.Timeout(read_timeout),
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

    async def fetch(
        self, url: str, *, etag: str | None = None, last_modified: str | None = None
    ) -> FetchResult:
        """GET ``url`` (following up to 5 redirects); raise FetchError on any failure.

        With ``etag`` or ``last_modified`` (from an earlier result) the request is
        conditional, and an unchanged resource gives a result whose ``not_modified`` is
        true. 5xx, 429 and timeouts are retried with backoff (``Retry-After`` honoured
        when it is short enough); everything else fails at once.
        """
        headers = conditional_headers(etag, last_modified)
        retries = self.settings.fetch_retries
        for attempt in range(retries + 1):
            try:
                return await self._attempt(url, headers)
            except _RetryableError as exc:
                wait = exc.retry_after
                if wait is None:
                    wait = backoff_delay(attempt, self.settings.fetch_retry_base_s)
                if attempt == retries or wait > self.settings.fetch_retry_max_wait_s:
                    raise FetchError(
                        url,
                        str(exc),
                        status=exc.status,
                        retry_after=exc.retry_after,
                        transient=True,
                    ) from None
                await anyio.sleep(wait)
        raise AssertionError("unreachable")  # pragma: no cover

    async def _attempt(self, url: str, headers: dict[str, str]) -> FetchResult:
        try:
            return await self._follow(url, headers)
        except (AddressRefusedError, _RuleError, DecodeError) as exc:
            raise FetchError(url, str(exc)) from None
        except httpx.InvalidURL as exc:
            raise FetchError(url, f"invalid URL ({exc})") from None
        except httpx.TimeoutException as exc:
            raise _RetryableError(describe_http_error(exc)) from None
        except httpx.HTTPError as exc:
            raise FetchError(url, describe_http_error(exc), transient=True) from None

    async def _follow(self, url: str, headers: dict[str, str]) -> FetchResult:
        current = httpx.URL(url)
        for hop in range(MAX_REDIRECTS + 1):
            self._check_target(current, first=hop == 0)
            delay = await self._obey_robots(current) if self.settings.obey_robots else None
            async with self._hosts.slot(host_key(current), delay), self._limiter:
                # The deadline starts once a slot is free: waiting in line is not slowness.
                answer = await self._send_within_deadline(current, headers)
            if isinstance(answer, FetchResult):
                return answer
            current = answer
        raise _RuleError(f"too many redirects (more than {MAX_REDIRECTS})")

    async def _send_within_deadline(
        self,
        url: httpx.URL,
        headers: dict[str, str],
        max_bytes: int | None = None,
        *,
        errors_as_results: bool = False,
    ) -> FetchResult | httpx.URL:
        """The final answer, or the target of a redirect."""
        try:
            with anyio.fail_after(self.deadline_s):
                request = self._client.build_request("GET", url, headers=headers)
                response = await self._client.send(request, stream=True)
                try:
                    if response.status_code in REDIRECT_STATUSES:
                        return next_location(response)
                    limit = max_bytes or self.max_bytes
                    return await self._finish(response, limit, errors_as_results)
                finally:
                    await response.aclose()
        except TimeoutError:
            # Not retried: a server this slow would hold the next attempt as long.
            raise _RuleError(f"no complete response within {self.deadline_s:g} s") from None

    def _check_target(self, url: httpx.URL, *, first: bool) -> None:
        """Refuse bad schemes and forbidden IP literals before any connection is made."""
        hop = "" if first else f"redirect to {url} "
        if url.scheme not in ALLOWED_SCHEMES:
            scheme = url.scheme or "no scheme"
            raise _RuleError(f"{hop}refused: only http and https URLs are fetched, not {scheme}")
        if not url.host:
            raise _RuleError(f"{hop}refused: the URL has no host")
        ip = parse_ip_literal(url.host)
        port = url.port or (443 if url.scheme == "https" else 80)
        reason = (
            address_refusal(self._check, self._trusted, url.host, port, ip)
            if ip is not None
            else None
        )
        if reason is not None:
            spelled = "" if url.host == str(ip) else f" (written {url.host})"
            raise AddressRefusedError(f"{hop}refused: {ip}{spelled} is {reason}")

    async def _obey_robots(self, url: httpx.URL) -> float | None:
        """Raise if the site's robots.txt forbids ``url``; else its Crawl-delay, if any."""
        origin = origin_of(url)
        rules = await self._robots.rules_for(origin, self._load_robots)
        if rules.refusal is not None:
            raise _RuleError(f"refused: {rules.refusal}; not fetching from {origin} for now")
        if not rules.allows(str(url), self._agent):
            raise _RuleError(f"refused: robots.txt of {origin} disallows {url.raw_path.decode()}")
        return rules.crawl_delay(self._agent)

    async def _load_robots(self, robots_url: str) -> tuple[int, bytes]:
        current = httpx.URL(robots_url)
        for hop in range(MAX_REDIRECTS + 1):
            self._check_target(current, first=hop == 0)
            async with self._hosts.slot(host_key(current)), self._limiter:
                try:
                    answer = await self._send_within_deadline(
                        current, {}, ROBOTS_MAX_BYTES, errors_as_results=True
                    )
                except DecodeError:
                    return 200, b""  # corrupt: no rules we can read
            if isinstance(answer, FetchResult):
                return answer.status, answer.body
            current = answer
        return 404, b""  # RFC 9309: more than five redirects count as unavailable

    async def _finish(
        self, response: httpx.Response, max_bytes: int, errors_as_results: bool
    ) -> FetchResult:
        status = response.status_code
        if errors_as_results and status >= 400:
            return FetchResult(str(response.url), status, {}, b"", "")
        if status in RETRY_STATUSES:
            wait = parse_retry_after(response.headers.get("retry-after"))
            phrase = response.reason_phrase or "error"
            raise _RetryableError(f"the server answered HTTP {status} {phrase}", status, wait)
        if status >= 400:
            phrase = response.reason_phrase or "error"
            raise _RuleError(f"the server answered HTTP {status} {phrase}")
        body = b"" if status == 304 else await self._read_body(response, max_bytes)
        headers = {name.lower(): value for name, value in response.headers.items()}
        media_type = headers.get("content-type", "").split(";", 1)[0].strip().lower()
        return FetchResult(str(response.url), status, headers, body, media_type)

    async def _read_body(self, response: httpx.Response, max_bytes: int) -> bytes:
        encoding = response.headers.get("content-encoding", "identity").strip().lower()
        declared = response.headers.get("content-length", "")
        if encoding in ("", "identity") and declared.isdigit() and int(declared) > max_bytes:
            raise DecodeError(f"response larger than {max_bytes} bytes ({declared} declared)")
        inflater = BoundedInflater(encoding, max_bytes)
        async for chunk in response.aiter_raw():
            inflater.feed(chunk)
        return inflater.finish()


def conditional_headers(etag: str | None, last_modified: str | None) -> dict[str, str]:
    headers = {}
    if etag:
        headers["If-None-Match"] = etag
    if last_modified:
        headers["If-Modified-Since"] = last_modified
    return headers


def host_key(url: httpx.URL) -> str:
    """The politeness unit: host and port."""
    return f"{url.host}:{url.port or (443 if url.scheme == 'https' else 80)}"


def origin_of(url: httpx.URL) -> str:
    host = f"[{url.host}]" if ":" in url.host else url.host
    port = f":{url.port}" if url.port is not None else ""
    return f"{url.scheme}://{host}{port}"


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
