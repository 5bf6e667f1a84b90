"""`newsdesk sources ...`, `newsdesk import` and `newsdesk eval extraction`, in-process."""

from __future__ import annotations

import gzip
import json
import time
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler
from pathlib import Path

import pytest
from typer.testing import CliRunner

from loopback_server import FIXTURES, LoopbackServer, Route
from newsdesk.cli import app
from newsdesk.ingest import politeness
from newsdesk.ingest.opml import parse_opml
from newsdesk.samplewire import start_wire_server

runner = CliRunner()


@pytest.fixture(autouse=True)
def data_dir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setenv("NEWSDESK_DATA_DIR", str(tmp_path / "data"))
    monkeypatch.setenv("NEWSDESK_FETCH_RETRIES", "0")
    monkeypatch.setenv("NEWSDESK_FETCH_HOST_DELAY_S", "0")
    return tmp_path / "data"


@pytest.fixture
def site() -> Iterator[LoopbackServer]:
    with LoopbackServer() as server:
        server.serve_file("/feed.xml", "rss.xml", content_type="application/rss+xml")
        server.serve_file("/home", "site_home.html")
        server.serve_file("/news/mill.html", "article_mill.html")
        sitemap = (FIXTURES / "news_sitemap.xml").read_bytes()
        server.serve("/sitemap.xml", sitemap, content_type="application/xml")
        yield server


def listed() -> list[list[str]]:
    result = runner.invoke(app, ["sources", "list"])
    assert result.exit_code == 0, result.output
    return [line.split("\t") for line in result.stdout.splitlines()]


def test_add_looks_at_each_url_first(site: LoopbackServer) -> None:
    urls = [site.url(p) for p in ("/feed.xml", "/sitemap.xml", "/home", "/news/mill.html")]
    result = runner.invoke(app, ["sources", "add", "--allow-private", *urls])
    assert result.exit_code == 0, result.output
    kinds = {line[0]: line[1] for line in listed()}
    assert kinds == {
        site.url("/feed.xml"): "feed",
        site.url("/sitemap.xml"): "sitemap",
        site.url("/feeds/main.xml"): "feed",  # announced by /home (autodiscovery)
        site.url("/news/mill.html"): "page",
    }
    assert "also announces" in result.output


def test_an_unreachable_url_is_added_with_a_warning() -> None:
    result = runner.invoke(app, ["sources", "add", "http://127.0.0.1:9/feed.xml"])
    assert result.exit_code == 0
    assert "not checked now" in result.output and "refused" in result.output
    assert listed()[0][:3] == ["http://127.0.0.1:9/feed.xml", "feed", "new"]


def test_opml_import_export_and_pause_resume_remove(tmp_path: Path) -> None:
    opml = FIXTURES / "feeds.opml"
    result = runner.invoke(app, ["sources", "import", str(opml)])
    assert result.exit_code == 0 and "3 feed(s)" in result.output and "3 new" in result.output
    again = runner.invoke(app, ["sources", "import", str(opml)])
    assert "0 new" in again.output
    exported = runner.invoke(app, ["sources", "export"])
    assert [s.url for s in parse_opml(exported.stdout.encode())] == [
        s.url for s in parse_opml(opml.read_bytes())
    ]
    url = "https://quay.example/feed.json"
    assert runner.invoke(app, ["sources", "pause", url]).exit_code == 0
    assert {line[0]: line[2] for line in listed()}[url].startswith("paused")
    assert runner.invoke(app, ["sources", "resume", url]).exit_code == 0
    assert runner.invoke(app, ["sources", "remove", url]).exit_code == 0
    assert url not in {line[0] for line in listed()}
    missing = runner.invoke(app, ["sources", "pause", "https://nowhere.example/"])
    assert missing.exit_code == 1 and "no such source" in missing.output


def test_a_bad_opml_file_is_named(tmp_path: Path) -> None:
    bad = tmp_path / "subs.opml"
    bad.write_text("<html/>")
    result = runner.invoke(app, ["sources", "import", str(bad)])
    assert result.exit_code == 1 and "is not OPML" in " ".join(result.output.split())


def test_import_a_folder_then_again(tmp_path: Path) -> None:
    folder = tmp_path / "pages"
    folder.mkdir()
    (folder / "mill.html").write_bytes((FIXTURES / "article_mill.html").read_bytes())
    (folder / "ferry.html.gz").write_bytes(
        gzip.compress((FIXTURES / "article_ferry.html").read_bytes())
    )
    first = runner.invoke(app, ["import", str(folder)])
    assert first.exit_code == 0, first.output
    assert "read 2 document(s), 2 new" in first.output
    assert "read 2 document(s), 0 new" in runner.invoke(app, ["import", str(folder)]).output
    nothing = runner.invoke(app, ["import", str(tmp_path / "missing.jsonl")])
    assert nothing.exit_code == 1 and "cannot read" in nothing.output


