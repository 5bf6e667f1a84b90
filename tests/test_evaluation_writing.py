"""`newsdesk eval writing`: loading stories, ROUGE-1, the lead baseline and the measures."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from newsdesk.cli import app
from newsdesk.evaluation.writing import (
    DataError,
    article_text,
    evaluate,
    is_grounded,
    lead_words,
    load_stories,
    rouge1,
    summarise,
)
from newsdesk.records import Citation, Document, Story
from newsdesk.write import write_article

FIXTURES = Path(__file__).parent / "fixtures" / "write"
SUMMARY = (
    "A storm surge broke through the sea barrier of Port Anselm on Tuesday night, killing "
    "nine people and injuring 31; the harbour district was flooded and hundreds left homes."
)


def flood_line() -> dict[str, object]:
    story = json.loads((FIXTURES / "flood.json").read_text(encoding="utf-8"))
    return {**story, "summary": SUMMARY}


def test_rouge1_counts_lowercased_word_tokens_without_stemming() -> None:
    assert rouge1("The cat sat", "the cat sat") == 1.0
    # overlap 2 ("the", "cat"); precision 2/4, recall 2/3 -> F1 = 4/7
    assert rouge1("The cats, the cat!", "the cat sat") == pytest.approx(4 / 7)
    assert rouge1("dogs", "cats") == 0.0


def test_lead_baseline_takes_the_first_words_in_input_order() -> None:
    story = Story(
        id="s",
        documents=[Document(id="b", text="one two three"), Document(id="a", text="four five")],
    )
    assert lead_words(story, 4) == "one two three four"


def test_loads_stories_and_labelled_documents(tmp_path: Path) -> None:
    path = tmp_path / "mixed.jsonl"
    lines = [
        flood_line(),
        {"doc_id": "d1", "event": "7a", "sentences": ["First one here.", "And more."]},
        {"doc_id": "d2", "event": "7a", "text": "Second text.", "summary": "Ref."},
    ]
    path.write_text("\n".join(json.dumps(line) for line in lines) + "\n", encoding="utf-8")
    stories = load_stories(path)
    assert [s.story.id for s in stories] == ["port-anselm-flood", "7a"]
    assert stories[0].summary == SUMMARY
    assert [d.id for d in stories[1].story.documents] == ["d1", "d2"]
    assert stories[1].summary == "Ref."


@pytest.mark.parametrize(
    ("line", "message"),
    [
        ("not json", "line 1: not JSON"),
        ('["a"]', "line 1: not a JSON object"),
        ('{"doc_id": "x", "text": "t"}', "neither a story nor a document"),
        ('{"event": "e", "text": "t"}', "needs 'doc_id' or 'id'"),
        ('{"doc_id": "x", "event": "e"}', "line 1: text"),
        ('{"id": "s", "documents": [], "summary": 3}', "'summary' must be a string"),
    ],
)
def test_bad_lines_name_the_line_and_the_problem(tmp_path: Path, line: str, message: str) -> None:
    path = tmp_path / "bad.jsonl"
    path.write_text(line + "\n", encoding="utf-8")
    with pytest.raises(DataError, match=message):
        load_stories(path)


def test_grounding_needs_numbers_dates_and_speech_in_the_quotes() -> None:
    quote = [Citation(document="d", quote='On Tuesday 12 died. "We are sad," she said.')]
    assert is_grounded("12 died on Tuesday", quote)
    assert not is_grounded("14 died on Tuesday", quote)
    assert not is_grounded("12 died on Monday", quote)
    assert not is_grounded('"We are angry," she said.', quote)


def test_measures_of_the_extractive_writer_with_a_reference(tmp_path: Path) -> None:
    path = tmp_path / "one.jsonl"
    path.write_text(json.dumps(flood_line()) + "\n", encoding="utf-8")
    report = summarise(evaluate(load_stories(path), lambda s, v: write_article(s), lead=40))
    assert report["written"] == 1 and report["refused"] == []
    assert report["cited_pct"] == 100.0 and report["verbatim_quotes_pct"] == 100.0
    assert report["checker"]
    story = load_stories(path)[0].story
    expected = rouge1(article_text(write_article(story)), SUMMARY)
    assert report["rouge1_f1"] == pytest.approx(expected, abs=1e-4) and expected > 0.05
    assert report["lead_rouge1_f1"] == pytest.approx(
        rouge1(lead_words(story, 40), SUMMARY), abs=1e-4
    )
    assert report["references"] == 1


def test_without_references_rouge_is_reported_as_not_measured(tmp_path: Path) -> None:
    path = tmp_path / "one.jsonl"
    line = {k: v for k, v in flood_line().items() if k != "summary"}
    path.write_text(json.dumps(line) + "\n", encoding="utf-8")
    result = CliRunner().invoke(app, ["eval", "writing", str(path), "--json"])
    assert result.exit_code == 0, result.output
    report = json.loads(result.stdout)
    assert report["rouge1_f1"] is None and "not measured" in report["rouge_note"]


def test_cli_names_a_missing_file(tmp_path: Path) -> None:
    result = CliRunner().invoke(app, ["eval", "writing", str(tmp_path / "none.jsonl")])
    assert result.exit_code == 1
    assert "cannot read" in result.output
