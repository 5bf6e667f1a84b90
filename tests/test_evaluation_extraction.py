"""The extraction benchmark's metric and runner, on data written here."""

from __future__ import annotations

import gzip
import json
from pathlib import Path

import pytest

from newsdesk.evaluation.extraction import (
    BenchmarkError,
    BenchmarkPage,
    PageScore,
    load_benchmark,
    run_benchmark,
    score_page,
    shingles,
    summarise,
)


def test_shingles_are_word_4_grams_with_counts() -> None:
    assert shingles("a b c d e") == {("a", "b", "c", "d"): 1, ("b", "c", "d", "e"): 1}
    assert shingles("tiny text") == {("tiny", "text"): 1}
    assert sum(shingles("x y z w x y z w").values()) == 5
    assert shingles("") == {}


def test_page_scores_are_shares() -> None:
    truth = "one two three four five six"
    assert score_page(truth, truth) == PageScore(1.0, 0.0, 0.0)
    half = score_page(truth, "one two three four")  # 1 of 3 true shingles found
    assert half == PageScore(1 / 3, 0.0, 2 / 3)
    assert score_page("", "") == PageScore(0.0, 0.0, 0.0)


def test_summary_sums_page_shares() -> None:
    scores = summarise([PageScore(1.0, 0.0, 0.0), PageScore(0.5, 0.5, 0.0)])
    assert scores.precision == pytest.approx(1.5 / 2.0)
    assert scores.recall == 1.0
    assert scores.f1 == pytest.approx(2 * 0.75 / 1.75)


def test_runner_scores_each_extractor_and_survives_crashes() -> None:
    pages = [BenchmarkPage("p1", None, "<p>alpha beta gamma delta</p>", "alpha beta gamma delta")]

    def perfect(html: str, url: str | None) -> str:
        return "alpha beta gamma delta"

    def crashing(html: str, url: str | None) -> str:
        raise RuntimeError("boom")

    good, bad = run_benchmark(pages, {"good": perfect, "bad": crashing})
    assert good.scores.f1 == 1.0 and good.failures == 0
    assert bad.scores.f1 == 0.0 and bad.failures == 1


def test_load_benchmark_reads_pages_and_names_what_is_missing(tmp_path: Path) -> None:
    (tmp_path / "html").mkdir()
    (tmp_path / "html" / "a.html.gz").write_bytes(gzip.compress("<p>café</p>".encode()))
    truth = {"a": {"articleBody": "café", "url": "https://x.example/a"}, "b": {"articleBody": "x"}}
    (tmp_path / "ground-truth.json").write_text(json.dumps(truth))
    with pytest.raises(BenchmarkError, match=r"b\.html\.gz is missing"):
        load_benchmark(tmp_path)
    del truth["b"]
    (tmp_path / "ground-truth.json").write_text(json.dumps(truth))
    (page,) = load_benchmark(tmp_path)
    assert (page.id, page.url, page.html, page.truth) == (
        "a",
        "https://x.example/a",
        "<p>café</p>",
        "café",
    )
    with pytest.raises(BenchmarkError, match=r"needs ground-truth\.json"):
        load_benchmark(tmp_path / "html")
