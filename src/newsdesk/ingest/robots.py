"""robots.txt: fetched once per site and kept for a day, read with protego.

What an answer means follows RFC 9309: a 4xx (no robots.txt) allows everything; a 5xx
or an unreachable server disallows everything for a short while (the site may be
overloaded); a 2xx body is parsed, and only its first 500 KiB are read.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from dataclasses import dataclass

import anyio
from protego import Protego

ROBOTS_MAX_BYTES = 512_000
RobotsLoader = Callable[[str], Awaitable[tuple[int, bytes]]]
"""GETs a robots.txt URL, returns (status, body); raises on a network failure."""


@dataclass(frozen=True)
class RobotsRules:
    parser: Protego | None
    """None when every path is allowed (no robots.txt) or refused (``refusal``)."""
    refusal: str | None = None
    """Why the whole site is off limits for now (robots.txt unavailable)."""
    expires: float = 0.0

    def allows(self, url: str, agent: str) -> bool:
        if self.refusal is not None:
            return False
        return self.parser is None or bool(self.parser.can_fetch(url, agent))

    def crawl_delay(self, agent: str) -> float | None:
        if self.parser is None:
            return None
        delay = self.parser.crawl_delay(agent)
        return float(delay) if delay is not None else None


class RobotsCache:
    """Rules per site origin (``scheme://host:port``), fetched on first use."""

    def __init__(self, ttl_s: float = 86_400.0, failure_ttl_s: float = 600.0) -> None:
        self.ttl_s = ttl_s
        self.failure_ttl_s = failure_ttl_s
        self._rules: dict[str, RobotsRules] = {}
        self._locks: dict[str, anyio.Lock] = {}

    async def rules_for(self, origin: str, load: RobotsLoader) -> RobotsRules:
        lock = self._locks.setdefault(origin, anyio.Lock())
        async with lock:  # one robots.txt fetch per site, however many pages wait
            cached = self._rules.get(origin)
            if cached is not None and cached.expires > anyio.current_time():
                return cached
            rules = await self._load(origin, load)
            self._rules[origin] = rules
            return rules

    async def _load(self, origin: str, load: RobotsLoader) -> RobotsRules:
        now = anyio.current_time()
        try:
            status, body = await load(origin + "/robots.txt")
        except Exception as error:  # any failure to read it: stay away for a while
            refusal = f"its robots.txt could not be read ({error})"
            return RobotsRules(None, refusal, now + self.failure_ttl_s)
        return interpret_robots(status, body, now + self.ttl_s, now + self.failure_ttl_s)


def interpret_robots(status: int, body: bytes, expires: float, retry: float) -> RobotsRules:
    """The rules a robots.txt answer gives (RFC 9309, section 2.3.1)."""
    if 200 <= status < 300:
        text = body[:ROBOTS_MAX_BYTES].decode("utf-8", errors="replace")
        return RobotsRules(Protego.parse(text), None, expires)
    if 400 <= status < 500:
        return RobotsRules(None, None, expires)
    return RobotsRules(None, f"its robots.txt answered HTTP {status}", retry)


def agent_token(user_agent: str) -> str:
    """The product token robots.txt groups are matched by: "newsdesk/0.1 (...)" -> newsdesk."""
    token = user_agent.split("/", 1)[0].split()[0] if user_agent.strip() else "*"
    return token or "*"
