"""Embedding signals: similarity to the evidence and the weakest word's nearest neighbour."""

from __future__ import annotations

from newsdesk.text import tokenize
from newsdesk.verify.claims import measure_claim
from newsdesk.verify.evidence import build_index
from newsdesk.verify.semantic import build_semantic, plain_text, similarity, weakest_word

SENTENCES = [
    "The Orrin ferry carried 412 passengers on its first crossing to Brannoch on Monday.",
    "Harbour master Ilse Varga said the crossing took 55 minutes.",
]
WORDS = ["ferry", "carried", "passengers", "crossing", "harbour", "minutes"]


def test_the_closest_sentence_decides_the_similarity() -> None:
    found = build_semantic([tokenize(s) for s in SENTENCES], WORDS)
    close = similarity(tokenize("The ferry took 412 passengers to Brannoch."), [], found)
    far = similarity(tokenize("Shares in the chip maker fell sharply."), [], found)
    assert far < 0.5 < close <= 1.0


def test_a_short_claim_is_compared_with_the_part_it_copies() -> None:
    found = build_semantic([tokenize(s) for s in SENTENCES], WORDS)
    claim = tokenize("the crossing took 55 minutes")
    alone = similarity(claim, [], found)
    assert similarity(claim, claim, found) > 0.99 > alone


def test_names_after_the_first_word_are_left_out() -> None:
    assert plain_text(tokenize("Harbour master Ilse Varga said 55 Minutes")) == (
        "harbour master said 55"
    )


def test_a_reworded_word_is_nearer_the_sources_than_an_invented_one() -> None:
    found = build_semantic([tokenize(s) for s in SENTENCES], WORDS)
    assert weakest_word(["boat"], found) > weakest_word(["parliament"], found)
    assert weakest_word([], found) == 1.0
    assert weakest_word(["boat"], build_semantic([], [])) == 0.0


def test_words_the_sources_hold_in_any_inflection_need_no_neighbour() -> None:
    index = build_index([("d", " ".join(SENTENCES))])
    held = measure_claim("The ferry carries passengers.", index)
    invented = measure_claim("The ferry carried wolves.", index)
    assert held is not None and invented is not None
    assert held[0].word_similarity == 1.0
    assert invented[0].word_similarity < 1.0


def test_a_pronoun_replaced_by_its_name_stays_close() -> None:
    index = build_index(
        [("d", "Ilse Varga runs the harbour. She said the crossing took 55 minutes.")]
    )
    signals = measure_claim("Ilse Varga said the crossing took 55 minutes.", index)
    assert signals is not None
    assert signals[0].similarity > 0.9
