"""The factcheck evaluation: loaders for each dev-file kind, split, metric, and the CLI."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from newsdesk.cli import app
from newsdesk.evaluation.factcheck import (
    DataError,
    Item,
    evaluate_file,
    load_items,
    score_predictions,
    split_halves,
)

FIXTURES = Path(__file__).parent / "fixtures/verify"


def test_qags_items_take_the_majority_of_three_answers() -> None:
    items = load_items(FIXTURES / "qags-tiny.jsonl")
    assert [i.supported for i in items] == [True, False, True]
    assert items[0].group == items[1].group != items[2].group
    assert items[2].claim == "Ada Finch opened the library in Calder."  # literal-encoded row


def test_cliff_and_summedits_labels() -> None:
    cliff = load_items(FIXTURES / "cliff-tiny.csv")
    assert [i.supported for i in cliff] == [True, False]
    assert cliff[0].group == "xsum:101"
    edits = load_items(FIXTURES / "summedits-tiny.json")
    assert [i.supported for i in edits] == [True, False]


def test_bad_files_are_named_in_the_error(tmp_path: Path) -> None:
    with pytest.raises(DataError, match=r"summedits-bad\.json"):
        load_items(FIXTURES / "summedits-bad.json")
    with pytest.raises(DataError, match="unknown kind"):
        load_items(tmp_path / "other.jsonl")
    with pytest.raises(DataError, match="cannot read"):
        load_items(tmp_path / "qags-missing.jsonl")


def test_split_is_by_group_and_fixed() -> None:
    items = [Item(f"g{n % 7}", "s", f"c{n}", n % 2 == 0) for n in range(40)]
    first, second = split_halves(items)
    assert {i.group for i in first}.isdisjoint({i.group for i in second})
    assert len(first) + len(second) == 40
    assert split_halves(items) == (first, second)


def test_balanced_accuracy_is_the_mean_of_both_recalls() -> None:
    score = score_predictions([True, True, True, False], [True, False, True, False])
    assert score.recall_supported == pytest.approx(2 / 3)
    assert score.recall_unsupported == 1.0
    assert score.balanced_accuracy == pytest.approx((2 / 3 + 1) / 2)
    with pytest.raises(ValueError, match="length"):
        score_predictions([True], [])


def test_evaluate_file_scores_the_checker() -> None:
    report = evaluate_file(FIXTURES / "cliff-tiny.csv")
    assert report.whole.items == 2
    assert report.whole.balanced_accuracy == 1.0


def test_eval_factcheck_command_prints_each_file() -> None:
    paths = [str(FIXTURES / n) for n in ("qags-tiny.jsonl", "summedits-tiny.json")]
    result = CliRunner().invoke(app, ["eval", "factcheck", *paths, "--json"])
    assert result.exit_code == 0, result.output
    report = json.loads(result.output)
    assert set(report) == set(paths)
    assert report[paths[1]]["whole"]["items"] == 2


def test_eval_factcheck_command_fails_clearly_on_bad_input() -> None:
    result = CliRunner().invoke(app, ["eval", "factcheck", str(FIXTURES / "summedits-bad.json")])
    assert result.exit_code == 1
    assert "summedits-bad.json" in result.output


def test_check_command_prints_one_verdict_per_line(tmp_path: Path) -> None:
    source = "The ferry to Brannoch was cancelled on Monday because of a storm."
    lines = [
        {"id": "ok", "source": source, "claim": "The ferry to Brannoch was cancelled on Monday."},
        {"id": "bad", "source": [source], "claim": "The ferry to Brannoch ran 9 extra trips."},
    ]
    path = tmp_path / "claims.jsonl"
    path.write_text("\n".join(json.dumps(line) for line in lines) + "\n")
    result = CliRunner().invoke(app, ["check", str(path)])
    assert result.exit_code == 0, result.output
    out = [json.loads(line) for line in result.output.splitlines()]
    assert [(o["id"], o["label"]) for o in out] == [("ok", "supported"), ("bad", "unsupported")]
    assert out[0]["evidence"] == source
    assert set(out[0]) >= {"id", "label", "score", "evidence"}


def test_check_command_names_the_bad_line(tmp_path: Path) -> None:
    path = tmp_path / "claims.jsonl"
    path.write_text(
        '{"id": 1, "source": "x", "claim": "y"}\n{"id": 2, "source": 5, "claim": "y"}\n'
    )
    result = CliRunner().invoke(app, ["check", str(path)])
    assert result.exit_code == 1
    assert ":2:" in result.output and "'source'" in result.output
