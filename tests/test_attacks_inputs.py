"""Findings of an attack run on the inputs: a feed of endless items, compressed bombs and
broken bytes given to the CLI. Real files in tmp_path, real HTTP servers on loopback, the
real CLI (CliRunner); each test is bounded to a few seconds."""

from __future__ import annotations

import gzip
import json
import random
import threading
import time
import tracemalloc
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from email.utils import format_datetime
from http.server import BaseHTTPRequestHandler
from pathlib import Path
from typing import Any

import pytest
from click.testing import Result
from sqlalchemy import func, select
from typer.testing import CliRunner

from loopback_server import FIXTURES, LoopbackServer, conditional_route
from newsdesk.cli import app
from newsdesk.cluster.features import TEXT_MAX_CHARS, clean_text
from newsdesk.extract import MAX_CHARS
from newsdesk.ingest import Fetcher, poll_source
from newsdesk.ingest import poll as poll_module
from newsdesk.ingest.localfiles import looks_binary
from newsdesk.pipeline import Pipeline
from newsdesk.records import Document
from newsdesk.settings import Settings, load_settings
from newsdesk.store import Store, repo
from newsdesk.store.models import DocumentRow
from warc_maker import write_warc

runner = CliRunner()
MILL = (FIXTURES / "article_mill.html").read_bytes()
WORDS = (
    "harbour council ferry tide mill quay river bridge school museum storm lighthouse "
    "market fishing boat crew rescue island village mayor budget road rail station "
    "library festival winter spring summer autumn weather flood bank beach cliff path "
    "farm orchard bakery clinic doctor nurse teacher pupil report vote plan repair"
).split()
MEGABYTE = 1 << 20


# --- helpers ---------------------------------------------------------------------------


def article(number: int) -> bytes:
    """A page of its own words, long enough to pass extraction's quality check."""
    pick = random.Random(number).choices(WORDS, k=90)
    sentences = [" ".join(pick[i : i + 15]).capitalize() + "." for i in range(0, 90, 15)]
    body = "".join(f"<p>{sentence} Item {number} of the wire.</p>" for sentence in sentences)
    return (
        f"<html><head><title>Story {number}</title></head>"
        f"<body><article><h1>Story {number}</h1>{body}</article></body></html>"
    ).encode()


def rss(count: int, newest: datetime) -> bytes:
    """A feed of ``count`` items, item 0 the newest, one hour apart."""
    items = "".join(
        f"<item><title>Story {n}</title><link>/a/{n}.html</link>"
        f"<pubDate>{format_datetime(newest - timedelta(hours=n))}</pubDate></item>"
        for n in range(count)
    )
    return (
        f'<?xml version="1.0"?><rss version="2.0"><channel><title>Wire</title>{items}'
        "</channel></rss>"
    ).encode()


def settings_for(tmp_path: Path) -> Settings:
    return Settings(_env_file=None, data_dir=tmp_path, fetch_retries=0, fetch_host_delay_s=0.0)


def add_source(store: Store, url: str) -> None:
    with store.session() as session:
        repo.add_source(session, url, allow_private=True)


def document_count(store: Store) -> int:
    with store.session() as session:
        return int(session.scalar(select(func.count()).select_from(DocumentRow)) or 0)


def page_requests(server: LoopbackServer) -> list[str]:
    return [path for path in server.requests if path.startswith("/a/")]


