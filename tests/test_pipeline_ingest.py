"""Pipeline.ingest and Pipeline.import_documents on a real SQLite file and loopback servers."""

from __future__ import annotations

import json
from collections.abc import Iterator
from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import select

from loopback_server import FIXTURES, LoopbackServer, conditional_route, sequence_route
from newsdesk.ingest.imports import iter_import
from newsdesk.pipeline import Pipeline
from newsdesk.samplewire import load_wire, start_wire_server
from newsdesk.settings import Settings
from newsdesk.store import Store, repo
from newsdesk.store.base import utcnow
from newsdesk.store.models import DocumentRow, SourceRow

MODIFIED = "Sat, 14 Mar 2026 10:00:00 GMT"


def make_settings(tmp_path: Path, **overrides: Any) -> Settings:
    return Settings(_env_file=None, data_dir=tmp_path, fetch_retries=0, **overrides)


def add(store: Store, url: str, kind: str = "feed") -> None:
    with store.session() as session:
        repo.add_source(session, url, allow_private=True, kind=kind)


def source_row(store: Store, url: str) -> SourceRow:
    with store.session() as session:
        row = repo.find_source(session, url)
        assert row is not None
        return row


@pytest.fixture
def courier() -> Iterator[LoopbackServer]:
    with LoopbackServer() as server:
        feed = (FIXTURES / "rss.xml").read_bytes()
        server.routes["/feed.xml"] = conditional_route(
            feed, '"feed-v1"', MODIFIED, "application/rss+xml"
        )
        server.serve_file("/news/mill.html", "article_mill.html")
        server.serve_file("/news/ferry.html", "article_ferry.html")
        yield server


def test_an_unchanged_feed_costs_one_304(
    store: Store, courier: LoopbackServer, tmp_path: Path
) -> None:
    add(store, courier.url("/feed.xml"))
    pipeline = Pipeline(store, make_settings(tmp_path))
    first = pipeline.ingest()
    assert first.items == 2 and len(first.errors) == 1  # missing.html answers 404
    row = source_row(store, courier.url("/feed.xml"))
    assert (row.etag, row.last_modified, row.items_seen, row.failures) == (
        '"feed-v1"',
        MODIFIED,
        2,
        0,
    )
    assert "1 article(s) failed" in (row.last_error or "")
    seen = len(courier.requests)
    second = pipeline.ingest()
    assert (second.items, second.errors) == (0, [])
    assert courier.requests[seen:] == ["/feed.xml"]
    assert courier.headers_seen[-1]["if-none-match"] == '"feed-v1"'
    assert source_row(store, courier.url("/feed.xml")).last_error is None


def test_a_failing_source_backs_off_then_is_paused(store: Store, tmp_path: Path) -> None:
    with LoopbackServer() as server:
        server.serve("/broken", b"<html><body>Moved to our new app!</body></html>")
        url = server.url("/broken")
        add(store, url)
        settings = make_settings(tmp_path, source_pause_after=3, source_backoff_base_s=3600)
        pipeline = Pipeline(store, settings)
        assert "HTML page, not a feed" in pipeline.ingest().errors[0]
        row = source_row(store, url)
        assert row.failures == 1 and row.next_poll_at is not None
        assert row.next_poll_at >= utcnow() + timedelta(minutes=59)
        assert pipeline.ingest().errors == []  # waiting out its backoff: not even fetched
        assert server.requests.count("/broken") == 1
        for _ in range(2):
            with store.session() as session:  # pretend the backoff has passed
                session.get_one(SourceRow, row.id).next_poll_at = utcnow()
            errors = pipeline.ingest().errors
        assert errors[-1] == f"{url}: paused after 3 failures in a row"
        paused = source_row(store, url)
        assert paused.paused and "HTML page" in (paused.last_error or "")
        with store.session() as session:
            assert repo.set_source_paused(session, url, False)
        assert source_row(store, url).failures == 0


