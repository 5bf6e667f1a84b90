"""The clustering measure: reading labelled documents, B-cubed, and the runs the pipeline makes."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from newsdesk.cli import app
from newsdesk.cluster import cluster_documents
from newsdesk.embed import get_embedder
from newsdesk.evaluation.clustering import (
    DataError,
    bcubed,
    cluster_in_runs,
    evaluate,
    load_labelled,
    select_topics,
)

TEXTS: dict[str, str] = json.loads(
    (Path(__file__).parent / "fixtures" / "cluster" / "events.json").read_text()
)
# Two earthquakes of one kind (topic 1) and a chess match (topic 2), in a mixed order.
ORDER = [
    "quake_harlow_1",
    "chess_1",
    "quake_veskar_1",
    "quake_harlow_2",
    "quake_veskar_2",
    "chess_2",
    "quake_harlow_3",
    "quake_veskar_3",
]


def labelled_file(tmp_path: Path) -> Path:
    path = tmp_path / "events.jsonl"
    lines = []
    for name in ORDER:
        event, topic = name.rsplit("_", 1)[0], 2 if name.startswith("chess") else 1
        # Half the lines give sentences and doc_id, as the ECB+ file does.
        if name.endswith("1"):
            record = {"doc_id": name, "sentences": TEXTS[name].split(". "), "event": event}
        else:
            record = {"id": name, "text": TEXTS[name], "event": event}
        lines.append(json.dumps(record | {"topic": topic}))
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def test_bcubed_by_hand() -> None:
    scores = bcubed({"a": "1", "b": "1", "c": "2"}, {"a": "x", "b": "y", "c": "y"})
    assert (scores.precision, scores.recall, scores.f1) == (0.6667, 0.6667, 0.6667)
    perfect = bcubed({"a": "s", "b": "t"}, {"a": "x", "b": "y"})
    assert perfect.f1 == 1.0


def test_load_labelled_reads_both_shapes_and_topics(tmp_path: Path) -> None:
    items = load_labelled(labelled_file(tmp_path))
    assert [i.document.id for i in items] == ORDER
    assert {i.event for i in items} == {"quake_harlow", "quake_veskar", "chess"}
    assert [i.document.id for i in select_topics(items, "even")] == ["chess_1", "chess_2"]
    assert len(select_topics(items, "odd")) == 6


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("", "no documents"),
        ("{not json\n", "line 1: not JSON"),
        ('{"id": "a", "text": "x"}\n', "line 1: no 'event' label"),
        ('{"id": "a", "text": "x", "event": "e"}\n[1]\n', "line 2: not a JSON object"),
    ],
)
def test_bad_files_are_named_by_line(tmp_path: Path, text: str, message: str) -> None:
    path = tmp_path / "bad.jsonl"
    path.write_text(text)
    with pytest.raises(DataError, match=message):
        load_labelled(path)


def test_topic_halves_need_topics(tmp_path: Path) -> None:
    path = tmp_path / "no-topic.jsonl"
    path.write_text('{"id": "a", "text": "x", "event": "e"}\n')
    with pytest.raises(DataError, match="numeric 'topic'"):
        select_topics(load_labelled(path), "odd")


def test_one_run_of_everything_is_the_stream_with_corrections(tmp_path: Path) -> None:
    documents = [i.document for i in load_labelled(labelled_file(tmp_path))]
    whole = cluster_documents(documents, embedder=get_embedder())
    in_one_run = cluster_in_runs(documents, len(documents), None, get_embedder())
    assert in_one_run == {a.id: a.story for a in whole}


def test_small_runs_assign_every_document_once(tmp_path: Path) -> None:
    documents = [i.document for i in load_labelled(labelled_file(tmp_path))]
    stories = cluster_in_runs(documents, 3, None, get_embedder())
    assert sorted(stories) == sorted(ORDER)
    with pytest.raises(ValueError, match="at least 1"):
        cluster_in_runs(documents, 0, None, get_embedder())


def test_evaluate_reports_the_similar_events_apart(tmp_path: Path) -> None:
    report = evaluate(load_labelled(labelled_file(tmp_path)), run_size=2)
    assert (report.documents, report.gold_stories) == (8, 3)
    assert report.corrected.f1 == 1.0
    assert report.in_runs is not None and report.run_size == 2
    assert 0.0 < report.in_runs.f1 <= 1.0


def test_eval_clustering_command(tmp_path: Path) -> None:
    path = str(labelled_file(tmp_path))
    result = CliRunner().invoke(app, ["eval", "clustering", path, "--runs-of", "4"])
    assert result.exit_code == 0, result.output
    assert "with corrections: B-cubed P 1.0000  R 1.0000  F1 1.0000" in result.output
    assert "in runs of 4: B-cubed" in result.output
    as_json = CliRunner().invoke(app, ["eval", "clustering", path, "--json", "--topics", "odd"])
    assert json.loads(as_json.output)["documents"] == 6
    for bad in (["--runs-of", "0"], ["--topics", "some"]):
        failed = CliRunner().invoke(app, ["eval", "clustering", path, *bad])
        assert failed.exit_code == 1
