"""Sentence splitting: boundaries in the right places, and every span verbatim; and the
checker's tokens, numbers and sentence spans."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from newsdesk.text import (
    normalise_number,
    split_clauses,
    split_paragraphs,
    split_sentences,
    split_spans,
    tokenize,
)


def texts(text: str) -> list[str]:
    return [span.text for span in split_sentences(text)]


def test_spans_are_exact_slices_of_the_input() -> None:
    text = "  First one.  Second one!\n\nThird? Yes.  "
    spans = split_sentences(text)
    assert [s.text for s in spans] == ["First one.", "Second one!", "Third?", "Yes."]
    for span in spans:
        assert text[span.start : span.end] == span.text


def test_titles_and_initials_do_not_end_sentences() -> None:
    text = "Mr. Smith met Dr. Jones and J. K. Rowling at noon. They talked."
    assert texts(text) == ["Mr. Smith met Dr. Jones and J. K. Rowling at noon.", "They talked."]


def test_decimals_and_percentages_stay_inside_a_sentence() -> None:
    text = "Rates rose to 3.75% from 3.5 per cent. Markets fell 1.2 points."
    assert texts(text) == ["Rates rose to 3.75% from 3.5 per cent.", "Markets fell 1.2 points."]


def test_dotted_acronyms_split_only_before_a_sentence_opener() -> None:
    text = "The U.S. Senate voted at 10 a.m. Tuesday. He left the U.S. The vote passed."
    assert texts(text) == [
        "The U.S. Senate voted at 10 a.m. Tuesday.",
        "He left the U.S.",
        "The vote passed.",
    ]


def test_company_suffix_and_month_abbreviation() -> None:
    text = "Apple Inc. Chief Tim Cook spoke on Jan. 5 about it. Sales grew."
    assert texts(text) == ["Apple Inc. Chief Tim Cook spoke on Jan. 5 about it.", "Sales grew."]


def test_closing_quotes_stay_with_their_sentence() -> None:
    text = (
        "He called it “a disaster”. Then she said, “We will rebuild.” The crowd cheered. "
        '"Are you sure?" she asked. "Yes," he said.'
    )
    assert texts(text) == [
        "He called it “a disaster”.",
        "Then she said, “We will rebuild.”",
        "The crowd cheered.",
        '"Are you sure?" she asked.',
        '"Yes," he said.',
    ]


def test_newlines_split_paragraphs_but_not_wrapped_lines() -> None:
    text = "Headline without stop\nBody starts here and\ncontinues on a wrapped line.\n\nNext."
    assert texts(text) == [
        "Headline without stop",
        "Body starts here and\ncontinues on a wrapped line.",
        "Next.",
    ]
    assert len(split_paragraphs(text)) == 3


def test_empty_and_blank_text_give_no_sentences() -> None:
    assert split_sentences("") == []
    assert split_sentences(" \n\n\t ") == []


@given(st.text(alphabet=st.sampled_from(list("ab .!?\"”“\nMr.U.S3,'")), max_size=200))
def test_spans_are_ordered_disjoint_and_cover_all_visible_text(text: str) -> None:
    spans = split_sentences(text)
    position = 0
    for span in spans:
        assert text[span.start : span.end] == span.text
        assert span.text == span.text.strip() and span.text
        assert span.start >= position
        assert not text[position : span.start].strip()  # only whitespace skipped
        position = span.end
    assert not text[position:].strip()


def test_a_case_name_is_one_sentence() -> None:
    text = "The court cited Roe v. Wade in its ruling. Lawyers disagreed."
    assert [s.text for s in split_sentences(text)] == [
        "The court cited Roe v. Wade in its ruling.",
        "Lawyers disagreed.",
    ]


# --- the checker's tokens and checkable units --------------------------------------------


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
