"""The web application factory: routes, templates, static files, security headers, errors."""

from __future__ import annotations

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
from starlette.datastructures import MutableHeaders
from starlette.exceptions import HTTPException as StarletteHTTPException
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from newsdesk.settings import Settings
from newsdesk.store.db import Store
from newsdesk.web import api, stories

WEB_DIR = Path(__file__).parent

CONTENT_SECURITY_POLICY = (
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
    "object-src 'none'; base-uri 'none'; frame-ancestors 'none'; form-action 'self'"
)
SECURITY_HEADERS: dict[str, str] = {
    "Content-Security-Policy": CONTENT_SECURITY_POLICY,
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "strict-origin-when-cross-origin",
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
    env.filters["story_url"] = api.story_url
    env.globals["site_name"] = settings.site_name
    return Jinja2Templates(env=env)


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
        if exc.status_code == 404:
            code, message = "not_found", f"no such resource: {request.url.path}"
        elif exc.status_code == 405:
            code, message = "method_not_allowed", f"{request.method} is not allowed here"
        else:
            code, message = "http_error", str(exc.detail)
        return api.error_response(exc.status_code, code, message, headers=headers)
    if exc.status_code == 404:
        response = render_error(request, 404, "Page not found", "There is no page at this address.")
    else:
        response = render_error(request, exc.status_code, "Request failed", str(exc.detail))
    response.headers.update(headers)
    return response


async def validation_error(request: Request, exc: Exception) -> Response:
    assert isinstance(exc, RequestValidationError)
    if _is_api(request):
        return api.validation_response(exc)
    return render_error(request, 422, "Invalid request", api.describe_errors(exc))


async def server_error(request: Request, exc: Exception) -> Response:
    """Last resort: no details leak; sent outside the middleware, so add the headers here."""
    if _is_api(request):
        response: Response = api.error_response(500, "internal_error", "internal server error")
    else:
        response = render_error(
            request, 500, "Something went wrong", "The page could not be shown."
        )
    response.headers.update(SECURITY_HEADERS)
    return response


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
    )
    app.state.settings = settings
    app.state.store = the_store
    app.state.templates = build_templates(settings)

    app.add_middleware(SecurityHeadersMiddleware)
    app.add_exception_handler(StarletteHTTPException, http_error)
    app.add_exception_handler(RequestValidationError, validation_error)
    app.add_exception_handler(Exception, server_error)

    app.mount("/static", StaticFiles(directory=WEB_DIR / "static"), name="static")
    app.include_router(stories.router)
    app.include_router(api.router)

    @app.get("/healthz", include_in_schema=False)
    def healthz() -> dict[str, Any]:
        return {"status": "ok"}

    return app
