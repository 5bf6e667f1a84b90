"""The command line, in-process (CliRunner) and as a real process that gets killed."""

from __future__ import annotations

import json
import os
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest
from typer.testing import CliRunner

from newsdesk.cli import app
from newsdesk.samplewire import WireArticle, load_wire, start_wire_server
from newsdesk.store import Store, migrate, repo

FIXTURES = Path(__file__).parent / "fixtures"
runner = CliRunner()


@pytest.fixture
def env(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> dict[str, str]:
    monkeypatch.setenv("NEWSDESK_DATA_DIR", str(tmp_path / "data"))
    return {**os.environ, "NEWSDESK_DATA_DIR": str(tmp_path / "data")}


def test_write_prints_an_article_for_a_story_file(tmp_path: Path) -> None:
    story = {"id": "s1", "documents": [_doc(a) for a in _wire_story("02-tarsen-earthquake")]}
    path = tmp_path / "story.json"
    path.write_text(json.dumps(story))
    result = runner.invoke(app, ["write", str(path)])
    assert result.exit_code == 0, result.output
    article = json.loads(result.stdout)
    assert article["story"] == "s1" and article["sections"] and article["facts"]
    # The same gate as the pipeline: every sentence and fact was checked.
    checked = article["verification"]["checked"]
    assert checked >= len([s for sec in article["sections"] for p in sec["paragraphs"] for s in p])
    assert article["verification"]["checker"]


def test_write_rejects_a_file_that_is_not_a_story(tmp_path: Path) -> None:
    path = tmp_path / "story.json"
    path.write_text(json.dumps({"id": "s1", "documents": [{"id": "d1"}]}))
    result = runner.invoke(app, ["write", str(path)])
    assert result.exit_code == 1
    assert "not a Story" in result.output and "text" in result.output


def test_cluster_file_mode_prints_one_assignment_per_document(tmp_path: Path) -> None:
    docs = [
        _doc(a)
        for key in ("02-tarsen-earthquake", "03-lundmark-earthquake")
        for a in _wire_story(key)
    ]
    path = tmp_path / "docs.jsonl"
    path.write_text("\n".join(json.dumps(d) for d in docs))
    result = runner.invoke(app, ["cluster", str(path)])
    assert result.exit_code == 0, result.output
    lines = [json.loads(line) for line in result.stdout.splitlines()]
    assert [line["id"] for line in lines] == [d["id"] for d in docs]
    stories = {line["story"] for line in lines}
    assert len(stories) == 2


def test_cluster_reports_the_bad_line(tmp_path: Path) -> None:
    path = tmp_path / "docs.jsonl"
    path.write_text('{"id": "a", "text": "fine"}\n{"id": "b", "text": 5}\n')
    result = runner.invoke(app, ["cluster", str(path)])
    assert result.exit_code == 1
    assert "docs.jsonl:2" in result.output


def test_sources_add_refuses_non_http_urls(env: dict[str, str]) -> None:
    result = runner.invoke(app, ["sources", "add", "file:///etc/passwd"])
    assert result.exit_code == 1
    assert "not an http(s) URL" in result.output


def test_sources_add_and_list(env: dict[str, str]) -> None:
    assert runner.invoke(app, ["sources", "add", "https://feeds.example/rss"]).exit_code == 0
    listed = runner.invoke(app, ["sources", "list"])
    assert "https://feeds.example/rss" in listed.stdout and "never" in listed.stdout


@pytest.mark.sqlite_only  # the embedded default; tests/test_worker.py kills workers on PostgreSQL
def test_killed_run_then_rerun_leaves_no_duplicates(env: dict[str, str], tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'data' / 'newsdesk.db'}"
    migrate(url)
    expected = len(load_wire())
    with start_wire_server(page_delay_s=0.2) as wire:
        store = Store(url)
        with store.session() as session:
            for feed in wire.feed_urls():
                repo.add_source(session, feed, allow_private=True)
        command = [sys.executable, "-m", "newsdesk", "run", "--once"]
        process = subprocess.Popen(command, env=env, stderr=subprocess.DEVNULL)
        stored = _wait_for_documents(tmp_path / "data" / "newsdesk.db", process)
        process.send_signal(signal.SIGKILL)
        process.wait()
        assert 0 < stored < expected, "the kill should land in the middle of ingest"
        rerun = subprocess.run(command, env=env, capture_output=True, timeout=120)
        assert rerun.returncode == 0, rerun.stderr.decode()
    with sqlite3.connect(tmp_path / "data" / "newsdesk.db") as db:
        assert db.execute("PRAGMA integrity_check").fetchone() == ("ok",)
        assert db.execute("SELECT count(*), count(DISTINCT url) FROM documents").fetchone() == (
            expected,
            expected,
        )
        per_doc = db.execute("SELECT count(*) FROM story_documents").fetchone()[0]
        assert per_doc == expected
        stories = db.execute("SELECT count(*) FROM stories").fetchone()[0]
        assert stories == len({a.story for a in load_wire()})
        versions = db.execute(
            "SELECT max(n) FROM (SELECT count(*) AS n FROM articles GROUP BY story_id)"
        ).fetchone()[0]
        assert versions == 1
    store.close()


def _wait_for_documents(path: Path, process: subprocess.Popen[bytes]) -> int:
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline and process.poll() is None:
        if path.exists():
            try:
                with sqlite3.connect(path) as db:
                    count = int(db.execute("SELECT count(*) FROM documents").fetchone()[0])
            except sqlite3.OperationalError:  # table not created yet
                count = 0
            if count >= 5:
                return count
        time.sleep(0.05)
    raise AssertionError("newsdesk run stored no documents in time")


def _wire_story(key: str) -> list[WireArticle]:
    return [a for a in load_wire() if a.story == key.split("-", 1)[1]]


def _doc(article: WireArticle) -> dict[str, object]:
    return {
        "id": article.slug,
        "title": article.title,
        "text": article.text,
        "published": article.published.isoformat(),
    }


def test_extract_prints_documents_and_errors_for_files(tmp_path: Path) -> None:
    import gzip
    import shutil

    pages = tmp_path / "pages"
    pages.mkdir()
    shutil.copy(FIXTURES / "ingest" / "article_ferry.html", pages / "ferry.html")
    (pages / "mill.html.gz").write_bytes(
        gzip.compress((FIXTURES / "ingest" / "article_mill.html").read_bytes())
    )
    (pages / "empty.html").write_text("<html><body><nav>Menu</nav></body></html>")
    result = runner.invoke(app, ["extract", str(pages)])
    assert result.exit_code == 1
    records = {r["id"]: r for r in map(json.loads, result.stdout.splitlines())}
    assert set(records) == {"empty", "ferry", "mill"}
    assert "error" in records["empty"] and "no article text" in records["empty"]["error"]
    assert records["ferry"]["text"] and records["mill"]["text"]


def test_extract_refuses_a_private_url() -> None:
    result = runner.invoke(app, ["extract", "http://127.0.0.1:9/page.html"])
    assert result.exit_code == 1
    (record,) = map(json.loads, result.stdout.splitlines())
    assert record["id"] == "http://127.0.0.1:9/page.html" and record["error"]


def test_a_bad_setting_is_an_error_line_not_a_traceback(tmp_path: Path) -> None:
    env = {**os.environ, "NEWSDESK_PORT": "eighty", "NEWSDESK_DATA_DIR": str(tmp_path)}
    newsdesk = Path(sys.executable).with_name("newsdesk")
    result = subprocess.run(
        [str(newsdesk), "publish"], env=env, capture_output=True, text=True, timeout=60
    )
    assert result.returncode == 2
    assert "error: NEWSDESK_PORT: Input should be a valid integer" in result.stderr
    assert "Traceback" not in result.stderr


def test_version_is_printed() -> None:
    from newsdesk import __version__

    result = runner.invoke(app, ["--version"])
    assert result.exit_code == 0 and result.stdout.strip() == f"newsdesk {__version__}"
