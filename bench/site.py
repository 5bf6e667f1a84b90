"""Measure the site with wrk on loopback: pages and feeds against the framework's floor and nginx.

One run, side by side, on a database built by the real pipeline from the sample wire:

1. the site (one uvicorn process, access log off) answers a fixed short string at
   ``/__floor`` (a route this script adds): the framework's floor;
2. the same process serves the front page, a story page and ``/feed.xml`` (anonymous
   readers, so from the render cache);
3. nginx (Debian, one worker) serves the very same bytes as static files;
4. comment posting under load: many concurrent POSTs with a session and CSRF token; every
   acknowledged comment must be in the database afterwards.

wrk and nginx come from Debian; as root the script installs them when missing. Every run
is bounded (``--seconds`` per wrk run) and only 127.0.0.1 is used.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import platform
import re
import shutil
import socket
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import httpx

SRC = Path(__file__).resolve().parent.parent / "src"
PAGES = ("front page", "story page", "feed.xml")


@dataclass(frozen=True)
class WrkResult:
    requests_per_s: float
    p50_ms: float
    p99_ms: float
    errors: int


def ensure_tools() -> None:
    missing = [tool for tool in ("wrk", "nginx") if shutil.which(tool) is None]
    missing = [t for t in missing if not Path(f"/usr/sbin/{t}").exists()]
    if not missing:
        return
    if os.geteuid() != 0:
        sys.exit(f"missing {', '.join(missing)}: apt-get install wrk nginx-light")
    packages = ["wrk" if t == "wrk" else "nginx-light" for t in missing]
    subprocess.run(["apt-get", "update", "-q"], check=True)
    subprocess.run(["apt-get", "install", "-y", "-q", *packages], check=True)


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
        return port


def wait_for(url: str, seconds: float = 30.0) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        try:
            if httpx.get(url, timeout=2).status_code < 500:
                return
        except httpx.HTTPError:
            pass
        time.sleep(0.1)
    raise RuntimeError(f"{url} did not answer in {seconds} s")


def build_database(folder: Path) -> str:
    """The sample wire's articles as documents, then cluster, write, publish for real.

    The documents are read from the package rather than fetched over HTTP: fetching is
    not what this benchmark measures (bench/pipeline.py times it).
    """
    from newsdesk.pipeline import Pipeline
    from newsdesk.records import Document
    from newsdesk.samplewire import load_wire
    from newsdesk.settings import Settings
    from newsdesk.store import Store, migrate, repo

    url = f"sqlite:///{folder / 'site.db'}"
    migrate(url)
    store = Store(url)
    with store.session() as session:
        for article in load_wire():
            document = Document(
                id=f"{article.outlet.slug}-{article.slug}",
                url=f"https://{article.outlet.slug}.example{article.path}",
                source=article.outlet.name,
                title=article.title,
                published=article.published,
                text=article.text,
            )
            repo.add_document(session, document)
    pipeline = Pipeline(store, Settings(data_dir=folder))
    for stage in (pipeline.cluster, pipeline.write, pipeline.publish):
        stage()
    store.close()
    return url


class RawFloor:
    """ASGI middleware answering ``/__floor_raw`` with "ok" (no routing, no dependencies)."""

    def __init__(self, app: Any) -> None:
        self.app = app

    async def __call__(self, scope: Any, receive: Any, send: Any) -> None:
        if scope["type"] == "http" and scope["path"] == "/__floor_raw":
            headers = [(b"content-type", b"text/plain; charset=utf-8"), (b"content-length", b"2")]
            await send({"type": "http.response.start", "status": 200, "headers": headers})
            await send({"type": "http.response.body", "body": b"ok"})
            return
        await self.app(scope, receive, send)


def serve(url: str, folder: str, port: int) -> None:
    """The child process: the real app plus the floor route, one uvicorn worker."""
    import uvicorn
    from fastapi.responses import PlainTextResponse
    from starlette.middleware import Middleware

    from newsdesk.settings import Settings
    from newsdesk.web import create_app

    settings = Settings(
        data_dir=Path(folder),
        database_url=url,
        premoderate_first_comments=0,
        comments_per_10_minutes=1_000_000,
    )
    app = create_app(settings)

    @app.get("/__floor", include_in_schema=False)
    def floor() -> PlainTextResponse:
        return PlainTextResponse("ok")

    # The stricter floor: "ok" answered before routing, where the render cache answers.
    app.user_middleware.insert(1, Middleware(RawFloor))

    uvicorn.run(app, host="127.0.0.1", port=port, access_log=False, log_level="warning")


def run_wrk(url: str, seconds: int, connections: int) -> WrkResult:
    command = ["wrk", "-t2", f"-c{connections}", f"-d{seconds}s", "--latency", url]
    output = subprocess.run(command, capture_output=True, text=True, check=True).stdout
    if os.environ.get("BENCH_DEBUG"):
        print(output, file=sys.stderr)
    rate = float(re.search(r"Requests/sec:\s+([\d.]+)", output).group(1))  # type: ignore[union-attr]
    errors = sum(int(n) for n in re.findall(r"Non-2xx or 3xx responses: (\d+)", output))
    errors += sum(int(n) for n in re.findall(r"(?:connect|read|write|timeout) (\d+)", output))
    return WrkResult(rate, _latency(output, "50%"), _latency(output, "99%"), errors)


def _latency(output: str, percentile: str) -> float:
    match = re.search(rf"{percentile}\s+([\d.]+)(us|ms|s)\b", output)
    assert match is not None, output
    value, unit = float(match.group(1)), match.group(2)
    return value / 1000 if unit == "us" else value * 1000 if unit == "s" else value


def start_nginx(root: Path, port: int) -> subprocess.Popen[bytes]:
    config = root / "nginx.conf"
    config.write_text(
        f"""worker_processes 1;
