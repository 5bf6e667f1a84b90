"""Conditional GET, so that feed pollers and browsers revalidate instead of downloading.

Every GET or HEAD answered 200 with a complete body gets a weak ETag, a hash of the body.
It is weak because the compression outside this middleware sends that body gzipped or
not under the one validator, and the two encodings are the same content. Feeds and
sitemaps also get a Last-Modified: the newest date the document itself states.

A response that sets a cookie or says ``no-store`` (signed-in pages, forms with a CSRF
token) gets no validator and never a 304: no cache may keep it, and a 304 would drop
its Set-Cookie. Streamed bodies pass through untouched (hashing needs the whole body).
"""

from __future__ import annotations

import hashlib
from datetime import datetime
from email.utils import format_datetime, parsedate_to_datetime

from starlette.datastructures import Headers, MutableHeaders
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from newsdesk.web.http.feed_dates import newest_date

# What a 304 keeps of the 200's headers (RFC 9110, 15.4.5); the rest describe a body.
KEPT_ON_304 = frozenset(
    {"cache-control", "content-location", "date", "etag", "expires", "last-modified", "vary"}
)


def etag_of(body: bytes) -> str:
    return 'W/"' + hashlib.blake2b(body, digest_size=16).hexdigest() + '"'


def http_date(value: datetime) -> str:
    return format_datetime(value.replace(microsecond=0), usegmt=True)


def _etag_matches(if_none_match: str, etag: str) -> bool:
    # Weak comparison: If-None-Match ignores the W/ prefix on either side.
    tags = {tag.strip().removeprefix("W/") for tag in if_none_match.split(",")}
    return "*" in tags or etag.removeprefix("W/") in tags


def _not_modified_since(if_modified_since: str, last_modified: datetime) -> bool:
    try:
        since = parsedate_to_datetime(if_modified_since)
    except (TypeError, ValueError):
        return False  # an unreadable date is ignored, as RFC 9110 says
    if since.tzinfo is None:
        return False  # no zone given: not an HTTP-date
    return last_modified.replace(microsecond=0) <= since


def is_not_modified(request: Headers, etag: str, last_modified: datetime | None) -> bool:
    """RFC 9110, 13.2.2: If-None-Match decides alone when sent; else If-Modified-Since."""
    if_none_match = request.get("if-none-match")
    if if_none_match is not None:
        return _etag_matches(if_none_match, etag)
    if_modified_since = request.get("if-modified-since")
    if if_modified_since is None or last_modified is None:
        return False
    return _not_modified_since(if_modified_since, last_modified)


def _wants_validator(start: Message) -> bool:
    headers = Headers(raw=start["headers"])
    if start["status"] != 200 or "etag" in headers or "content-encoding" in headers:
        return False  # static files carry their own ETag; encoded bodies are not ours
    if "set-cookie" in headers:
        return False
    return "no-store" not in headers.get("cache-control", "").lower()


# Messages that may come before or beside the response itself, and change nothing in it.
_ASIDES = frozenset({"http.response.debug", "http.response.early_hint"})


class _Exchange:
    """One response on its way out: held back until its body is complete, then judged."""

    def __init__(self, request: Headers, send: Send) -> None:
        self.request = request
        self.send = send
        self.start: Message | None = None
        self.passing = False

    async def __call__(self, message: Message) -> None:
        kind = message["type"]
        if self.passing or kind in _ASIDES:
            await self.send(message)
        elif kind == "http.response.start":
            self.start = message
            self.passing = not _wants_validator(message)
            if self.passing:
                await self.send(message)
        elif kind == "http.response.body" and not message.get("more_body", False):
            self.passing = True  # whatever follows (trailers) goes straight out
            await self._finish(message)
        else:  # a streamed body, or a file sent by path: no validator for this one
            self.passing = True
            if self.start is not None:
                await self.send(self.start)
            await self.send(message)

    async def _finish(self, message: Message) -> None:
        assert self.start is not None
        body: bytes = message.get("body", b"")
        headers = MutableHeaders(raw=self.start["headers"])
        etag = etag_of(body)
        headers["etag"] = etag
        last_modified = newest_date(headers.get("content-type", ""), body)
        if last_modified is not None:
            headers["last-modified"] = http_date(last_modified)
        if not is_not_modified(self.request, etag, last_modified):
            await self.send(self.start)
            await self.send(message)
            return
        # The compression outside adds Vary only to bodies it considers; a 304 has none.
        headers.add_vary_header("Accept-Encoding")
        kept = [(k, v) for k, v in headers.raw if k.decode("latin-1").lower() in KEPT_ON_304]
        await self.send({"type": "http.response.start", "status": 304, "headers": kept})
        await self.send({"type": "http.response.body", "body": b""})


class ConditionalGetMiddleware:
    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or scope["method"] not in ("GET", "HEAD"):
            await self.app(scope, receive, send)
            return
        # The app answers HEAD as GET, so a HEAD gets the very validators a GET would (the
        # render cache and static files send HEAD no body to hash). The server drops the
        # body of a HEAD response.
        inner = {**scope, "method": "GET"}
        await self.app(inner, receive, _Exchange(Headers(scope=scope), send))
