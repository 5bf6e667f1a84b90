"""`newsdesk eval factcheck --perturb`: each generator makes the expected claim from a
hand-written sentence, the report counts what a (fake) checker flags, and the command runs."""

from __future__ import annotations

import json
import random
from pathlib import Path

import pytest
from typer.testing import CliRunner

from newsdesk.cli import app
from newsdesk.evaluation.perturb import (
    CONTROLS,
    ERRORS,
    Case,
    DataError,
    Document,
    Sample,
    actors_swapped,
    date_swap,
    deletion,
    describe,
    document,
    evaluate,
    fusion,
    generate,
    hedge_dropped,
    load_documents,
    modifier_added,
    name_swap,
    negation_added,
    negation_removed,
    number_swap,
    pronoun_resolved,
    run_perturbations,
    verbatim,
)
from newsdesk.verify import Verdict

FILLER = "Nothing else of note happened in the quiet town that week."


def sample(sentence: str, *others: str, peers: tuple[Document, ...] = ()) -> Sample:
    """Sentence 0 of a document whose other sentences are ``others``."""
    return Sample(document("d1", [sentence, *others]), 0, random.Random(0), peers)


def test_name_swap_takes_a_name_the_sentence_lacks() -> None:
    made = name_swap(
        sample(
            "The bridge over the river was opened by Alma Korvath on a rainy morning.",
            "Local councillor Dario Velt praised the engineers for their careful work.",
        )
    )
    assert made == "The bridge over the river was opened by Dario Velt on a rainy morning."
    # A sentence-initial capital is no name; a name the sentence already has is no swap.
    assert name_swap(sample("Korvath opened the bridge on a rainy morning in May.", FILLER)) is None
    alone = sample("The bridge was opened by Alma Korvath in the rain.", "Alma Korvath spoke.")
    assert name_swap(alone) is None


def test_number_swap_keeps_years_with_years() -> None:
    made = number_swap(
        sample(
            "The storm destroyed 42 homes along the harbour in 2019, the council said.",
            "Repairs took 18 months and were finished in 2021.",
        )
    )
    assert made in {
        "The storm destroyed 18 homes along the harbour in 2019, the council said.",
        "The storm destroyed 42 homes along the harbour in 2021, the council said.",
    }
    # Clock times and spaced thousands as ECB+ writes them: "200, 000" is one number.
    spaced = sample(
        "About 200, 000 people marched at 08: 45 through the old centre.", "Some 900 came later."
    )
    assert number_swap(spaced) == "About 900 people marched at 08: 45 through the old centre."


def test_date_swap_prefers_a_date_the_document_mentions() -> None:
    made = date_swap(
        sample(
            "The museum reopened on Tuesday after a long and costly renovation.",
            "Its director had planned a party for Friday.",
        )
    )
    assert made == "The museum reopened on Friday after a long and costly renovation."
    alone = date_swap(sample("The museum reopened in March after a long renovation.", FILLER))
    assert alone is not None and alone != "The museum reopened in March after a long renovation."
    assert alone.split()[4] in "January February April May June July August September".split()
    # "May" is the modal here, not the month.
    assert date_swap(sample("Officials said the museum May reopen after the long works.")) is None


def test_modifier_added_puts_a_place_word_before_the_bare_name() -> None:
    other = "Aid groups said South Sudanese villages were cut off by the floods."
    made = modifier_added(
        sample("Officials in Sudanese border towns reported heavy rain all week.", other)
    )
    assert made == "Officials in South Sudanese border towns reported heavy rain all week."
    has_it = "Officials in South Sudanese border towns reported heavy rain all week."
    assert modifier_added(sample(has_it, other)) is None
    # A first name before a surname is the same person: no modifier.
    person = sample("The club said Olsen would lead the camp this summer.", "Coach Marta Olsen.")
    assert modifier_added(person) is None


def test_negations_added_and_removed() -> None:
    assert (
        negation_added(sample("The new ferry was built in a shipyard near the old harbour."))
        == "The new ferry was not built in a shipyard near the old harbour."
    )
    assert negation_added(sample("The ferry has never sailed in a storm like this one.")) is None
    cases = {
        "The mayor did not attend the opening of the bridge last week.": (
            "The mayor did attend the opening of the bridge last week."
        ),
        "The council hasn't approved the budget for the next year.": (
            "The council has approved the budget for the next year."
        ),
        "Divers can't reach the wreck until the storm has passed.": (
            "Divers can reach the wreck until the storm has passed."
        ),
        "The ferry has never sailed in a storm like this one.": (
            "The ferry has sailed in a storm like this one."
        ),
    }
    for sentence, expected in cases.items():
        assert negation_removed(sample(sentence)) == expected
    assert negation_removed(sample("The ferry sailed in a storm like this one.")) is None


