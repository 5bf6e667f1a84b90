"""The web application factory: routes, templates, static files, security headers, errors."""

from __future__ import annotations

import contextlib
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from datetime import datetime
from pathlib import Path
from typing import Any

import jinja2
from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import Response
from fastapi.staticfiles import StaticFiles
from fastapi.templating import Jinja2Templates
from sqlalchemy.exc import OperationalError
from starlette.datastructures import MutableHeaders
from starlette.exceptions import HTTPException as StarletteHTTPException
from starlette.middleware.gzip import GZipMiddleware
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from newsdesk.accounts.tokens import load_secret_key
from newsdesk.mail import sender_for
from newsdesk.settings import Settings
from newsdesk.store.db import Store
from newsdesk.store.site import search_index
from newsdesk.web import (
    accounts,
    api,
    apikeys,
    comments,
    desk,
    search,
    sections,
    stories,
    syndication,
    versions,
)
from newsdesk.web.http.cache import PageCache, PageCacheMiddleware
from newsdesk.web.http.conditional import ConditionalGetMiddleware
from newsdesk.web.http.errors import describe_errors, error_response, validation_response
from newsdesk.web.http.limits import BodyLimitMiddleware
from newsdesk.web.http.sessions import COOKIE as SESSION_COOKIE
from newsdesk.web.presentation.api_models import (
    COMMON_ERRORS,
)
from newsdesk.web.presentation.markup import clean_comment_html
from newsdesk.web.presentation.view import story_url

WEB_DIR = Path(__file__).parent

CONTENT_SECURITY_POLICY = (
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data: https:; "
    "object-src 'none'; base-uri 'none'; frame-ancestors 'none'; form-action 'self'"
)
SECURITY_HEADERS: dict[str, str] = {
    "Content-Security-Policy": CONTENT_SECURITY_POLICY,
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "strict-origin-when-cross-origin",
    "Permissions-Policy": "camera=(), microphone=(), geolocation=(), interest-cohort=()",
    "Cross-Origin-Opener-Policy": "same-origin",
}