daemon off;
pid {root}/nginx.pid;
error_log {root}/error.log warn;
events {{ worker_connections 1024; }}
http {{
    access_log off;
    client_body_temp_path {root}/tmp;
    sendfile on;
    keepalive_requests 1000000;
    tcp_nopush on;
    types {{ text/html html; application/rss+xml xml; }}
    server {{
        listen 127.0.0.1:{port};
        root {root}/www;
        location / {{ try_files $uri $uri/index.html =404; }}
    }}
}}
"""
    )
    nginx = shutil.which("nginx") or "/usr/sbin/nginx"
    return subprocess.Popen([nginx, "-c", str(config), "-p", str(root)])


def copy_pages(site: str, paths: dict[str, str], www: Path) -> dict[str, str]:
    """Save the site's own bytes for nginx; returns the nginx path of each page."""
    static = {}
    for name, path in paths.items():
        body = httpx.get(site + path, timeout=10).content
        target = (
            "index.html"
            if path == "/"
            else path.strip("/") + ("" if path.endswith(".xml") else ".html")
        )
        (www / target).parent.mkdir(mode=0o755, parents=True, exist_ok=True)
        (www / target).write_bytes(body)
        static[name] = "/" + target
    return static


async def post_comments(
    site: str, url: str, story_path: str, total: int, concurrency: int
) -> tuple[int, set[int]]:
    """Sign in once, then POST ``total`` comments ``concurrency`` at a time; (acks, ids)."""
    from newsdesk.accounts.passwords import hash_password
    from newsdesk.store import Store
    from newsdesk.store.site import accounts

    store = Store(url)
    with store.session() as session:
        accounts.add_user(
            session, "bench@example.org", "Bench Reader", hash_password("bench password 1")
        )
    store.close()
    async with httpx.AsyncClient(base_url=site, timeout=60) as client:
        login = await client.get("/login")
        token = re.search(r'name="csrf_token" value="([^"]+)"', login.text).group(1)  # type: ignore[union-attr]
        data = {"csrf_token": token, "email": "bench@example.org", "password": "bench password 1"}
        await client.post("/login", data=data)
        page = await client.get(story_path)
        token = re.search(r'name="csrf_token" value="([^"]+)"', page.text).group(1)  # type: ignore[union-attr]
        limit = asyncio.Semaphore(concurrency)
        acked: set[int] = set()

        async def one(number: int) -> None:
            async with limit:
                body = {"csrf_token": token, "body": f"Bench comment number {number}."}
                response = await client.post(f"{story_path}/comments", data=body)
                if response.status_code == 303:
                    acked.add(int(response.headers["location"].rsplit("-", 1)[1]))

        await asyncio.gather(*(one(n) for n in range(total)))
    return len(acked), acked


