"""Polling benchmark: 2,000 feeds on 50 loopback hosts, some slow, some failing, most 304.

Each feed has one article page. Cycle 1 is cold (every feed and page is new); in the
later cycles 5% of the feeds publish one new article, 3% answer HTTP 500 (then wait out
their backoff), 2% take 1.5 s to answer, and the rest answer 304 to the conditional
GET. Prints the seconds of each full poll cycle, the requests the server answered,
and the peak resident memory of the polling process, as a Markdown table for
BENCHMARKS.md. The servers run in a child process, so they do not share the poller's GIL.
"""

from __future__ import annotations

import argparse
import multiprocessing
import random
import resource
import tempfile
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from multiprocessing.sharedctypes import Synchronized
from pathlib import Path

from newsdesk.pipeline import Pipeline
from newsdesk.settings import Settings
from newsdesk.store import Store, migrate, repo

HOSTS = 50
WORDS = (
    "harbour council vote bridge river quay tide mill ferry school budget storm road "
    "market rail station museum library water power grid housing plan survey report "
    "minister mayor court police fire crew rescue farm harvest price wage strike port"
).split()


class Wire:
    """What the feeds say: which cycle it is (a feed publishes when n % 20 == cycle % 20)."""

    def __init__(self, cycle: Synchronized[int], requests: Synchronized[int]) -> None:
        self.cycle = cycle
        self.requests = requests

    def version(self, n: int) -> int:
        return sum(1 for c in range(2, self.cycle.value + 1) if c % 20 == n % 20)


def page_text(n: int, version: int) -> str:
    rng = random.Random(n * 1000 + version)
    sentences = [
        " ".join(rng.choice(WORDS) for _ in range(14)).capitalize() + "." for _ in range(16)
    ]
    return " ".join(sentences)


def make_handler(wire: Wire) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"  # keep-alive, as real servers do

        def do_GET(self) -> None:
            with wire.requests.get_lock():
                wire.requests.value += 1
            parts = self.path.strip("/").split("/")
            if parts == ["robots.txt"]:
                self.answer(200, b"User-agent: *\nAllow: /\n", "text/plain")
            elif len(parts) == 2 and parts[0] == "feed":
                self.feed(int(parts[1].removesuffix(".xml")))
            elif len(parts) == 2 and parts[0] == "page":
                n, version = (int(x) for x in parts[1].removesuffix(".html").split("-"))
                body = f"<html><head><title>Story {n}.{version}</title></head><body><article>"
                body += f"<h1>Story {n}.{version}</h1><p>{page_text(n, version)}</p></article>"
                self.answer(200, (body + "</body></html>").encode(), "text/html")
            else:
                self.answer(404, b"", "text/plain")

        def feed(self, n: int) -> None:
            if n % 33 == 1:  # 3% fail
                self.answer(500, b"", "text/plain")
                return
            if n % 47 == 7:  # spread over the hosts (47 and 50 are coprime)
                time.sleep(1.5)
            version = wire.version(n)
            etag = f'"{n}-{version}"'
            if self.headers.get("If-None-Match") == etag:
                self.send_response(304)
                self.send_header("ETag", etag)
                self.end_headers()
                return
            host = self.headers.get("Host", "")
            item = f"<item><title>Story {n}.{version}</title>"
            item += f"<link>http://{host}/page/{n}-{version}.html</link></item>"
            body = f'<rss version="2.0"><channel><title>Feed {n}</title>{item}</channel></rss>'
            self.answer(200, body.encode(), "application/rss+xml", {"ETag": etag})

        def answer(
            self, status: int, body: bytes, kind: str, headers: dict[str, str] | None = None
        ) -> None:
            self.send_response(status)
            self.send_header("Content-Type", kind)
            self.send_header("Content-Length", str(len(body)))
            for name, value in (headers or {}).items():
                self.send_header(name, value)
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, format: str, *args: object) -> None:
            pass

    return Handler


def serve(wire: Wire, bases: multiprocessing.Queue[list[str]]) -> None:
    """In the child process: one server per loopback host, until the parent ends."""
    found = []
    for i in range(HOSTS):
        host = f"127.0.0.{i + 1}"
        server = ThreadingHTTPServer((host, 0), make_handler(wire))
        server.daemon_threads = True
        threading.Thread(target=server.serve_forever, daemon=True).start()
        found.append(f"http://{host}:{server.server_address[1]}")
    bases.put(found)
    threading.Event().wait()


def peak_rss_mib() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--feeds", type=int, default=2000)
    parser.add_argument("--cycles", type=int, default=4)
    parser.add_argument("--concurrency", type=int, default=8, help="NEWSDESK_FETCH_CONCURRENCY")
    args = parser.parse_args()
    context = multiprocessing.get_context("fork")
    wire = Wire(context.Value("i", 1), context.Value("i", 0))
    queue: multiprocessing.Queue[list[str]] = context.Queue()
    child = context.Process(target=serve, args=(wire, queue), daemon=True)
    child.start()
    bases = queue.get(timeout=30)
    try:
        run_cycles(args.feeds, args.cycles, args.concurrency, bases, wire)
    finally:
        child.terminate()


def run_cycles(feeds: int, cycles: int, concurrency: int, bases: list[str], wire: Wire) -> None:
    with tempfile.TemporaryDirectory() as folder:
        url = f"sqlite:///{Path(folder) / 'poll.db'}"
        migrate(url)
        store = Store(url)
        with store.session() as session:
            for n in range(feeds):
                repo.add_source(session, f"{bases[n % HOSTS]}/feed/{n}.xml", allow_private=True)
        settings = Settings(_env_file=None, data_dir=Path(folder), fetch_concurrency=concurrency)
        pipeline = Pipeline(store, settings)
        print(f"{feeds} feeds on {HOSTS} hosts, fetch concurrency {concurrency}")
        print("| cycle | seconds | requests | new documents | errors | peak RSS MiB |")
        print("|---|---|---|---|---|---|")
        for cycle in range(1, cycles + 1):
            wire.cycle.value = cycle
            before = wire.requests.value
            started = time.perf_counter()
            result = pipeline.ingest()
            seconds = time.perf_counter() - started
            print(
                f"| {cycle} | {seconds:.2f} | {wire.requests.value - before} | {result.items} "
                f"| {len(result.errors)} | {peak_rss_mib():.0f} |",
                flush=True,
            )
        store.close()


if __name__ == "__main__":
    main()
