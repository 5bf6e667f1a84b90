"""Rendering helpers shared by the page routes: templates with the visitor, the cache."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from fastapi import Request
from fastapi.responses import RedirectResponse, Response
from fastapi.templating import Jinja2Templates

from newsdesk.web.http.cache import CachedPage, PageCache, cache_key
from newsdesk.web.http.sessions import Visitor, apply_cookie, ensure_session


def render(
    request: Request,
    template: str,
    context: dict[str, Any],
    visitor: Visitor,
    *,
    status_code: int = 200,
    with_form: bool = False,
) -> Response:
    """A page for this visitor; ``with_form`` starts a session so the form has a token."""
    if with_form:
        visitor = ensure_session(request, visitor)
    templates: Jinja2Templates = request.app.state.templates
    full = {"visitor": visitor, "csrf_token": visitor.csrf_token or "", **context}
    response = templates.TemplateResponse(request, template, full, status_code=status_code)
    if visitor.session_hash is not None or visitor.clear_cookie:
        apply_cookie(request, response, visitor)
    return response


def redirect(request: Request, url: str, visitor: Visitor) -> Response:
    """A 303 after a form (post/redirect/get), carrying any new session cookie."""
    return apply_cookie(request, RedirectResponse(url, status_code=303), visitor)


def page_cache(request: Request) -> PageCache:
    cache: PageCache = request.app.state.page_cache
    return cache


def cached(
    request: Request, visitor: Visitor, build: Callable[[], Response], key: str | None = None
) -> Response:
    """Serve an anonymous reader's page from the render cache, building it on a miss.

    Signed-in readers get a fresh page (it carries their forms and tokens).
    """
    if visitor.user is not None:
        return build()
    cache = page_cache(request)
    host = request.headers.get("host", "")
    key = key or cache_key(host, request.url.path, request.url.query)
    hit = cache.get(key)
    if hit is not None:
        return Response(hit.body, status_code=hit.status_code, media_type=hit.media_type)
    response = build()
    if response.status_code in (200, 404) and isinstance(response.body, bytes):
        media_type = response.headers.get("content-type", "text/html; charset=utf-8")
        cache.put(key, CachedPage(response.body, media_type, response.status_code))
    return response
