"""Server-side sessions: a random token in an HttpOnly cookie, its SHA-256 in the database.

A visitor without a cookie is anonymous and costs no database write; a session (possibly
anonymous) is created only when a page shows a form, because every form carries the
session's CSRF token. Signing in always starts a new session (no fixation); signing out
deletes it on the server, so a copied cookie is worthless afterwards.
"""

from __future__ import annotations

import hashlib
import secrets
from dataclasses import dataclass
from datetime import timedelta
from typing import Annotated

from fastapi import Depends, Request
from starlette.responses import Response

from newsdesk.settings import Settings
from newsdesk.store.db import Store
from newsdesk.store.site import accounts
from newsdesk.store.site.accounts import User

COOKIE = "nd_session"


@dataclass
class Visitor:
    user: User | None = None
    session_hash: str | None = None
    csrf_token: str | None = None
    # A token to send as the cookie with this response (a session started by this request).
    new_token: str | None = None
    clear_cookie: bool = False

    @property
    def is_editor(self) -> bool:
        return self.user is not None and self.user.is_editor


def hash_token(token: str) -> str:
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


def _lifetime(settings: Settings) -> timedelta:
    return timedelta(hours=settings.session_hours)


def load_visitor(request: Request) -> Visitor:
    """Who is asking: the session named by the cookie, if it is live."""
    cached: Visitor | None = getattr(request.state, "visitor", None)
    if cached is not None:
        return cached
    visitor = Visitor()
    token = request.cookies.get(COOKIE)
    if token and len(token) < 200:
        store: Store = request.app.state.store
        with store.session() as session:
            row = accounts.live_session(session, hash_token(token))
            if row is not None:
                visitor.session_hash, visitor.csrf_token = row.id, row.csrf_token
                user = accounts.get_user(session, row.user_id) if row.user_id else None
                visitor.user = user
        visitor.clear_cookie = row is None
    request.state.visitor = visitor
    return visitor


def start_session(request: Request, visitor: Visitor, user_id: int | None) -> Visitor:
    """Replace the visitor's session (if any) with a brand-new one for ``user_id``."""
    store: Store = request.app.state.store
    settings: Settings = request.app.state.settings
    token = secrets.token_urlsafe(32)
    csrf = secrets.token_urlsafe(32)
    with store.session() as session:
        if visitor.session_hash is not None:
            accounts.delete_session(session, visitor.session_hash)
        accounts.add_session(session, hash_token(token), user_id, csrf, _lifetime(settings))
        user = accounts.get_user(session, user_id) if user_id is not None else None
    fresh = Visitor(user=user, session_hash=hash_token(token), csrf_token=csrf, new_token=token)
    request.state.visitor = fresh
    return fresh


def ensure_session(request: Request, visitor: Visitor) -> Visitor:
    """The visitor's session, starting an anonymous one when there is none (for forms)."""
    if visitor.session_hash is not None:
        return visitor
    return start_session(request, visitor, None)


def end_session(request: Request, visitor: Visitor) -> Visitor:
    if visitor.session_hash is not None:
        store: Store = request.app.state.store
        with store.session() as session:
            accounts.delete_session(session, visitor.session_hash)
    gone = Visitor(clear_cookie=True)
    request.state.visitor = gone
    return gone


def is_https(request: Request) -> bool:
    settings: Settings = request.app.state.settings
    return request.url.scheme == "https" or settings.public_url.startswith("https://")


def apply_cookie(request: Request, response: Response, visitor: Visitor) -> Response:
    """Send the session cookie a request started, or clear a dead one."""
    settings: Settings = request.app.state.settings
    if visitor.new_token is not None:
        response.set_cookie(
            COOKIE,
            visitor.new_token,
            max_age=int(_lifetime(settings).total_seconds()),
            path="/",
            httponly=True,
            secure=is_https(request),
            samesite="lax",
        )
    elif visitor.clear_cookie:
        response.delete_cookie(COOKIE, path="/", httponly=True, samesite="lax")
    response.headers["Cache-Control"] = "no-store"
    return response


VisitorDep = Annotated[Visitor, Depends(load_visitor)]