def test_retry_after_delays_the_next_poll(store: Store, tmp_path: Path) -> None:
    with LoopbackServer() as server:
        server.routes["/busy"] = sequence_route([(429, b"", {"Retry-After": "7200"})])
        add(store, server.url("/busy"))
        Pipeline(store, make_settings(tmp_path)).ingest()
    row = source_row(store, server.url("/busy"))
    assert row.next_poll_at is not None and row.next_poll_at >= utcnow() + timedelta(hours=1.9)
    assert "HTTP 429" in (row.last_error or "")


def test_sitemap_and_single_page_sources(
    store: Store, courier: LoopbackServer, tmp_path: Path
) -> None:
    sitemap = (
        '<?xml version="1.0"?><urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">'
        f"<url><loc>{courier.url('/news/mill.html')}</loc><lastmod>2026-03-14</lastmod></url>"
        "</urlset>"
    ).encode()
    courier.serve("/sitemap.xml", sitemap, content_type="application/xml")
    add(store, courier.url("/sitemap.xml"), kind="sitemap")
    add(store, courier.url("/news/ferry.html"), kind="page")
    pipeline = Pipeline(store, make_settings(tmp_path))
    assert pipeline.ingest().items == 2
    assert pipeline.ingest().items == 0
    assert courier.requests.count("/news/ferry.html") == 1  # a page is read once


def test_sample_wire_copy_is_stored_linked_to_its_original(store: Store, tmp_path: Path) -> None:
    with start_wire_server() as wire:
        for url in wire.feed_urls():
            add(store, url)
        result = Pipeline(store, make_settings(tmp_path)).ingest()
    assert (result.items, result.errors) == (len(load_wire()), [])
    with store.session() as session:
        linked = [
            repo.to_document(row)
            for row in session.scalars(
                select(DocumentRow).where(DocumentRow.duplicate_of.is_not(None))
            )
        ]
        (copy,) = linked
        original = session.get_one(DocumentRow, copy.duplicate_of)
        assert copy.url is not None and "eastbrook-gazette" in copy.url
        assert original.url is not None and "valley-wire" in original.url
        assert copy.extractor == "trafilatura" and copy.author


def test_import_commits_batches_and_links_copies(store: Store, tmp_path: Path) -> None:
    story = [a for a in load_wire() if a.story == "rate-rise"]
    path = tmp_path / "docs.jsonl"
    lines = [
        json.dumps({"id": a.slug, "text": a.text, "published": a.published.isoformat()})
        for a in story
    ]
    path.write_text("\n".join([*lines, "{oops"]) + "\n")
    pipeline = Pipeline(store, make_settings(tmp_path))
    result = pipeline.import_documents(iter_import(path, 1_000_000), batch=2)
    assert result.items == len(story)
    assert result.errors == [
        f"{path}:{len(story) + 1}: not JSON (Expecting property name enclosed in double quotes)"
    ]
    with store.session() as session:
        copies = {
            row.id: row.duplicate_of
            for row in session.scalars(select(DocumentRow))
            if row.duplicate_of is not None
        }
    assert copies == {
        "central-bank-lifts-interest-rate-3-75-percent-eastbrook": (
            "bank-of-valdoria-raises-rate-to-3-75-percent"
        )
    }
    assert pipeline.import_documents(iter_import(path, 1_000_000)).items == 0


def test_ingest_one_polls_a_single_source(
    store: Store, courier: LoopbackServer, tmp_path: Path
) -> None:
    add(store, courier.url("/feed.xml"))
    pipeline = Pipeline(store, make_settings(tmp_path))
    source_id = source_row(store, courier.url("/feed.xml")).id
    assert pipeline.ingest_one(source_id).items == 2
    assert pipeline.ingest_one(source_id + 1000).items == 0  # unknown: nothing to do
    with store.session() as session:
        repo.set_source_paused(session, courier.url("/feed.xml"), True)
    seen = len(courier.requests)
    assert pipeline.ingest_one(source_id).items == 0
    assert len(courier.requests) == seen  # a paused source is left alone
