"""A real HTTP server on a loopback address, for the ingest tests (no mocked httpx).

Each route is a function that writes the whole response itself, so tests can send odd
things (slow drips, endless bodies, gzip bombs). Every request is logged, so a test can
prove that a refused target never received one.
"""

from __future__ import annotations

import gzip
import socket
import threading
import time
from collections.abc import Callable
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Self

Route = Callable[[BaseHTTPRequestHandler], None]
FIXTURES = Path(__file__).parent / "fixtures" / "ingest"


class BackgroundServer:
    """A stdlib HTTP server answering from a daemon thread while its ``with`` block runs."""

    def _serve(self, server: ThreadingHTTPServer) -> None:
        self._server = server
        self.port = server.server_address[1]
        self._thread = threading.Thread(
            target=server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True
        )

    def __enter__(self) -> Self:
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._server.shutdown()
        self._server.server_close()


class LoopbackServer(BackgroundServer):
    def __init__(self, host: str = "127.0.0.1") -> None:
        self.host = host
        self.routes: dict[str, Route] = {}
        self.requests: list[str] = []
        self.headers_seen: list[dict[str, str]] = []
        self._lock = threading.Lock()
        self._serve(_make_server(self, host))

    @property
    def origin(self) -> str:
        host = f"[{self.host}]" if ":" in self.host else self.host
        return f"http://{host}:{self.port}"

    def url(self, path: str) -> str:
        return self.origin + path

    def serve(
        self,
        path: str,
        body: bytes,
        status: int = 200,
        content_type: str = "text/html; charset=utf-8",
        headers: dict[str, str] | None = None,
    ) -> None:
        def route(handler: BaseHTTPRequestHandler) -> None:
            handler.send_response(status)
            handler.send_header("Content-Type", content_type)
            handler.send_header("Content-Length", str(len(body)))
            for name, value in (headers or {}).items():
                handler.send_header(name, value)
            handler.end_headers()
            handler.wfile.write(body)

        self.routes[path] = route

    def serve_file(self, path: str, name: str, content_type: str = "text/html") -> None:
        self.serve(path, (FIXTURES / name).read_bytes(), content_type=content_type)

    def redirect(self, path: str, location: str, status: int = 302) -> None:
        def route(handler: BaseHTTPRequestHandler) -> None:
            handler.send_response(status)
            handler.send_header("Location", location)
            handler.send_header("Content-Length", "0")
            handler.end_headers()

        self.routes[path] = route

    def log(self, handler: BaseHTTPRequestHandler) -> None:
        with self._lock:
            self.requests.append(handler.path)
            self.headers_seen.append({k.lower(): v for k, v in handler.headers.items()})


def _make_server(owner: LoopbackServer, host: str) -> ThreadingHTTPServer:
    class Handler(BaseHTTPRequestHandler):
        def do_GET(self) -> None:
            owner.log(self)
            route = owner.routes.get(self.path)
            try:
                if route is None:
                    self.send_error(404, "Not Found")
                else:
                    route(self)
            except (BrokenPipeError, ConnectionResetError):
                pass  # the client hung up on purpose (caps, deadlines)

        def log_message(self, format: str, *args: object) -> None:
            pass

    class Server(ThreadingHTTPServer):
        address_family = socket.AF_INET6 if ":" in host else socket.AF_INET
        daemon_threads = True

    return Server((host, 0), Handler)


# --- hostile routes ----------------------------------------------------------------------


def drip_route(interval_s: float = 0.5, count: int = 40) -> Route:
    """Sends headers, then one byte every ``interval_s`` seconds."""

    def route(handler: BaseHTTPRequestHandler) -> None:
        handler.send_response(200)
        handler.send_header("Content-Type", "text/html")
        handler.send_header("Content-Length", str(count))
        handler.end_headers()
        for _ in range(count):
            handler.wfile.write(b"x")
            handler.wfile.flush()
            time.sleep(interval_s)

    return route


def endless_route(sent: list[int], total: int = 200_000_000) -> Route:
    """Streams up to ``total`` bytes with no Content-Length; records how much it sent."""

    def route(handler: BaseHTTPRequestHandler) -> None:
        handler.send_response(200)
        handler.send_header("Content-Type", "text/html")
        handler.end_headers()
        chunk = b"a" * 65536
        try:
            while sent[0] < total:
                handler.wfile.write(chunk)
                sent[0] += len(chunk)
        finally:
            handler.close_connection = True

    return route


def gzip_bomb_route(decoded_size: int) -> Route:
    """A small gzip body that inflates to ``decoded_size`` bytes of zeros."""
    body = gzip.compress(b"\0" * decoded_size, compresslevel=9)

    def route(handler: BaseHTTPRequestHandler) -> None:
        handler.send_response(200)
        handler.send_header("Content-Type", "text/html")
        handler.send_header("Content-Encoding", "gzip")
        handler.send_header("Content-Length", str(len(body)))
        handler.end_headers()
        handler.wfile.write(body)

    return route


def free_port() -> int:
    """A port on 127.0.0.1 that nothing listens on (bound, then released)."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def sequence_route(answers: list[tuple[int, bytes, dict[str, str]]]) -> Route:
    """Answers each request with the next (status, body, headers); the last one repeats."""
    remaining = list(answers)

    def route(handler: BaseHTTPRequestHandler) -> None:
        status, body, headers = remaining.pop(0) if len(remaining) > 1 else remaining[0]
        handler.send_response(status)
        handler.send_header("Content-Length", str(len(body)))
        for name, value in headers.items():
            handler.send_header(name, value)
        handler.end_headers()
        handler.wfile.write(body)

    return route


def conditional_route(body: bytes, etag: str, last_modified: str, content_type: str) -> Route:
    """Serves ``body`` with validators, and 304 to a request that presents either of them."""

    def route(handler: BaseHTTPRequestHandler) -> None:
        fresh = handler.headers.get("If-None-Match") == etag or (
            handler.headers.get("If-None-Match") is None
            and handler.headers.get("If-Modified-Since") == last_modified
        )
        handler.send_response(304 if fresh else 200)
        handler.send_header("ETag", etag)
        handler.send_header("Last-Modified", last_modified)
        if fresh:
            handler.end_headers()
            return
        handler.send_header("Content-Type", content_type)
        handler.send_header("Content-Length", str(len(body)))
        handler.end_headers()
        handler.wfile.write(body)

    return route


def encoded_route(body: bytes, encoding: str, content_type: str = "text/html") -> Route:
    """Sends an already encoded ``body`` with the given Content-Encoding."""

    def route(handler: BaseHTTPRequestHandler) -> None:
        handler.send_response(200)
        handler.send_header("Content-Type", content_type)
        handler.send_header("Content-Encoding", encoding)
        handler.send_header("Content-Length", str(len(body)))
        handler.end_headers()
        handler.wfile.write(body)

    return route
