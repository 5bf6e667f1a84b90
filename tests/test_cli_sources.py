"""`newsdesk sources ...`, `newsdesk import` and `newsdesk eval extraction`, in-process."""

from __future__ import annotations

import gzip
import json
from collections.abc import Iterator
from pathlib import Path

import pytest
from typer.testing import CliRunner

from loopback_server import FIXTURES, LoopbackServer
from newsdesk.cli import app
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