def test_actors_swapped_around_a_verb_only() -> None:
    made = actors_swapped(
        sample("In the final, Velmora defeated Ostrand by two goals in extra time.")
    )
    assert made == "In the final, Ostrand defeated Velmora by two goals in extra time."
    # "reporters" is a plural noun, not a verb; "is" links, it does not act.
    assert (
        actors_swapped(
            sample("Yesterday, Harbour Times reporters Lena Brook and Sam Ito covered the trial.")
        )
        is None
    )
    assert actors_swapped(sample("In the north, Velmora is Ostrand's largest town by far.")) is None


def test_hedge_dropped() -> None:
    cases = {
        "The fire reportedly destroyed at least 30 boats in the marina overnight.": (
            "The fire destroyed 30 boats in the marina overnight."
        ),
        "The suspect is believed to have fled the country by boat last week.": (
            "The suspect has fled the country by boat last week."
        ),
        "The talks could be delayed until the spring, a spokesman for the union said.": (
            "The talks will be delayed until the spring, a spokesman for the union said."
        ),
        "The gunman may have escaped through the back door of the old bank.": (
            "The gunman escaped through the back door of the old bank."
        ),
        "An estimated 4,000 people watched the parade from the riverbank.": (
            "4,000 people watched the parade from the riverbank."
        ),
    }
    for sentence, expected in cases.items():
        assert hedge_dropped(sample(sentence)) == expected
    assert hedge_dropped(sample("The two leaders talked about the plan for an hour.")) is None


def test_fusion_joins_two_reports_of_the_topic() -> None:
    first = document("a", ["Rescue teams reached the village of Marlow after the river rose."])
    second = document("b", ["Three people drowned in the village of Marlow when the dam failed."])
    made = fusion(Sample(first, 0, random.Random(0), (first, second)))
    assert made == "Rescue teams reached the village of Marlow when the dam failed."
    # Nothing shared, or only the sentence's own document: no fusion.
    other = document("c", ["A concert raised money for the museum of modern art downtown."])
    assert fusion(Sample(first, 0, random.Random(0), (first, other))) is None
    assert fusion(Sample(first, 0, random.Random(0), (first,))) is None


def test_controls() -> None:
    sentence = "The bridge (opened in 1987) carries most of the traffic into the old town."
    assert verbatim(sample(sentence)) == sentence
    cases = {
        sentence: "The bridge carries most of the traffic into the old town.",
        "The mayor, who took office last year, promised a new bridge for the town.": (
            "The mayor promised a new bridge for the town."
        ),
        "After a long debate, the council approved the plan to rebuild the bridge.": (
            "The council approved the plan to rebuild the bridge."
        ),
    }
    for before, after in cases.items():
        assert deletion(sample(before)) == after
    assert deletion(sample("The bridge was closed for repairs on a cold winter morning.")) is None
    # A trimmed quotation is a misquote; the comma of "1,000" closes no clause.
    quoted = '"The bridge (built in 1987) is safe," the engineer told the council.'
    assert deletion(sample(quoted)) is None
    crowd = "The hall, which holds up to 1,000 people, was badly damaged by the smoke."
    assert deletion(sample(crowd)) == "The hall was badly damaged by the smoke."
    assert deletion(sample(crowd.replace(", was", ", 35, was"))) is None
    assert deletion(sample("(The rest of this story is still being written for the site.)")) is None


def test_pronoun_resolved_needs_exactly_one_person_before() -> None:
    doc = document(
        "d1",
        [
            "The festival was opened by Clara Mendez on a sunny afternoon.",
            "She thanked the volunteers who had built the stage in two days.",
        ],
    )
    made = pronoun_resolved(Sample(doc, 1, random.Random(0)))
    assert made == "Clara Mendez thanked the volunteers who had built the stage in two days."
    two = document(
        "d2",
        [
            "Clara Mendez and Tomas Berg opened the festival on a sunny afternoon.",
            "She thanked the volunteers who had built the stage in two days.",
        ],
    )
    assert pronoun_resolved(Sample(two, 1, random.Random(0))) is None
    # "She ... Mendez" is someone else than Clara Mendez.
    other = document("d3", [doc.sentences[0], "She said Mendez had waited years for this day."])
    assert pronoun_resolved(Sample(other, 1, random.Random(0))) is None
    assert pronoun_resolved(Sample(doc, 0, random.Random(0))) is None


def verdict(label: str) -> Verdict:
    return Verdict(label, 0.5, f"fake {label}", None)  # type: ignore[arg-type]


