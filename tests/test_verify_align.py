"""Aligning a claim with the source sentence it came from, and the edits between them."""

from __future__ import annotations

from newsdesk.text import tokenize
from newsdesk.verify.align import best_sentence, diff_against, neighbour_keys
from newsdesk.verify.evidence import EvidenceIndex, build_index
from newsdesk.verify.signals import measure

SOURCE = (
    "Rescuers pulled four climbers from the Brannoch glacier on Friday. "
    "The youngest climber, a student from Calder, was flown to hospital in Pelham. "
    "Harbour master Ilse Varga said the ferry would run again on Monday morning."
)


def index() -> EvidenceIndex:
    return build_index([("d", SOURCE)])


def align(claim: str) -> int | None:
    return best_sentence(index(), tokenize(claim))


def test_claim_is_aligned_with_the_sentence_sharing_most_word_pairs() -> None:
    assert align("A student from Calder was flown to hospital.") == 1
    assert align("The ferry would run again on Monday, Varga said.") == 2
    assert align("Zebras graze quietly.") is None


def test_neighbours_are_the_sentences_either_side_in_the_same_document() -> None:
    two = build_index([("a", "Alpha spoke. Bravo listened."), ("b", "Charlie left.")])
    alpha, charlie = (tokenize(word)[0].key for word in ("Alpha", "Charlie"))
    assert two.sentences[2].key_set >= {charlie}
    assert alpha in neighbour_keys(two, 1)
    assert charlie not in neighbour_keys(two, 1)  # the next sentence is another document's


def edits(claim: str, position: int) -> tuple[bool, bool, bool, int]:
    idx = index()
    found = diff_against(tokenize(claim), idx.sentences[position], idx.keys)
    return found.cut_end, found.starts_inside, found.replaced_start, found.replaced_known


def test_claim_cut_before_a_trailing_phrase_is_marked() -> None:
    cut_end, starts_inside, replaced_start, _ = edits(
        "Rescuers pulled four climbers from the Brannoch glacier.", 0
    )
    assert cut_end and not starts_inside and not replaced_start


def test_claim_ending_where_the_sentence_ends_is_not_cut() -> None:
    assert not edits("Rescuers pulled four climbers from the glacier on Friday.", 0)[0]


def test_claim_starting_mid_sentence_is_marked() -> None:
    assert edits("A student from Calder was flown to hospital in Pelham.", 1)[1]


def test_replaced_subject_from_another_sentence_is_the_stitching_signature() -> None:
    cut_end, _, replaced_start, replaced_known = edits(
        "Ilse Varga was flown to hospital in Pelham.", 1
    )
    assert replaced_start
    assert replaced_known >= 1  # "Varga" is in the sources, in another sentence
    assert not cut_end


def test_a_name_given_for_a_pronoun_next_door_is_resolved_not_replaced() -> None:
    idx = build_index([("d", "Ilse Varga runs the harbour. She said the ferry would run again.")])
    claim = tokenize("Ilse Varga said the ferry would run again.")
    nearby = neighbour_keys(idx, 1)
    found = diff_against(claim, idx.sentences[1], idx.keys, nearby)
    assert not found.replaced_start
    assert found.resolved == {claim[0].key, claim[1].key}
    # Without the neighbouring sentence's name it is a replacement like any other.
    assert diff_against(claim, idx.sentences[1], idx.keys).replaced_start
    # A name put in place of another name is never a resolved pronoun.
    named = build_index([("d", "Bo Grant waved. Ilse Varga said the ferry would run again.")])
    other = tokenize("Bo Grant said the ferry would run again.")
    found = diff_against(other, named.sentences[1], named.keys, neighbour_keys(named, 1))
    assert found.replaced_start and not found.resolved


def is_stitched(claim: str, sources: list[tuple[str, str]]) -> bool:
    return measure(claim, build_index(sources)).stitched


def test_stretches_copied_from_sentences_far_apart_are_stitched() -> None:
    far = "Rescuers pulled four climbers from the Brannoch glacier, said harbour master Ilse Varga."
    assert is_stitched(far, [("d", SOURCE)])
    # The same stretches from one sentence, or from two neighbouring ones, are not.
    assert not is_stitched("The youngest climber was flown to hospital in Pelham.", [("d", SOURCE)])
    near = "Rescuers pulled four climbers from the glacier; a student from Calder was flown out."
    assert not is_stitched(near, [("d", SOURCE)])


def test_neighbouring_sentences_must_share_a_document() -> None:
    first, second = SOURCE.split(". ", 2)[:2]
    claim = "Rescuers pulled four climbers from the Brannoch glacier; the youngest climber fell."
    assert not is_stitched(claim, [("d", f"{first}. {second}.")])
    assert is_stitched(claim, [("a", f"{first}."), ("b", f"{second}.")])