def test_eval_extraction_on_a_small_benchmark(tmp_path: Path) -> None:
    bench = tmp_path / "bench"
    (bench / "html").mkdir(parents=True)
    mill = (FIXTURES / "article_mill.html").read_bytes()
    (bench / "html" / "mill.html.gz").write_bytes(gzip.compress(mill))
    truth = {
        "mill": {
            "url": "https://x.example/mill",
            "articleBody": "Councillors in Saltmere voted eleven to four on Thursday evening",
        }
    }
    (bench / "ground-truth.json").write_text(json.dumps(truth))
    result = runner.invoke(app, ["eval", "extraction", str(bench), "--json"])
    assert result.exit_code == 0, result.output
    report = json.loads(result.stdout)
    assert report["newsdesk"]["recall"] == 1.0 and 0 < report["newsdesk"]["precision"] < 1
    assert report["trafilatura"]["pages"] == 1
    missing = runner.invoke(app, ["eval", "extraction", str(tmp_path)])
    assert missing.exit_code == 1 and "ground-truth.json" in missing.output


def test_opml_from_the_sample_wire_by_url() -> None:
    with start_wire_server() as wire:
        result = runner.invoke(app, ["sources", "import", "--allow-private", wire.opml_url])
        assert result.exit_code == 0, result.output
        assert {line[0] for line in listed()} == set(wire.feed_urls())


def slow_route(body: bytes, delay_s: float) -> Route:
    def route(handler: BaseHTTPRequestHandler) -> None:
        time.sleep(delay_s)
        handler.send_response(200)
        handler.send_header("Content-Length", str(len(body)))
        handler.end_headers()
        handler.wfile.write(body)

    return route


@pytest.fixture
def waits(monkeypatch: pytest.MonkeyPatch) -> list[float]:
    """Every politeness gap (anyio.sleep) of the run, recorded instead of waited."""
    recorded: list[float] = []

    async def record(delay: float) -> None:
        recorded.append(delay)

    monkeypatch.setattr(politeness.anyio, "sleep", record)
    return recorded


def test_add_checks_own_urls_at_once_in_input_order(
    site: LoopbackServer, waits: list[float], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("NEWSDESK_FETCH_HOST_DELAY_S", "5")
    rss = (FIXTURES / "rss.xml").read_bytes()
    page = (FIXTURES / "article_mill.html").read_bytes()
    for n in range(20):
        # The first URLs answer last: the order printed is still the order given.
        site.routes[f"/s{n}"] = slow_route(rss if n % 2 else page, delay_s=0.02 * (20 - n))
    urls = [site.url(f"/s{n}") for n in range(20)]
    result = runner.invoke(app, ["sources", "add", "--allow-private", *urls])
    assert result.exit_code == 0, result.output
    assert waits == []  # the operator's own host: no politeness gap
    lines = [line for line in result.output.splitlines() if line.startswith(site.origin)]
    assert [line.split(": ")[0] for line in lines] == urls
    assert [line.split(": ")[1].split(" ")[0] for line in lines] == ["page", "feed"] * 10
    assert "check" in result.output and "20/20" in result.output  # the progress bar
    assert [line[0] for line in listed()] == urls


def test_sitemaps_and_pages_survive_export_and_import(site: LoopbackServer) -> None:
    urls = [site.url(p) for p in ("/feed.xml", "/sitemap.xml", "/news/mill.html")]
    assert runner.invoke(app, ["sources", "add", "--allow-private", *urls]).exit_code == 0
    exported = runner.invoke(app, ["sources", "export"]).stdout
    assert runner.invoke(app, ["sources", "remove", *urls]).exit_code == 0
    site.serve("/subs.opml", exported.encode(), content_type="text/x-opml")
    result = runner.invoke(app, ["sources", "import", "--allow-private", site.url("/subs.opml")])
    assert result.exit_code == 0, result.output
    assert "1 feed(s), 1 sitemap(s), 1 page(s)" in result.output and "3 new" in result.output
    assert {line[0]: line[1] for line in listed()} == {
        urls[0]: "feed",
        urls[1]: "sitemap",
        urls[2]: "page",
    }
