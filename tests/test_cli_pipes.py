"""Stage commands compose through pipes as real processes: `cluster --stories | write -`,
`extract -`, `cluster` reading a pipe; and what cron sees from `ingest`."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from typer.testing import CliRunner

from newsdesk.cli import app
from newsdesk.samplewire import load_wire
from newsdesk.store import Store, migrate, repo

FIXTURES = Path(__file__).parent / "fixtures"
NEWSDESK = str(Path(sys.executable).with_name("newsdesk"))
runner = CliRunner()


@pytest.fixture
def env(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> dict[str, str]:
    monkeypatch.setenv("NEWSDESK_DATA_DIR", str(tmp_path / "data"))
    return {**os.environ, "NEWSDESK_DATA_DIR": str(tmp_path / "data")}


def _documents(*stories: str) -> str:
    return "".join(
        json.dumps({"id": a.slug, "title": a.title, "text": a.text}) + "\n"
        for a in load_wire()
        if a.story in stories
    )


def _run(
    args: list[str], stdin: str | bytes, env: dict[str, str]
) -> subprocess.CompletedProcess[str]:
    data = stdin.encode() if isinstance(stdin, str) else stdin
    result = subprocess.run(
        [NEWSDESK, *args], input=data, env=env, capture_output=True, timeout=300
    )
    return subprocess.CompletedProcess(
        result.args, result.returncode, result.stdout.decode(), result.stderr.decode()
    )


def test_cluster_stories_pipe_into_write(env: dict[str, str]) -> None:
    docs = _documents("tarsen-earthquake", "lundmark-earthquake")
    clustered = _run(["cluster", "--stories", "-"], docs, env)
    assert clustered.returncode == 0, clustered.stderr
    stories = [json.loads(line) for line in clustered.stdout.splitlines()]
    assert len(stories) == 2
    assert sorted(d["id"] for s in stories for d in s["documents"]) == sorted(
        json.loads(line)["id"] for line in docs.splitlines()
    )
    written = _run(["write", "-"], clustered.stdout, env)
    assert written.returncode == 0, written.stderr
    articles = [json.loads(line) for line in written.stdout.splitlines()]
    assert [a["story"] for a in articles] == [s["id"] for s in stories]
    assert all(a["headline"] and a["verification"]["checked"] for a in articles)


def test_cluster_reads_a_pipe_without_a_file_argument(env: dict[str, str]) -> None:
    docs = _documents("tarsen-earthquake")
    result = _run(["cluster"], docs, env)
    assert result.returncode == 0, result.stderr
    assignments = [json.loads(line) for line in result.stdout.splitlines()]
    assert [a["id"] for a in assignments] == [json.loads(d)["id"] for d in docs.splitlines()]
    assert len({a["story"] for a in assignments}) == 1
    # Nothing was read from or written to the database.
    assert not (Path(env["NEWSDESK_DATA_DIR"]) / "newsdesk.db").exists()


def test_without_a_pipe_cluster_works_on_the_database(env: dict[str, str]) -> None:
    result = subprocess.run(
        [NEWSDESK, "cluster"], env=env, stdin=subprocess.DEVNULL, capture_output=True, timeout=300
    )
    assert result.returncode == 0, result.stderr
    assert b"cluster: 0 item(s)" in result.stderr


def test_extract_reads_a_page_from_stdin(env: dict[str, str]) -> None:
    page = (FIXTURES / "ingest" / "article_ferry.html").read_bytes()
    result = _run(["extract", "-"], page, env)
    assert result.returncode == 0, result.stderr
    (record,) = map(json.loads, result.stdout.splitlines())
    assert record["id"] == "stdin" and "ferry" in record["text"].lower()
    empty = _run(["extract", "-"], "<html><body><nav>Menu</nav></body></html>", env)
    assert empty.returncode == 1 and "no article text" in json.loads(empty.stdout)["error"]


def test_write_reads_one_pretty_printed_story_from_stdin(env: dict[str, str]) -> None:
    docs = [json.loads(line) for line in _documents("tarsen-earthquake").splitlines()]
    story = json.dumps({"id": "s1", "documents": docs}, indent=2)
    result = _run(["write", "-"], story, env)
    assert result.returncode == 0, result.stderr
    (article,) = map(json.loads, result.stdout.splitlines())
    assert article["story"] == "s1"


def test_write_names_the_bad_line_of_story_lines(env: dict[str, str]) -> None:
    lines = '{"id": "s1", "documents": []}\n{"id": "s2"}\n'
    result = _run(["write", "-"], lines, env)
    assert result.returncode == 1
    assert "-:2: not a Story: documents" in result.stderr


def test_ingest_exits_3_when_sources_fail_and_lists_ten_errors(env: dict[str, str]) -> None:
    url = f"sqlite:///{Path(env['NEWSDESK_DATA_DIR']) / 'newsdesk.db'}"
    Path(env["NEWSDESK_DATA_DIR"]).mkdir(parents=True)
    migrate(url)
    with Store(url).session() as session:
        for number in range(12):  # nothing listens on port 9 of loopback
            repo.add_source(session, f"http://127.0.0.1:9/feed-{number}.xml", allow_private=True)
    result = runner.invoke(app, ["ingest"])
    assert result.exit_code == 3, result.output
    assert sum("127.0.0.1:9/feed-" in line for line in result.output.splitlines()) == 10
    assert "and 2 more" in result.output


def test_ingest_exits_0_when_every_source_answers(env: dict[str, str]) -> None:
    assert runner.invoke(app, ["ingest"]).exit_code == 0


def test_choices_are_shown_in_help() -> None:
    write_help = runner.invoke(app, ["write", "--help"], terminal_width=200).output
    assert "extractive" in write_help and "openai" in write_help and "local" in write_help
    bad = runner.invoke(app, ["write", "--backend", "gpt"])
    assert bad.exit_code == 2 and "Invalid value for '--backend'" in bad.output


def test_help_imports_no_heavy_module() -> None:
    """`newsdesk --help` stays quick: the pipeline, the models and the database layer are
    imported by the commands that use them (timed by bench/cli.py, not here)."""
    probe = (
        "import sys; import newsdesk.cli; "
        "heavy = ('newsdesk.pipeline', 'newsdesk.records', 'newsdesk.settings', "
        "'newsdesk.store', 'sqlalchemy', 'numpy', 'trafilatura', 'spacy', 'sklearn'); "
        "print(sorted(m for m in heavy if m in sys.modules))"
    )
    result = subprocess.run(
        [sys.executable, "-c", probe], capture_output=True, text=True, timeout=60
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "[]"
