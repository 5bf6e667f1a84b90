"""The render cache: pages and feeds as anonymous readers see them, kept as bytes.

Entries are dropped when the site's change counter (``site_state.generation``, bumped by
database triggers on publishing and by comment and desk actions) moves. The counter is
read at most once per ``page_cache_check_s`` per process, so a page published by another
process (the pipeline) shows within that interval; actions in this process clear the
cache at once.
"""

from __future__ import annotations

import threading
import time
from collections import OrderedDict
from dataclasses import dataclass

from starlette.types import ASGIApp, Receive, Scope, Send

from newsdesk.store.db import Store
from newsdesk.store.site import generation

MAX_ENTRIES = 2000


@dataclass(frozen=True)
class CachedPage:
    body: bytes
    media_type: str
    status_code: int = 200


class PageCache:
    def __init__(self, store: Store, check_interval_s: float) -> None:
        self.store = store
        self.check_interval_s = check_interval_s
        self._entries: OrderedDict[str, CachedPage] = OrderedDict()
        self._generation: int | None = None
        self._checked_at = 0.0
        self._lock = threading.Lock()

    def _refresh(self) -> None:
        now = time.monotonic()
        if self._generation is not None and now - self._checked_at < self.check_interval_s:
            return
        with self.store.session() as session:
            current = generation.generation(session)
        with self._lock:
            self._checked_at = now
            if current != self._generation:
                self._entries.clear()
                self._generation = current

    def get(self, key: str) -> CachedPage | None:
        self._refresh()
        with self._lock:
            return self._entries.get(key)

    def put(self, key: str, page: CachedPage) -> None:
        with self._lock:
            self._entries[key] = page
            while len(self._entries) > MAX_ENTRIES:
                self._entries.popitem(last=False)

    def clear(self) -> None:
        with self._lock:
            self._entries.clear()
            self._generation = None


def cache_key(host: str, path: str, query: str) -> str:
    # The host is part of the key: without NEWSDESK_PUBLIC_URL absolute links come from the
    # request's Host header, and one request must not poison the page others are served.
    return f"{host}{path}?{query}" if query else f"{host}{path}"


class PageCacheMiddleware:
    """Answers anonymous GETs from the cache before routing (the routes fill the cache).

    A request with a session cookie goes to the routes, which know whether it is signed in.
    """

    def __init__(self, app: ASGIApp, cookie: str) -> None:
        self.app = app
        self.cookie = cookie.encode("latin-1") + b"="

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or scope["method"] not in ("GET", "HEAD"):
            await self.app(scope, receive, send)
            return
        headers = dict(scope["headers"])
        cache: PageCache = scope["app"].state.page_cache
        if self.cookie in headers.get(b"cookie", b""):
            await self.app(scope, receive, send)
            return
        host = headers.get(b"host", b"").decode("latin-1")
        query = scope.get("query_string", b"").decode("latin-1")
        page = cache.get(cache_key(host, scope["path"], query))
        if page is None:
            await self.app(scope, receive, send)
            return
        start_headers = [
            (b"content-type", page.media_type.encode("latin-1")),
            (b"content-length", str(len(page.body)).encode("ascii")),
        ]
        await send(
            {"type": "http.response.start", "status": page.status_code, "headers": start_headers}
        )
        body = b"" if scope["method"] == "HEAD" else page.body
        await send({"type": "http.response.body", "body": body})
