"""The loopback HTTP server of the sample wire (stdlib ``http.server``).

Every page is rendered once when the server is made (the base URL is known by then)
and served from memory with ``Content-Length``, ``ETag`` and ``Last-Modified``, so that
conditional requests (``If-None-Match``, ``If-Modified-Since``) get ``304``.
"""

from __future__ import annotations

import hashlib
import logging
import socket
import threading
import time
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from email.utils import format_datetime, parsedate_to_datetime
from http import HTTPStatus
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from types import TracebackType
from typing import TYPE_CHECKING
from urllib.parse import urlsplit

from newsdesk.samplewire import documents
from newsdesk.samplewire.outlets import OUTLETS, OUTLETS_BY_SLUG, Outlet

if TYPE_CHECKING:
    from newsdesk.samplewire.wire import WireArticle

log = logging.getLogger(__name__)

HTML = "text/html; charset=utf-8"


@dataclass(frozen=True)
class Resource:
    """One servable response body."""

    content_type: str
    body: bytes
    last_modified: datetime | None = None

    @property
    def etag(self) -> str:
        return '"' + hashlib.sha256(self.body).hexdigest()[:32] + '"'


def build_site(articles: Sequence[WireArticle], base: str) -> dict[str, Resource]:
    """Every route of the wire, keyed by URL path, rendered against ``base``."""
    newest_first = sorted(articles, key=lambda a: (a.published, a.slug), reverse=True)
    by_outlet: dict[str, list[WireArticle]] = {o.slug: [] for o in OUTLETS}
    for article in newest_first:
        by_outlet.setdefault(article.outlet.slug, []).append(article)

    def res(content_type: str, text: str, when: datetime | None = None) -> Resource:
        return Resource(content_type, text.encode("utf-8"), when)

    latest = max((a.published for a in articles), default=None)
    site = {
        "/": res(HTML, documents.render_index(base, {k: len(v) for k, v in by_outlet.items()})),
        "/feeds.opml": res("text/x-opml; charset=utf-8", documents.render_opml(base)),
        "/sitemap.xml": res(
            "application/xml; charset=utf-8", documents.render_sitemap(base, newest_first), latest
        ),
        "/robots.txt": res(
            "text/plain; charset=utf-8",
            f"User-agent: *\nAllow: /\nSitemap: {base}/sitemap.xml\n",
        ),
    }
    for slug, outlet_articles in by_outlet.items():
        outlet = outlet_articles[0].outlet if outlet_articles else OUTLETS_BY_SLUG[slug]
        when = outlet_articles[0].published if outlet_articles else None
        feed = (documents.render_rss if outlet.feed_format == "rss" else documents.render_atom)(
            base, outlet, outlet_articles
        )
        site[f"/{slug}/"] = res(HTML, documents.render_outlet_home(base, outlet, outlet_articles))
        site[f"/{slug}/feed.xml"] = res(f"{outlet.feed_mime}; charset=utf-8", feed, when)
        for article in outlet_articles:
            others = [a for a in outlet_articles if a is not article]
            page = documents.render_article(base, article, others)
            site[article.path] = res(HTML, page, article.published)
    return site


