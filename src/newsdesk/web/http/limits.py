"""Request bodies are bounded, and an API write is authenticated before its body is read.

FastAPI reads and parses a body before the dependencies that check the caller run, so a
200 MB JSON body sent without a key was read whole and then refused. This middleware
answers first: 401 for an API write without a valid key, 413 for a declared or actual
body over ``max_body_bytes`` (forms and comments included), reading at most that much.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable

import anyio.to_thread
from starlette.exceptions import HTTPException
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Match
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from newsdesk.store.site import apikeys

_WRITES = frozenset({"POST", "PUT", "PATCH", "DELETE"})


# The app's own error handler: JSON for the API, a page for the site.
ErrorHandler = Callable[[Request, Exception], Awaitable[Response]]


class BodyLimitMiddleware:
    def __init__(self, app: ASGIApp, max_bytes: int, on_error: ErrorHandler) -> None:
        self.app = app
        self.max_bytes = max_bytes
        self.on_error = on_error

    async def _answer(
        self, scope: Scope, send: Send, status: int, detail: str, **headers: str
    ) -> None:
        error = HTTPException(status, detail, headers=headers or None)
        response = await self.on_error(Request(scope), error)
        await response(scope, _nothing, send)

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or scope["method"] not in _WRITES:
            await self.app(scope, receive, send)
            return
        api = scope["path"].startswith("/api/") and _is_route(scope)
        if api and not await anyio.to_thread.run_sync(_has_valid_key, scope):
            await self._answer(
                scope, send, 401, "an API key is required", **{"WWW-Authenticate": "Bearer"}
            )
            return
        declared = _header(scope, b"content-length")
        if declared is not None and (not declared.isdigit() or int(declared) > self.max_bytes):
            await self._answer(scope, send, 413, f"the request body is over {self.max_bytes} bytes")
            return
        body = bytearray()
        while True:
            message = await receive()
            if message["type"] == "http.disconnect":
                return
            body += message.get("body", b"")
            if len(body) > self.max_bytes:
                await self._answer(
                    scope, send, 413, f"the request body is over {self.max_bytes} bytes"
                )
                return
            if not message.get("more_body", False):
                break
        await self.app(scope, _replay(bytes(body), receive), send)


async def _nothing() -> Message:
    return {"type": "http.disconnect"}


def _replay(body: bytes, receive: Receive) -> Receive:
    sent = False

    async def replayed() -> Message:
        nonlocal sent
        if not sent:
            sent = True
            return {"type": "http.request", "body": body, "more_body": False}
        return await receive()  # after the body: the disconnect, when it comes

    return replayed


def _is_route(scope: Scope) -> bool:
    """Some route takes this method at this path (else the app answers 404 or 405)."""
    return any(route.matches(scope)[0] == Match.FULL for route in scope["app"].routes)


def _header(scope: Scope, name: bytes) -> str | None:
    for key, value in scope["headers"]:
        if key.lower() == name:
            return str(value.decode("latin-1").strip())
    return None


def _has_valid_key(scope: Scope) -> bool:
    authorization = _header(scope, b"authorization") or ""
    scheme, _, token = authorization.partition(" ")
    if scheme.lower() != "bearer" or not token.strip():
        return False
    store = scope["app"].state.store
    with store.session() as session:
        return apikeys.check_key(session, token.strip()) is not None