def test_evaluate_counts_flags_per_kind() -> None:
    def case(kind: str, claim: str) -> Case:
        return Case(kind, "d1", claim, "the sentence", kind in CONTROLS, "the document")

    cases = [case("name_swap", "bad 1"), case("name_swap", "bad 2"), case("fusion", "bad 3")]
    cases += [case("verbatim", "good 1"), case("verbatim", "good 2")]
    labels = {"bad 1": "contradicted", "bad 2": "supported", "bad 3": "unsupported"}
    labels |= {"good 1": "supported", "good 2": "unsupported"}
    seen: list[list[tuple[str, str]]] = []

    def check(claim: str, sources: list[tuple[str, str]]) -> Verdict:
        seen.append(sources)
        return verdict(labels[claim])

    report = evaluate(cases, check)
    assert seen == [[("d1", "the document")]] * 5
    kinds = report["kinds"]
    assert set(kinds) == set(ERRORS) | set(CONTROLS)
    assert (kinds["name_swap"]["cases"], kinds["name_swap"]["flagged"]) == (2, 1)
    assert kinds["name_swap"]["contradicted"] == 1 and kinds["name_swap"]["rate"] == 0.5
    # Examples are what went wrong: the missed error, the flagged control.
    assert [e["claim"] for e in kinds["name_swap"]["examples"]] == ["bad 2"]
    assert [e["claim"] for e in kinds["verbatim"]["examples"]] == ["good 2"]
    assert kinds["date_swap"] == kinds["date_swap"] | {"cases": 0, "rate": None}
    assert report["errors"] == {"cases": 3, "flagged": 2, "rate": 0.6667}
    assert report["controls"] == {"cases": 2, "flagged": 1, "rate": 0.5}
    lines = describe(report)
    assert "name_swap: detected 1/2 (50.0%)" in lines
    assert "verbatim: false alarms 1/2 (50.0%)" in lines
    assert "date_swap: detected 0/0 (n/a)" in lines


STORY_A = [
    "Flood waters rose in Marlow on Sunday as the river burst its banks.",
    "Mayor Alma Korvath said 42 homes were not safe to return to that night.",
    "The rescue teams of Dario Velt reached the village of Marlow by boat.",
]
STORY_B = [
    "Three people drowned in the village of Marlow when the old dam failed.",
    "Engineers had warned in 2019 that the dam could fail in a heavy storm.",
]


def events_file(tmp_path: Path) -> Path:
    path = tmp_path / "events.jsonl"
    rows = [
        {"doc_id": "1_1", "topic": 1, "event": "1a", "sentences": STORY_A},
        {"doc_id": "1_2", "topic": 1, "event": "1a", "sentences": STORY_B},
    ]
    path.write_text("\n".join(json.dumps(row) for row in rows) + "\n\n", encoding="utf-8")
    return path


def test_generation_is_seeded_and_limited(tmp_path: Path) -> None:
    docs = load_documents(events_file(tmp_path))
    assert [d.doc_id for d in docs] == ["1_1", "1_2"] and docs[0].text == "\n\n".join(STORY_A)
    cases = generate(docs, limit=1, seed=3)
    assert cases == generate(docs, limit=1, seed=3)
    kinds = [c.kind for c in cases]
    assert len(kinds) == len(set(kinds)) and "verbatim" in kinds and "fusion" in kinds
    for c in cases:
        assert c.control == (c.kind in CONTROLS)
        assert c.claim != c.sentence or c.kind == "verbatim"
        assert c.source == next(d.text for d in docs if d.doc_id == c.doc_id)


def test_run_perturbations_with_a_fake_checker(tmp_path: Path) -> None:
    def check(claim: str, sources: list[tuple[str, str]]) -> Verdict:
        return verdict("supported" if claim in sources[0][1] else "unsupported")

    report = run_perturbations(events_file(tmp_path), limit=2, seed=1, check=check)
    assert report["limit"] == 2 and report["seed"] == 1
    assert report["kinds"]["verbatim"] | {"cases": 2, "flagged": 0} == report["kinds"]["verbatim"]
    assert (
        report["kinds"]["negation_added"]["flagged"] == report["kinds"]["negation_added"]["cases"]
    )
    with pytest.raises(DataError, match="line 1"):
        bad = tmp_path / "bad.jsonl"
        bad.write_text('{"doc_id": "x", "sentences": "not a list"}\n', encoding="utf-8")
        run_perturbations(bad, check=check)


def test_eval_factcheck_perturb_command(tmp_path: Path) -> None:
    path = str(events_file(tmp_path))
    result = CliRunner().invoke(app, ["eval", "factcheck", "--perturb", path, "--limit", "2"])
    assert result.exit_code == 0, result.output
    assert "negation_added: detected " in result.output
    assert "verbatim: false alarms 0/2 (0.0%)" in result.output
    assert "claims/second: " in result.output
    as_json = CliRunner().invoke(app, ["eval", "factcheck", "--perturb", path, "--json"])
    report = json.loads(as_json.output)
    assert report["kinds"]["verbatim"]["cases"] == 5 and report["limit"] == 200
    for bad in (["--limit", "0"], ["some-dev-file.jsonl"]):
        failed = CliRunner().invoke(app, ["eval", "factcheck", "--perturb", path, *bad])
        assert failed.exit_code == 1
    missing = CliRunner().invoke(app, ["eval", "factcheck", "--perturb", str(tmp_path / "no")])
    assert missing.exit_code == 1 and "cannot read" in missing.output