class _Handler(BaseHTTPRequestHandler):
    server_version = "SampleWire/1.0"
    sys_version = ""
    server: _HTTPServer

    def do_GET(self) -> None:
        self._respond(send_body=True)

    def do_HEAD(self) -> None:
        self._respond(send_body=False)

    def version_string(self) -> str:
        return self.server_version

    def log_message(self, format: str, *args: object) -> None:
        log.debug("%s " + format, self.address_string(), *args)

    def _respond(self, send_body: bool) -> None:
        path = urlsplit(self.path).path or "/"
        if path.endswith(".html") and self.server.page_delay_s:
            time.sleep(self.server.page_delay_s)
        resource = self.server.site.get(path)
        if resource is None and path.strip("/") in OUTLETS_BY_SLUG:
            self._send(HTTPStatus.MOVED_PERMANENTLY, b"", HTML, send_body, {"Location": path + "/"})
            return
        if resource is None:
            page = documents.render_not_found(path).encode("utf-8")
            self._send(HTTPStatus.NOT_FOUND, page, HTML, send_body)
            return
        headers = {"ETag": resource.etag, "Cache-Control": "max-age=60"}
        if resource.last_modified is not None:
            headers["Last-Modified"] = format_datetime(resource.last_modified, usegmt=True)
        if self._not_modified(resource):
            self._send(HTTPStatus.NOT_MODIFIED, b"", None, False, headers)
            return
        self._send(HTTPStatus.OK, resource.body, resource.content_type, send_body, headers)

    def _not_modified(self, resource: Resource) -> bool:
        if_none_match = self.headers.get("If-None-Match")
        if if_none_match is not None:
            tags = {tag.strip().removeprefix("W/") for tag in if_none_match.split(",")}
            return resource.etag in tags or "*" in tags
        since = self.headers.get("If-Modified-Since")
        if since is None or resource.last_modified is None:
            return False
        try:
            since_time = parsedate_to_datetime(since)
        except (TypeError, ValueError):
            return False
        if since_time.tzinfo is None:
            return False
        return resource.last_modified.replace(microsecond=0) <= since_time

    def _send(
        self,
        status: HTTPStatus,
        body: bytes,
        content_type: str | None,
        send_body: bool,
        headers: dict[str, str] | None = None,
    ) -> None:
        self.send_response(status)
        if content_type is not None:
            self.send_header("Content-Type", content_type)
        if status != HTTPStatus.NOT_MODIFIED:
            self.send_header("Content-Length", str(len(body)))
        for name, value in (headers or {}).items():
            self.send_header(name, value)
        self.end_headers()
        if send_body and body:
            self.wfile.write(body)


class _HTTPServer(ThreadingHTTPServer):
    daemon_threads = True
    site: dict[str, Resource]
    page_delay_s: float = 0.0


class _HTTPServer6(_HTTPServer):
    address_family = socket.AF_INET6


def _url_host(host: str) -> str:
    if host in ("", "0.0.0.0"):
        return "127.0.0.1"
    if host == "::":
        return "[::1]"
    return f"[{host}]" if ":" in host else host


class WireServer:
    """A bound sample-wire server; ``start()`` serves it from a daemon thread."""

    def __init__(
        self, articles: Sequence[WireArticle], host: str, port: int, page_delay_s: float = 0.0
    ) -> None:
        server_class = _HTTPServer6 if ":" in host else _HTTPServer
        self._httpd: _HTTPServer = server_class((host, port), _Handler)
        self.host = host
        self.port: int = self._httpd.server_address[1]
        self.base_url = f"http://{_url_host(host)}:{self.port}"
        self.articles: tuple[WireArticle, ...] = tuple(articles)
        self._httpd.site = build_site(self.articles, self.base_url)
        self._httpd.page_delay_s = page_delay_s
        self._thread: threading.Thread | None = None

    def url(self, path: str) -> str:
        """The absolute URL of ``path`` on this server."""
        return self.base_url + path

    def feed_urls(self) -> list[str]:
        """One feed URL per outlet, in the order of ``OUTLETS``."""
        return [self.feed_url(outlet) for outlet in OUTLETS]

    def feed_url(self, outlet: Outlet) -> str:
        return f"{self.base_url}/{outlet.slug}/feed.xml"

    def article_url(self, article: WireArticle) -> str:
        return self.base_url + article.path

    @property
    def opml_url(self) -> str:
        return f"{self.base_url}/feeds.opml"

    def start(self) -> None:
        """Serve from a daemon thread (idempotent)."""
        if self._thread is None:
            self._thread = threading.Thread(
                target=self._httpd.serve_forever, name=f"samplewire:{self.port}", daemon=True
            )
            self._thread.start()

    def serve_forever(self) -> None:
        """Serve in the calling thread until ``close()`` is called from another."""
        self._httpd.serve_forever()

    def close(self) -> None:
        """Stop serving and release the socket."""
        if self._thread is not None:
            self._httpd.shutdown()
            self._thread.join(timeout=5)
            self._thread = None
        self._httpd.server_close()

    def __enter__(self) -> WireServer:
        self.start()
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.close()


def make_wire_server(
    articles: Sequence[WireArticle], host: str, port: int, page_delay_s: float = 0.0
) -> WireServer:
    """Bind (but do not start) a server for ``articles``."""
    return WireServer(articles, host, port, page_delay_s)
