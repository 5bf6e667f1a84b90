"""Exact duplicates, URL normalisation, and near-duplicates (syndicated copies)."""

from __future__ import annotations

from datetime import UTC, datetime
from urllib.parse import urlsplit

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from newsdesk.canonical import canonicalize_url
from newsdesk.dedupe import (
    NearDuplicateIndex,
    drop_exact_duplicates,
    link_near_duplicates,
)
from newsdesk.records import Document

WIRE = (
    "The central bank of Valdoria raised its main interest rate by half a point to 3.75 "
    "percent on Tuesday, its fourth increase this year, citing food and energy prices "
    "that rose faster than expected in October. Governor Elin Marsh said the board would "
    "watch wages closely over the winter and did not rule out a further rise in January. "
    "Mortgage lenders said repayments on a typical home loan would climb by about forty "
    "crowns a month, and the finance ministry welcomed what it called a prudent step."
)
OTHER = (
    "Rescue teams in the northern hills reached the last village cut off by the landslide "
    "on Monday night, bringing water, blankets and a generator. The regional council said "
    "the road would stay closed for at least a week while engineers checked the slope, and "
    "that families who had left would be housed in the school at Brannoch until then."
)


def make(doc_id: str, text: str, published: datetime | None = None) -> Document:
    return Document(id=doc_id, text=text, published=published)


def at(hour: int) -> datetime:
    return datetime(2026, 11, 24, hour, tzinfo=UTC)


# --- exact duplicates ---------------------------------------------------------------------


def test_same_text_up_to_whitespace_and_case_is_dropped() -> None:
    docs = [make("a", "The ferry left at noon."), make("b", "the  ferry left\nat NOON.")]
    assert [d.id for d in drop_exact_duplicates(docs)] == ["a"]


def test_different_texts_are_kept_in_order() -> None:
    docs = [make("a", "One thing happened."), make("b", "Another thing happened.")]
    assert [d.id for d in drop_exact_duplicates(docs)] == ["a", "b"]


def test_previously_seen_hashes_are_respected_and_updated() -> None:
    seen = {make("x", "Old news.").content_hash}
    kept = list(drop_exact_duplicates([make("a", "Old news."), make("b", "New news.")], seen))
    assert [d.id for d in kept] == ["b"]
    assert make("y", "New news.").content_hash in seen


def test_repeated_id_is_dropped_even_with_new_text() -> None:
    docs = [make("a", "First text."), make("a", "Edited text.")]
    assert [d.id for d in drop_exact_duplicates(docs)] == ["a"]


# --- URLs ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("url", "expected"),
    [
        (
            "HTTPS://News.Example:443/a/b?id=7&utm_source=x&q=a%20b&fbclid=z#top",
            "https://news.example/a/b?id=7&q=a%20b",
        ),
        ("https://amp.news.example/story/1", "https://news.example/story/1"),
        ("https://m.news.example/story/1?ref_src=tw", "https://news.example/story/1"),
        ("https://news.example/story/1/amp", "https://news.example/story/1"),
        ("https://news.example/amp/story/1", "https://news.example/story/1"),
        ("https://news.example/story-1.amp.html", "https://news.example/story-1.html"),
        ("https://news.example/story?id=3&amp=1", "https://news.example/story?id=3"),
        ("http://news.example", "http://news.example/"),
        ("http://m.example/x", "http://m.example/x"),  # a two-label host is a site itself
        ("https://news.example/lamp/ampere", "https://news.example/lamp/ampere"),
    ],
)
def test_canonical_urls(url: str, expected: str) -> None:
    assert canonicalize_url(url) == expected


URL_PARTS = st.text(
    alphabet="abcdefghijklmnopqrstuvwxyz0123456789-._~%/?&=#:@!$'()*+,;", max_size=40
)


@settings(max_examples=150, deadline=None)
@given(
    host=st.sampled_from(["news.example", "M.News.Example", "amp.x.example", "[::1]"]),
    rest=URL_PARTS,
)
def test_canonicalising_is_stable_and_keeps_the_site(host: str, rest: str) -> None:
    url = f"https://{host}/{rest}"
    try:
        once = canonicalize_url(url)
    except ValueError:
        return  # an invalid port or bracket: urllib refuses it, never silently mangles it
    assert canonicalize_url(once) == once
    parts = urlsplit(once)
    assert parts.scheme == "https" and parts.fragment == ""
    assert "utm_" not in parts.query


# --- near-duplicates ----------------------------------------------------------------------


def syndicated_copy() -> str:
    """The wire story as another outlet runs it: a line added, a sentence trimmed."""
    sentences = WIRE.split(". ")
    return "Published with permission of Valley Wire. " + ". ".join(sentences[:-1]) + "."


def test_a_syndicated_copy_is_linked_to_its_original() -> None:
    index = NearDuplicateIndex(threshold=0.8)
    docs = [make("wire", WIRE, at(11)), make("copy", syndicated_copy(), at(13)), make("o", OTHER)]
    linked = list(link_near_duplicates(docs, index))
    assert [(d.id, d.duplicate_of) for d in linked] == [
        ("wire", None),
        ("copy", "wire"),
        ("o", None),
    ]


def test_the_earlier_published_one_is_the_original() -> None:
    index = NearDuplicateIndex()
    index.add(make("copy", syndicated_copy(), at(13)))
    placement = index.place(make("wire", WIRE, at(11)))
    assert placement.demoted == "copy" and placement.document.duplicate_of is None
    later = index.place(make("third", syndicated_copy() + " More at six.", at(15)))
    assert later.document.duplicate_of == "wire"


def test_different_stories_on_one_topic_are_not_linked() -> None:
    index = NearDuplicateIndex()
    rewritten = (
        "Valdoria's central bank lifted borrowing costs again this week. Analysts had expected "
        "a smaller move; the governor pointed to prices of food and fuel, and homeowners face "
        "higher monthly payments. The ministry of finance backed the decision."
    )
    linked = list(link_near_duplicates([make("a", WIRE), make("b", rewritten)], index))
    assert [d.duplicate_of for d in linked] == [None, None]


def test_a_document_that_names_its_original_is_left_alone() -> None:
    index = NearDuplicateIndex()
    given_link = Document(id="c", text=OTHER, duplicate_of="elsewhere")
    assert next(link_near_duplicates([given_link], index)).duplicate_of == "elsewhere"
    assert len(index) == 0
