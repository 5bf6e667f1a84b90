"""Tokens, numbers and sentence spans of the checker."""

from __future__ import annotations

from newsdesk.verify.text import normalise_number, split_clauses, split_spans, tokenize


def test_numbers_are_compared_in_one_form() -> None:
    assert normalise_number("1,200") == "1200"
    assert normalise_number("6.20") == "6.2"
    assert normalise_number("21:45") == "21:45"
    keys = [t.key for t in tokenize("Twelve of the 1,200 boats; 12 sank.") if t.number]
    assert keys == ["12", "1200", "12"]


def test_words_match_across_inflections_and_case() -> None:
    first = {t.key for t in tokenize("The mayor resigned")}
    second = {t.key for t in tokenize("MAYOR RESIGNS")}
    assert {"mayor", "resign"} <= first & second


def test_spans_are_offsets_into_the_text() -> None:
    text = "Mr. Finch spoke. the crowd left!  Then rain fell"
    spans = split_spans(text)
    assert [text[s:e] for s, e in spans] == [
        "Mr. Finch spoke.",
        "the crowd left!",
        "Then rain fell",
    ]
    assert split_spans("   ") == []


def test_a_decimal_written_with_a_stray_space_does_not_end_a_sentence() -> None:
    text = "Prices fell by around 7. 8 per cent in March. 12 shops shut."
    assert [text[s:e] for s, e in split_spans(text)] == [
        "Prices fell by around 7. 8 per cent in March.",
        "12 shops shut.",
    ]


def test_clauses_are_cut_where_a_new_clause_opens() -> None:
    text = "Finch won the election, in which turnout reached 48 percent; schools stayed shut"
    assert [text[s:e] for s, e in split_clauses(text)] == [
        "Finch won the election",
        "turnout reached 48 percent",
        "schools stayed shut",
    ]
    assert split_clauses("Red, white and blue flags flew.") == [(0, 31)]