@pytest.fixture
def env(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setenv("NEWSDESK_DATA_DIR", str(tmp_path / "data"))
    return tmp_path


def cli_store() -> Store:
    return Store(load_settings().resolved_database_url())


def invoke_measured(args: list[str]) -> tuple[Result, int]:
    """Run the CLI; also the peak of Python memory it allocated, in bytes."""
    tracemalloc.start()
    try:
        result = runner.invoke(app, args)
        return result, tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()


def one_line_error(result: Result, *needles: str) -> None:
    """Exit status 1, no traceback, and the error on one line holding every needle."""
    assert result.exit_code == 1, result.output
    assert result.exception is None or isinstance(result.exception, SystemExit), result.output
    assert "Traceback" not in result.output
    assert any(all(n in line for n in needles) for line in result.output.splitlines()), (
        result.output
    )


def write_gzip(path: Path, parts: Iterator[bytes]) -> Path:
    with gzip.open(path, "wb", compresslevel=1) as stream:
        for part in parts:
            stream.write(part)
    return path


def repeated(head: bytes, filler: bytes, megabytes: int, tail: bytes = b"") -> Iterator[bytes]:
    yield head
    for _ in range(megabytes):
        yield filler * (MEGABYTE // len(filler))
    yield tail


# --- A. a feed of endless items ---------------------------------------------------------


@pytest.fixture
def capped(monkeypatch: pytest.MonkeyPatch) -> None:
    """Small caps, so that a poll of a few pages shows what a poll of a thousand would."""
    monkeypatch.setattr(poll_module, "MAX_NEW_ENTRIES", 4, raising=False)
    monkeypatch.setattr(poll_module, "DOCUMENT_BATCH", 2, raising=False)


def test_a_huge_feed_is_read_the_newest_few_per_poll(
    store: Store, tmp_path: Path, capped: None
) -> None:
    newest = datetime.now(UTC).replace(microsecond=0) - timedelta(hours=1)
    with LoopbackServer() as server:
        server.routes["/feed.xml"] = conditional_route(
            rss(10, newest), '"v1"', format_datetime(newest, usegmt=True), "application/rss+xml"
        )
        for n in range(10):
            server.serve(f"/a/{n}.html", article(n))
        add_source(store, server.url("/feed.xml"))
        pipeline = Pipeline(store, settings_for(tmp_path))

        assert pipeline.ingest().items == 4
        assert sorted(page_requests(server)) == [f"/a/{n}.html" for n in range(4)]
        with store.session() as session:
            row = repo.find_source(session, server.url("/feed.xml"))
            assert row is not None and row.etag is None  # more waiting: read it again
        assert pipeline.ingest().items == 4  # the next newest ones
        assert sorted(page_requests(server))[4:] == [f"/a/{n}.html" for n in range(4, 8)]
        assert pipeline.ingest().items == 2
        seen = len(server.requests)
        assert pipeline.ingest().items == 0  # all read: the validators are kept, a 304
        assert len(server.requests) == seen + 1
    assert document_count(store) == 10


def test_a_poll_commits_its_documents_while_it_runs(
    store: Store, tmp_path: Path, capped: None
) -> None:
    newest = datetime.now(UTC).replace(microsecond=0) - timedelta(hours=1)
    release = threading.Event()

    def slow_page(handler: BaseHTTPRequestHandler) -> None:
        release.wait(10)
        body = article(3)
        handler.send_response(200)
        handler.send_header("Content-Type", "text/html")
        handler.send_header("Content-Length", str(len(body)))
        handler.end_headers()
        handler.wfile.write(body)

    with LoopbackServer() as server:
        server.serve("/feed.xml", rss(4, newest), content_type="application/rss+xml")
        for n in range(3):
            server.serve(f"/a/{n}.html", article(n))
        server.routes["/a/3.html"] = slow_page
        add_source(store, server.url("/feed.xml"))
        pipeline = Pipeline(store, settings_for(tmp_path))
        running = threading.Thread(target=pipeline.ingest)
        running.start()
        try:
            deadline = time.monotonic() + 8
            while document_count(store) < 2 and time.monotonic() < deadline:
                time.sleep(0.05)
            # A run killed now keeps what it fetched.
            assert running.is_alive() and document_count(store) >= 2
        finally:
            release.set()
            running.join(15)
    assert document_count(store) == 4


# --- B. compressed bombs and oversized inputs ------------------------------------------


def test_extract_and_import_refuse_a_gzip_bomb_within_the_cap(
    env: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("NEWSDESK_FETCH_MAX_BYTES", "1000000")
    bomb = write_gzip(env / "bomb.html.gz", repeated(MILL + b"<!--", b" ", 48, b"-->"))
    assert bomb.stat().st_size < MEGABYTE
    result, peak = invoke_measured(["extract", str(bomb)])
    assert result.exit_code == 1 and "larger than 1000000 bytes" in result.stdout
    assert peak < 16 * MEGABYTE  # not the 48 MB it inflates to
    result, peak = invoke_measured(["import", str(bomb)])
    one_line_error(result, "bomb.html.gz", "larger than 1000000 bytes")
    assert peak < 16 * MEGABYTE


def test_import_refuses_an_over_long_line_and_an_over_long_text(
    env: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("NEWSDESK_FETCH_MAX_BYTES", "1000000")
    good = [json.dumps({"id": f"d{n}", "text": article(n).decode()}) for n in (1, 2)]
    huge_line = json.dumps({"id": "huge", "text": "word " * 400_000})  # 2 MB
    long_text = json.dumps({"id": "long", "text": "word " * 50_000})  # 250,000 characters
    path = env / "docs.jsonl"
    path.write_text("\n".join([good[0], huge_line, long_text, good[1]]) + "\n")
    result = runner.invoke(app, ["import", str(path)])
    one_line_error(result, f"{path}:2", "longer than 1000000 bytes")
    one_line_error(result, f"{path}:3", "250000 characters", "200000")
    assert "read 2 document(s), 2 new" in result.output
    assert document_count(cli_store()) == 2


def test_a_gzipped_json_lines_bomb_is_read_a_capped_line_at_a_time(
    env: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("NEWSDESK_FETCH_MAX_BYTES", "1000000")
    good = json.dumps({"id": "d1", "text": article(1).decode()}).encode() + b"\n"
    bomb = write_gzip(env / "docs.jsonl.gz", repeated(b'{"id": "x", "text": "', b"a", 48, b'"}\n'))
    bomb.write_bytes(bomb.read_bytes() + gzip.compress(good))  # a second gzip member
    result, peak = invoke_measured(["import", str(bomb)])
    one_line_error(result, f"{bomb}:1", "longer than 1000000 bytes")
    assert "read 1 document(s), 1 new" in result.output
    assert peak < 16 * MEGABYTE


def test_a_warc_bomb_with_an_endless_header_line_is_refused(
    env: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("NEWSDESK_FETCH_MAX_BYTES", "1000000")
    head = b"WARC/1.0\r\nWARC-Type: response\r\nX-Padding: "
    bomb = write_gzip(env / "bomb.warc.gz", repeated(head, b"a", 48))
    result, peak = invoke_measured(["import", str(bomb)])
    one_line_error(result, "bomb.warc.gz", "damaged", "longer than 1000000 bytes")
    assert peak < 16 * MEGABYTE


# --- C. broken bytes ----------------------------------------------------------------------


def doc_line(doc_id: str, text: str) -> str:
    return json.dumps({"id": doc_id, "text": text})


def test_import_names_a_lone_surrogate_and_keeps_the_good_lines(env: Path) -> None:
    path = env / "docs.jsonl"
    lines = [
        doc_line("d1", article(1).decode()),
        doc_line("bad", "a lone \ud800 surrogate"),  # json.dumps writes it as \\ud800
        doc_line("d3", article(3).decode()),
    ]
    path.write_text("\n".join(lines) + "\n")
    result = runner.invoke(app, ["import", str(path)])
    one_line_error(result, f"{path}:2", "lone surrogate")
    assert "read 2 document(s), 2 new" in result.output
    assert document_count(cli_store()) == 2


def test_check_names_a_lone_surrogate_and_binary_input(env: Path) -> None:
    good = {"id": "c1", "source": "The mill reopened on Monday.", "claim": "The mill reopened."}
    path = env / "claims.jsonl"
    bad = {"id": "c\ud800", "source": "x \udc00", "claim": "y"}
    path.write_text(json.dumps(good) + "\n" + json.dumps(bad) + "\n")
    result = runner.invoke(app, ["check", str(path)])
    one_line_error(result, f"{path}:2", "lone surrogate")
    assert json.loads(result.stdout.splitlines()[0])["id"] == "c1"  # printed before

    binary = env / "claims.bin"
    binary.write_bytes(json.dumps(good).encode() + b"\n" + random.Random(7).randbytes(4096))
    result = runner.invoke(app, ["check", str(binary)])
    one_line_error(result, f"{binary}:2", "not UTF-8")


def test_cluster_names_a_lone_surrogate(env: Path) -> None:
    path = env / "docs.jsonl"
    path.write_text(doc_line("d1", "Storm \ud83d\ude00 closes the quay.") + "\n")
    path.write_text(path.read_text() + doc_line("d2", "A lone \udfff here.") + "\n")
    result = runner.invoke(app, ["cluster", str(path), "--no-corrections"])
    one_line_error(result, f"{path}:2", "lone surrogate")


def test_extract_refuses_random_bytes_as_no_article(env: Path) -> None:
    noise = env / "noise.html"
    noise.write_bytes(random.Random(3).randbytes(200_000))  # extraction alone took it
    result = runner.invoke(app, ["extract", str(noise)])
    assert result.exit_code == 1
    record: dict[str, Any] = json.loads(result.stdout)
    assert record["id"] == "noise" and "no article text" in record["error"]
    assert "binary data" in record["error"] and "noise.html" in record["error"]


def test_a_truncated_warc_is_an_error_after_its_whole_pages(env: Path) -> None:
    pages = [(f"https://wire.example/a/{n}", "200 OK", article(n), "text/html") for n in range(4)]
    whole = write_warc(env / "whole.warc.gz", pages).read_bytes()
    half = env / "half.warc.gz"
    half.write_bytes(whole[: len(whole) * 6 // 10])
    result = runner.invoke(app, ["import", str(half)])
    one_line_error(result, "half.warc.gz", "cut short")
    assert "read 2 document(s), 2 new" in result.output
    assert document_count(cli_store()) == 2

    plain = write_warc(env / "whole.warc", pages, gzip=False).read_bytes()
    cut = env / "cut.warc"
    cut.write_bytes(plain[: len(plain) * 6 // 10])
    result = runner.invoke(app, ["import", str(cut)])
    one_line_error(result, "cut.warc", "cut short")


def test_the_clusterer_reads_an_over_long_stored_text_only_to_the_limit() -> None:
    assert TEXT_MAX_CHARS == MAX_CHARS
    document = Document(id="old", title="Old", text="word " * 1_000_000)  # 5,000,000 chars
    assert len(clean_text(document)) <= MAX_CHARS + len("Old. ")


@pytest.mark.anyio
async def test_a_sink_that_fails_fails_the_poll_with_its_own_error(capped: None) -> None:
    newest = datetime.now(UTC).replace(microsecond=0)

    def full_disk(documents: list[Document]) -> None:
        raise OSError(28, "No space left on device")

    with LoopbackServer() as server:
        server.serve("/feed.xml", rss(4, newest), content_type="application/rss+xml")
        for n in range(4):
            server.serve(f"/a/{n}.html", article(n))
        loopback = settings_for(Path(".")).model_copy(update={"allow_private_networks": True})
        async with Fetcher(loopback) as fetcher:
            with pytest.raises(OSError, match="No space left"):
                await poll_source(
                    "feed", server.url("/feed.xml"), fetcher, lambda url: False, sink=full_disk
                )


def test_text_pages_are_not_taken_for_binary_data() -> None:
    pages = [path.read_bytes() for path in sorted(FIXTURES.glob("*.html"))]
    pages.append("<p>Grüße aus Köln</p>".encode("utf-16"))  # with its BOM
    assert pages and not any(looks_binary(page) for page in pages)
    assert looks_binary(random.Random(1).randbytes(5000))