def count_comments(url: str, ids: set[int]) -> tuple[int, int]:
    from sqlalchemy import func, select

    from newsdesk.store import Store
    from newsdesk.store.site_models import CommentRow

    store = Store(url)
    with store.session() as session:
        total = session.scalar(select(func.count()).select_from(CommentRow)) or 0
        found = set(session.scalars(select(CommentRow.id).where(CommentRow.id.in_(ids))))
    store.close()
    return total, len(found)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--seconds", type=int, default=8, help="length of each wrk run")
    parser.add_argument("--connections", type=int, default=32)
    parser.add_argument("--comments", type=int, default=2000)
    parser.add_argument(
        "--serve", nargs=3, metavar=("URL", "FOLDER", "PORT"), help=argparse.SUPPRESS
    )
    args = parser.parse_args()
    if args.serve:
        serve(args.serve[0], args.serve[1], int(args.serve[2]))
        return
    ensure_tools()
    with tempfile.TemporaryDirectory() as name:
        folder = Path(name)
        url = build_database(folder)
        measure(folder, url, args)


def measure(folder: Path, url: str, args: argparse.Namespace) -> None:
    from newsdesk.store import Store, repo

    store = Store(url)
    with store.session() as session:
        story = repo.list_published(session, limit=1)[0].id
    store.close()
    paths = {"front page": "/", "story page": f"/stories/{story}", "feed.xml": "/feed.xml"}
    port, nginx_port = free_port(), free_port()
    site = f"http://127.0.0.1:{port}"
    child = subprocess.Popen([sys.executable, __file__, "--serve", url, str(folder), str(port)])
    # nginx's worker runs as an unprivileged user: it must be able to reach the files.
    folder.chmod(0o711)
    (folder / "www").mkdir(mode=0o755)
    (folder / "tmp").mkdir()
    nginx = None
    try:
        wait_for(site + "/__floor")
        static = copy_pages(site, paths, folder / "www")
        nginx = start_nginx(folder, nginx_port)
        wait_for(f"http://127.0.0.1:{nginx_port}/")
        for name, path in paths.items():
            same = httpx.get(f"http://127.0.0.1:{nginx_port}{static[name]}", timeout=10)
            assert same.status_code == 200, f"nginx answered {same.status_code} for {name}"
            assert same.content == httpx.get(site + path, timeout=10).content, name
        run_wrk(site + "/__floor", 2, args.connections)  # warm-up, not reported
        floor = run_wrk(site + "/__floor", args.seconds, args.connections)
        raw = run_wrk(site + "/__floor_raw", args.seconds, args.connections)
        rows = [("floor: fixed string, FastAPI route", floor, None)]
        rows.append(("floor: fixed string, before routing", raw, None))
        for name, path in paths.items():
            ours = run_wrk(site + path, args.seconds, args.connections)
            theirs = run_wrk(
                f"http://127.0.0.1:{nginx_port}{static[name]}", args.seconds, args.connections
            )
            rows.append((name, ours, theirs))
        acked, ids = asyncio.run(
            post_comments(site, url, paths["story page"], args.comments, args.connections)
        )
        stored, found = count_comments(url, ids)
    finally:
        child.terminate()
        child.wait(timeout=10)
        if nginx is not None:
            nginx.terminate()
            nginx.wait(timeout=10)
    report(rows, args, acked, stored, found)


def report(
    rows: list[tuple[str, WrkResult, WrkResult | None]],
    args: argparse.Namespace,
    acked: int,
    stored: int,
    found: int,
) -> None:
    floor, raw = rows[0][1].requests_per_s, rows[1][1].requests_per_s
    print(
        f"site benchmark: wrk -t2 -c{args.connections} -d{args.seconds}s, loopback, "
        f"Python {platform.python_version()}, one uvicorn process, nginx one worker\n"
    )
    print(
        "| what | req/s | vs route floor | vs raw floor | p50 ms | p99 ms "
        "| nginx req/s | nginx p99 ms | vs nginx | errors |"
    )
    print("|---|---|---|---|---|---|---|---|---|---|")
    for name, ours, theirs in rows:
        nginx_cols = (
            f"{theirs.requests_per_s:.0f} | {theirs.p99_ms:.2f} | "
            f"{ours.requests_per_s / theirs.requests_per_s:.2f}x"
            if theirs
            else "- | - | -"
        )
        errors = ours.errors + (theirs.errors if theirs else 0)
        print(
            f"| {name} | {ours.requests_per_s:.0f} | {ours.requests_per_s / floor:.2f}x | "
            f"{ours.requests_per_s / raw:.2f}x | "
            f"{ours.p50_ms:.2f} | {ours.p99_ms:.2f} | {nginx_cols} | {errors} |"
        )
    print(
        f"\ncomments under load: {args.comments} POSTs, {args.connections} at a time: "
        f"{acked} acknowledged (303), {found} of them found in the database, {stored} rows in all"
    )
    if found != acked:
        sys.exit("a comment that was acknowledged is missing")


if __name__ == "__main__":
    main()
