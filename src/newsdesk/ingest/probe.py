"""Look at URLs before registering them as sources: feed, sitemap, site or single page.

The URLs are looked at concurrently (at most PROBES_AT_ONCE at a time) and the answers
come back in the order the URLs were given. Politeness holds as in a poll: requests to
one public host keep the per-host gap between starts, so twenty URLs of one site take
as long as they did one by one. A host that is the operator's own (a private or loopback
address, allowed with ``--allow-private``) is not waited for, as the pipeline does for
sources registered as private.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass

import anyio
import anyio.to_thread
import httpx

from newsdesk.ingest.discover import discover_feeds
from newsdesk.ingest.feeds import FeedError, looks_like_html, parse_feed
from newsdesk.ingest.fetch import Fetcher, FetchError, host_key
from newsdesk.ingest.guard import explain_refusal, parse_ip_literal, resolve_host
from newsdesk.ingest.sitemaps import looks_like_sitemap
from newsdesk.settings import Settings

PROBES_AT_ONCE = 8
"""Each holds a body of up to fetch_max_bytes; the fetcher bounds connections itself."""
ProbeProgress = Callable[[int, int], None]
"""Called with (URLs looked at, URLs in all) after each URL."""
PickFetcher = Callable[[str], Fetcher]


@dataclass(frozen=True)
class ProbedSource:
    url: str
    kind: str
    title: str | None = None
    note: str | None = None


async def probe_all(
    urls: Sequence[str],
    settings: Settings,
    *,
    allow_private: bool,
    progress: ProbeProgress | None = None,
) -> list[ProbedSource]:
    """What each URL serves, in input order (a URL given twice is looked at once)."""
    unique = list(dict.fromkeys(urls))
    own = await private_hosts(unique) if allow_private else frozenset()
    direct = settings.model_copy(update={"fetch_host_delay_s": 0.0})
    async with Fetcher(settings) as polite, Fetcher(direct) as quick:
        return await probe_each(
            unique, lambda url: quick if host_of(url) in own else polite, progress
        )


async def probe_each(
    urls: Sequence[str], pick: PickFetcher, progress: ProbeProgress | None = None
) -> list[ProbedSource]:
    """ProbedSource every URL with the fetcher ``pick`` gives for it; answers in input order."""
    answers: list[ProbedSource | None] = [None] * len(urls)
    limiter = anyio.CapacityLimiter(PROBES_AT_ONCE)
    done = [0]

    async def look(index: int, url: str) -> None:
        async with limiter:
            answers[index] = await probe(url, pick(url))
        done[0] += 1
        if progress is not None:
            progress(done[0], len(urls))

    async with anyio.create_task_group() as group:
        for index, url in enumerate(urls):
            group.start_soon(look, index, url)
    return [answer for answer in answers if answer is not None]


async def probe(url: str, fetcher: Fetcher) -> ProbedSource:
    """What the URL serves, and so how it is polled."""
    try:
        fetched = await fetcher.fetch(url)
    except FetchError as error:
        return ProbedSource(url, "feed", note=f"not checked now: {error.reason}; added as a feed")
    if looks_like_sitemap(fetched.body):
        return ProbedSource(url, "sitemap")
    if looks_like_html(fetched.body):
        feeds = discover_feeds(fetched.body, fetched.url)
        if not feeds:
            return ProbedSource(url, "page", note="an HTML page announcing no feed: read once")
        others = f"; it also announces {', '.join(feeds[1:4])}" if len(feeds) > 1 else ""
        return ProbedSource(feeds[0], "feed", note=f"announced by {url}{others}")
    try:
        # feedparser takes ~0.5 ms an item: a big feed must not hold up the other probes.
        feed = await anyio.to_thread.run_sync(
            parse_feed, fetched.body, fetched.url, fetched.content_type
        )
    except FeedError as error:
        return ProbedSource(url, "feed", note=f"warning: {error}")
    return ProbedSource(url, "feed", title=feed.title)


async def private_hosts(urls: Sequence[str]) -> frozenset[str]:
    """The hosts (``host:port``) among ``urls`` whose every address is private or loopback."""
    hosts = {host_of(url) for url in urls} - {""}
    own = [host for host in hosts if await is_private(host)]
    return frozenset(own)


async def is_private(host: str) -> bool:
    name, _, port = host.rpartition(":")
    literal = parse_ip_literal(name)
    try:
        addresses = [literal] if literal is not None else await resolve_host(name, int(port))
    except OSError:
        return False  # not resolvable now: the fetch will say so, politely
    return bool(addresses) and all(explain_refusal(ip) is not None for ip in addresses)


def host_of(url: str) -> str:
    """The politeness unit of ``url`` (``host:port``), or "" for a URL httpx cannot read."""
    try:
        return host_key(httpx.URL(url))
    except httpx.InvalidURL:
        return ""
