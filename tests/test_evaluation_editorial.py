"""`newsdesk eval editorial`: each counter fires on a bad hand-made article, not on a clean one."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from newsdesk.cli import app
from newsdesk.evaluation.editorial import (
    Totals,
    add,
    boilerplate,
    describe,
    document_sentences,
    dump,
    fact_kind_right,
    foreign_names,
    foreign_words,
    headline_problems,
    move_titles,
    review,
    summarise,
    unbalanced,
)
from newsdesk.evaluation.writing import load_stories
from newsdesk.records import Article, Citation, Fact, Section, Sentence, SourceRef


def said(text: str, quote: str | None = None, document: str = "d1") -> Sentence:
    """A sentence citing ``quote`` (by default its own text, verbatim)."""
    return Sentence(text=text, citations=[Citation(document=document, quote=quote or text)])


def article(
    paragraphs: list[list[Sentence]],
    *,
    headline: str = "Storm floods harbour town of Elmsby",
    standfirst: str = "A storm flooded the harbour town of Elmsby on Monday.",
    facts: list[Fact] | None = None,
    outlets: tuple[str | None, ...] = ("Harbour Gazette", "Valley Post"),
) -> Article:
    return Article(
        story="elmsby-storm",
        headline=headline,
        standfirst=standfirst,
        standfirst_citations=[Citation(document="d1", quote=standfirst)],
        sections=[Section(heading="The flood", paragraphs=paragraphs)],
        facts=facts or [],
        sources=[SourceRef(document=f"d{i}", source=s) for i, s in enumerate(outlets, start=1)],
    )


def clean() -> Article:
    facts = [
        Fact(aspect="Who", detail="Elmsby Council", citations=[]),
        Fact(aspect="Where", detail="Elmsby", citations=[]),
        Fact(aspect="When", detail="Monday", citations=[]),
        Fact(aspect="Toll", detail="none", citations=[]),
    ]
    paragraphs = [
        [
            said("Rescue crews reached the old quay by boat."),
            said("Nobody was hurt.", document="d2"),
        ],
        [said("The council will meet on Friday to count the damage.", document="d2")],
    ]
    return article(paragraphs, facts=facts)


def report_of(*articles: Article) -> dict[str, object]:
    totals = Totals(stories=len(articles))
    for item in articles:
        add(totals.counts, review(item))
    return summarise(totals)


def test_a_clean_article_counts_nothing() -> None:
    report = report_of(clean())
    zero = (
        "foreign_words foreign_names boilerplate_sentences dangling_openers unbalanced_quotes"
        " near_repeat_pairs repeated_quotes single_source"
    )
    assert {name: report[name] for name in zero.split()} == dict.fromkeys(zero.split(), 0)
    assert report["sentences"] == 4 and report["paragraph_openers"] == 3
    assert report["headlines_complete_pct"] == 100.0
    assert report["fact_kinds_checked"] == 3 and report["fact_kinds_right_pct"] == 100.0
    assert describe(report)[2] == "foreign_words: 0 (0.0% of sentences)"


def test_words_and_names_absent_from_the_quotes_are_foreign() -> None:
    citations = [Citation(document="d1", quote="The mayor praised the crews.")]
    text = "Mayor Brandt quickly praised the crews."
    assert foreign_words(text, citations) == ["brandt", "quickly"]
    # "Mayor" opens the sentence (and is in the quote); "Brandt" came from elsewhere.
    assert foreign_names(text, citations) == ["Brandt"]
    assert foreign_names("Crews left. Boats came.", [Citation(document="d", quote="x")]) == []
    bad = article([[said(text, "The mayor praised the crews.")]])
    report = report_of(bad)
    assert report["foreign_words"] == 2 and report["foreign_names"] == 1
    assert report["foreign_words_pct"] == 50.0  # one sentence of two (standfirst included)


@pytest.mark.parametrize(
    ("text", "rule"),
    [
        ("Hide Caption 6 of 37 Photos: the flooded quay at dawn.", "caption"),
        ("Boats on the quay. Photo: Harbour Gazette", "caption"),
        ("Crews pump water (Getty Images)", "caption"),
        ("6/37 Crews pump water from the square.", "slide counter"),
        ("11 of 23 The flooded square.", "slide counter"),
        ("CLOSE Crews pump water from the square.", "widget"),
        ("Video: the surge reaches the quay.", "widget"),
        ("This embed is not available.", "embed"),
        ("Click here for the latest pictures.", "call to action"),
        ("Read the full report at the link below.", "call to action"),
        ("Subscribe to our daily briefing.", "appeal"),
        ("Please consider supporting local reporting.", "call to action"),
        ("We will keep updating this story.", "outlet voice"),
        ("Tell us what you saw.", "outlet voice"),
        ("Read more at http: / / www. gazette. example / storm", "web address"),
        ("June 2, 2031 A boat capsized near the quay.", "timestamp"),
        ("Story Created: Jun 2, 2031 at 9: 56 AM Boats sank.", "timestamp"),
        ("Boats sank 6 / 2 / 31 1: 30 AM EST The surge came at dawn.", "timestamp"),
    ],
)
def test_web_furniture_is_boilerplate(text: str, rule: str) -> None:
    assert boilerplate(text) == rule
    assert report_of(article([[said(text)]]))["boilerplate_sentences"] == 1


@pytest.mark.parametrize(
    "text",
    [
        '"We are tired," said one resident.',
        "“Our street is gone,” said a shopkeeper.",
        "The US Navy sent a ship.",
        "The World War I memorial was flooded.",
        "In a tweet, the mayor thanked the crews.",
        "The team won 3 of 4 games before the storm.",
        "On June 2, 2031 the alarm sounded at 3: 33 a. m. in the harbour.",
        '"The quay flooded at 6:41pm PST this evening," the agent said.',
    ],
)
def test_news_that_merely_looks_like_furniture_is_not(text: str) -> None:
    assert boilerplate(text) is None


def test_paragraphs_and_the_standfirst_opening_on_a_pronoun_dangle() -> None:
    bad = article(
        [[said("He said the water rose fast.")], [said("Crews came."), said("They left.")]],
        standfirst="But the town was ready.",
    )
    found = review(bad)
    assert [u.label for u in found.units if u.dangling] == ["standfirst", "s1"]
    assert report_of(bad)["dangling_openers"] == 2
    assert report_of(bad)["dangling_openers_pct"] == pytest.approx(66.7)


def test_unbalanced_quotation_marks() -> None:
    assert unbalanced('The mayor said "rebuild now.')
    assert unbalanced("“Rebuild now, the mayor said.")
    assert not unbalanced('The mayor said "rebuild now."')
    assert not unbalanced("“Rebuild now,” the mayor said.")
    assert report_of(article([[said('The mayor said "rebuild now.')]]))["unbalanced_quotes"] == 1


def test_near_repeats_and_quotes_cited_twice() -> None:
    quote = "Water filled the square by noon."
    bad = article(
        [
            [said("Boats carried families from the flooded quay.")],
            [said("Boats carried families from the flooded quay at night.")],
            [said("Water filled the square.", quote), said("By noon it was full.", quote)],
        ]
    )
    found = review(bad)
    assert found.units[1].repeats == ["s2"] and found.units[2].repeats == ["s1"]
    assert found.repeated_quotes == 1
    assert [u.label for u in found.units if u.requoted] == ["s3", "s4"]
    report = report_of(bad)
    assert report["near_repeat_pairs"] == 1 and report["repeated_quotes"] == 1


@pytest.mark.parametrize(
    ("headline", "problem"),
    [
        ("Record flood over the", "no finite verb"),
        ("Record flood over the", "ends with 'the'"),
        ("Storm floods harbour town...", "ends with 'town...'"),
        ("Crews rescued ten people from roofs,", "ends with 'roofs,'"),
        ("Storm floods the town of", "ends with 'of'"),
        ("(CNN) Storm floods harbour town", "starts with a dateline or widget word"),
        ("ELMSBY - Storm floods harbour town", "starts with a dateline or widget word"),
        ("CLOSE Storm floods harbour town", "starts with a dateline or widget word"),
        ("Storm floods town", "3 words"),
        ("http: / / www. gazette. example / storm - floods - town", "a web address"),
    ],
)
def test_incomplete_headlines_name_their_problem(headline: str, problem: str) -> None:
    assert problem in headline_problems(headline)
    assert report_of(article([], headline=headline))["headlines_complete"] == 0


@pytest.mark.parametrize(
    "headline",
    ["Storm floods harbour town of Elmsby", "Mayor Brandt praised crews", "Town will rebuild quay"],
)
def test_complete_headlines(headline: str) -> None:
    assert headline_problems(headline) == []


@pytest.mark.parametrize(
    ("aspect", "detail", "right"),
    [
        ("When", "Monday", True),
        ("when", "3/14/2031", True),
        ("When (sources differ)", "the harbour", False),
        ("Where", "Elmsby", True),
        ("Where", "March 3", False),
        ("Where", "the quay", False),
        ("Who", "Mayor Brandt", True),
        ("Who", "42", False),
        ("Who", "the council", False),
        ("Toll", "none", None),
    ],
)
def test_who_where_when_facts_hold_their_kind(aspect: str, detail: str, right: bool) -> None:
    assert fact_kind_right(Fact(aspect=aspect, detail=detail, citations=[])) is right


def test_wrong_fact_kinds_lower_the_share() -> None:
    facts = [Fact(aspect="When", detail="the harbour", citations=[])]
    facts.append(Fact(aspect="Who", detail="Mayor Brandt", citations=[]))
    report = report_of(article([], facts=facts))
    assert report["fact_kinds_checked"] == 2 and report["fact_kinds_right_pct"] == 50.0


def test_articles_resting_on_one_outlet() -> None:
    assert report_of(article([], outlets=("Gazette", "Gazette")))["single_source"] == 1
    # Without an outlet name each document counts as its own outlet.
    assert report_of(article([], outlets=(None, None)))["single_source"] == 0


def test_the_dump_shows_each_sentence_its_flags_and_its_quotes() -> None:
    bad = article([[said("He left. Photo: Gazette", "He left.")]], headline="Record flood over the")
    text = dump([review(bad)])
    assert "HEADLINE: Record flood over the  [no finite verb; ends with 'the']" in text
    assert "s1: He left. Photo: Gazette  [foreign:photo,gazette" in text
    assert "boilerplate:caption | dangling | edited]" in text
    assert "        > d1: He left." in text


def jsonl(path: Path, rows: list[dict[str, object]]) -> Path:
    path.write_text("".join(json.dumps(row) + "\n" for row in rows), encoding="utf-8")
    return path


def test_first_sentences_become_titles_and_addresses_urls(tmp_path: Path) -> None:
    path = jsonl(
        tmp_path / "ecb.jsonl",
        [
            {
                "doc_id": "a",
                "event": "1",
                "sentences": ["Storm hits Elmsby", " Crews came. ", "Ok."],
            },
            {
                "doc_id": "b",
                "event": "1",
                "sentences": ["http: / / www. x. example / a", "T", "B."],
            },
            {"doc_id": "c", "event": "1", "sentences": ["Only one line."]},
        ],
    )
    story = move_titles(load_stories(path), document_sentences(path))[0].story
    first, second, third = story.documents
    assert (first.title, first.text) == ("Storm hits Elmsby", "Crews came. Ok.")
    assert (second.url, second.title, second.text) == ("http://www.x.example/a", "T", "B.")
    assert (third.title, third.text) == (None, "Only one line.")


ROWS: list[dict[str, object]] = [
    {
        "doc_id": f"elmsby-{n}",
        "event": "e1",
        "sentences": [
            f"Storm floods Elmsby harbour, report {n}",
            "A storm flooded the harbour town of Elmsby on Monday night.",
            "Rescue crews in boats reached the old quay before midnight.",
            f"The council said {n + 2} streets were still under water on Tuesday.",
            "Engineers will inspect the sea wall this week.",
        ],
    }
    for n in (1, 2)
]


def test_cli_prints_the_measures_and_writes_the_dump(tmp_path: Path) -> None:
    path = jsonl(tmp_path / "stories.jsonl", ROWS)
    dumped = tmp_path / "dump.txt"
    command = ["eval", "editorial", str(path), "--json", "--dump", str(dumped)]
    result = CliRunner().invoke(app, command)
    assert result.exit_code == 0, result.output
    report = json.loads(result.stdout)
    assert report["stories"] == 1 and report["written"] == 1 and report["sentences"] >= 2
    assert report["foreign_words"] == 0 and report["single_source"] == 0
    assert "=== story e1 (2 outlets) ===" in dumped.read_text(encoding="utf-8")
    plain = CliRunner().invoke(app, ["eval", "editorial", str(path), "--no-titles-first-line"])
    assert plain.exit_code == 0, plain.output
    assert "foreign_words: 0 (0.0% of sentences)" in plain.stdout


def test_cli_names_a_missing_file(tmp_path: Path) -> None:
    result = CliRunner().invoke(app, ["eval", "editorial", str(tmp_path / "none.jsonl")])
    assert result.exit_code == 1 and "cannot read" in result.output


def test_a_name_fused_in_from_a_confirming_quote_is_still_foreign() -> None:
    """A sentence's own source sentence is its first quote: words lent by a second citation
    (a fusion that cites where the name came from) are still counted, and so is a
    sentence that is not its quote with words deleted."""
    own = Citation(document="d1", quote="Velder denied the charges in court on Monday.")
    lender = Citation(document="d2", quote="Harbour master Tomas Velder was charged.")
    fused = Sentence(
        text="Tomas Velder denied the charges in court on Monday.", citations=[own, lender]
    )
    reordered = Sentence(text="On Monday Velder denied the charges in court.", citations=[own])
    found = review(article([[fused], [reordered]]))
    assert found.units[1].foreign == ["tomas"]
    assert found.units[1].edited and found.units[2].edited
    assert not found.units[2].foreign


def test_a_fact_told_again_in_other_words_is_restated() -> None:
    first = said("Harbour master Tomas Velder died in Corvel on Sunday at the age of 81.")
    again = said("Velder, the Corvel harbour master, died on Sunday aged 81.")
    new = said("His family asked for donations to the lifeboat station instead of flowers.")
    found = review(article([[first, again], [new]]))
    assert [u.restated for u in found.units[1:]] == [False, True, False]
    assert report_of(article([[first, again], [new]]))["restated_sentences"] == 1