class SecurityHeadersMiddleware:
    """Adds the security headers to every HTTP response (pages, JSON, static files)."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return

        async def send_with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                headers = MutableHeaders(scope=message)
                for name, value in SECURITY_HEADERS.items():
                    headers[name] = value
                if scope.get("scheme") == "https":
                    headers["Strict-Transport-Security"] = "max-age=31536000"
            await send(message)

        await self.app(scope, receive, send_with_headers)


def format_datetime(value: datetime | None, with_time: bool = True) -> str:
    """A reader-friendly date such as '3 March 2026, 14:05 UTC'."""
    if value is None:
        return ""
    text = f"{value.day} {value:%B %Y}"
    if with_time:
        zone = value.tzname() or ""
        text += f", {value:%H:%M}" + (f" {zone}" if zone else "")
    return text


def iso_datetime(value: datetime | None) -> str:
    """A valid HTML datetime attribute (whole seconds; HTML allows at most 3 decimals)."""
    return "" if value is None else value.isoformat(timespec="seconds")


def plural(count: int, noun: str) -> str:
    return f"{count} {noun}" if count == 1 else f"{count} {noun}s"


def build_templates(settings: Settings) -> Jinja2Templates:
    env = jinja2.Environment(
        loader=jinja2.FileSystemLoader(WEB_DIR / "templates"),
        autoescape=True,
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
    )
    env.filters["human_dt"] = format_datetime
    env.filters["iso_dt"] = iso_datetime
    env.filters["plural"] = plural
    env.filters["story_url"] = story_url
    env.filters["comment_html"] = clean_comment_html
    env.globals["site_name"] = settings.site_name
    return Jinja2Templates(env=env)


API_ERROR_CODES = {
    400: "bad_request",
    401: "unauthorized",
    403: "forbidden",
    404: "not_found",
    413: "too_large",
    429: "rate_limited",
}
ERROR_TITLES = {
    400: "Request not accepted",
    401: "Please sign in",
    403: "Not allowed",
    413: "Too large",
    429: "Too many attempts",
}


def _is_api(request: Request) -> bool:
    return request.url.path == "/api" or request.url.path.startswith("/api/")


def render_error(request: Request, status_code: int, title: str, message: str) -> Response:
    templates: Jinja2Templates = request.app.state.templates
    context = {"title": title, "message": message}
    return templates.TemplateResponse(request, "error.html", context, status_code=status_code)


async def http_error(request: Request, exc: Exception) -> Response:
    assert isinstance(exc, StarletteHTTPException)
    headers = dict(exc.headers or {})
    if _is_api(request):
        if exc.status_code == 404 and exc.detail == "Not Found":
            code, message = "not_found", f"no such resource: {request.url.path}"
        elif exc.status_code == 405:
            code, message = "method_not_allowed", f"{request.method} is not allowed here"
        else:
            code, message = API_ERROR_CODES.get(exc.status_code, "http_error"), str(exc.detail)
        return error_response(exc.status_code, code, message, headers=headers)
    if exc.status_code == 404:
        response = render_error(request, 404, "Page not found", "There is no page at this address.")
    else:
        title = ERROR_TITLES.get(exc.status_code, "Request failed")
        response = render_error(request, exc.status_code, title, str(exc.detail))
    response.headers.update(headers)
    return response


async def validation_error(request: Request, exc: Exception) -> Response:
    assert isinstance(exc, RequestValidationError)
    if _is_api(request):
        return validation_response(exc)
    return render_error(request, 422, "Invalid request", describe_errors(exc))


async def server_error(request: Request, exc: Exception) -> Response:
    """Last resort: no details leak; sent outside the middleware, so add the headers here."""
    if _is_api(request):
        response: Response = error_response(500, "internal_error", "internal server error")
    else:
        response = render_error(
            request, 500, "Something went wrong", "The page could not be shown."
        )
    response.headers.update(SECURITY_HEADERS)
    return response


# API routes whose modules return hand-built JSON without declaring its model: their
# documented 200 body and errors, added as the app includes them.
# Below this a gzip header and the CPU cost more than the bytes saved.
GZIP_MIN_BYTES = 1024


def _repair_search_index(store: Store) -> None:
    """Recreate the search triggers if a later migration dropped them (see search_index)."""
    # Not migrated yet: nothing to repair, and every page then answers 500, as it should.
    with contextlib.suppress(OperationalError):
        search_index.ensure_index(store.engine)


def create_app(settings: Settings, store: Store | None = None) -> FastAPI:
    """Build the site. Without a store, one is opened from the settings and closed on exit.

    The database must already be migrated (``newsdesk.store.db.migrate``).
    """
    owns_store = store is None
    the_store = store if store is not None else Store(settings.resolved_database_url())

    @asynccontextmanager
    async def lifespan(_app: FastAPI) -> AsyncIterator[None]:
        yield
        if owns_store:
            the_store.close()

    app = FastAPI(
        title=settings.site_name,
        docs_url=None,
        redoc_url=None,
        openapi_url="/api/openapi.json",
        lifespan=lifespan,
        responses=COMMON_ERRORS,
    )
    app.state.settings = settings
    app.state.store = the_store
    app.state.templates = build_templates(settings)
    app.state.page_cache = PageCache(the_store, settings.page_cache_check_s)
    app.state.secret_key = load_secret_key(settings)
    app.state.mail_sender = sender_for(settings)
    _repair_search_index(the_store)

    # Added first, so it runs inside the security headers (the last added is outermost).
    app.add_middleware(PageCacheMiddleware, cookie=SESSION_COOKIE)
    # Validators hash the body before compression, so both encodings share one ETag.
    app.add_middleware(ConditionalGetMiddleware)
    app.add_middleware(GZipMiddleware, minimum_size=GZIP_MIN_BYTES, compresslevel=6)
    app.add_middleware(BodyLimitMiddleware, max_bytes=settings.max_body_bytes, on_error=http_error)
    app.add_middleware(SecurityHeadersMiddleware)
    app.add_exception_handler(StarletteHTTPException, http_error)
    app.add_exception_handler(RequestValidationError, validation_error)
    app.add_exception_handler(Exception, server_error)

    app.mount("/static", StaticFiles(directory=WEB_DIR / "static"), name="static")
    app.include_router(stories.router)
    app.include_router(accounts.router)
    app.include_router(comments.router)
    app.include_router(desk.router)
    app.include_router(sections.router)
    app.include_router(syndication.router)
    app.include_router(search.router)
    app.include_router(api.router)
    app.include_router(comments.api_router)
    app.include_router(search.api_router)
    app.include_router(apikeys.router)
    app.include_router(versions.router)

    @app.get("/healthz", include_in_schema=False)
    def healthz() -> dict[str, Any]:
        return {"status": "ok"}

    return app
