"""Measure one claim sentence against an evidence index: the signals the score combines.

Every signal but two is lexical and cheap; the two others compare meaning with word and
sentence embeddings (``semantic.py``). Three families:

- *overlap with the whole sources*: content words found anywhere, the copied fragments
  needed to rebuild the claim, the longest of them (how copied the claim is), whether
  no one sentence or pair of neighbouring sentences holds all of them, new names
  and numbers; the embedding similarity of the claim to its closest source sentence, and
  of its least supported word to the closest source word;
- *alignment with the one source sentence the claim was built from* (``align.py``): its
  share of the claim's content words, the share with one more sentence, the share found
  only far from it, and how the claim was cut from it;
- *changes of meaning against that sentence*: negation, hedges, the order of the actors,
  quoted speech. These feed the hard rules in ``scoring.py``.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace

from newsdesk.text import Token, tokenize
from newsdesk.verify.align import (
    NO_EDITS,
    Edits,
    Piece,
    best_sentence,
    diff_against,
    neighbour_keys,
    second_sentence_keys,
    stitched,
)
from newsdesk.verify.entities import (
    actors_traded,
    hedge_cut,
    negation_cut,
    substituted,
    unaligned,
)
from newsdesk.verify.evidence import (
    EvidenceIndex,
    EvidenceSentence,
    normalise_quotes,
    semantic_word,
)
from newsdesk.verify.lexicon import hedges_in, is_date_word, is_negation
from newsdesk.verify.semantic import similarity, weakest_word

# How far a negation or hedge reaches: the words right after it.
SCOPE = 3

_SPEECH = re.compile(r"[“\"]([^”\"]+)[”\"]|‘([^’]+)’")


@dataclass(frozen=True, slots=True)
class Signals:
    """What one claim sentence looks like against its evidence (see module doc)."""

    tokens: int  # words and numbers in the claim
    content: int  # content words in the claim
    coverage: float  # share of content words found anywhere in the evidence
    new_words: int  # content words found nowhere in the evidence
    fragments: float  # copied fragments needed to rebuild the claim, per token
    longest: float  # longest copied fragment, as a share of the claim
    best_words: float  # share of content words in the aligned sentence
    two_words: float  # share in the aligned and the one sentence that adds most
    far_words: float  # share only far from the aligned sentence (not in or next to it)
    stitched: bool  # its copied stretches come from source sentences far apart
    similarity: float  # highest embedding cosine with an evidence sentence
    word_similarity: float  # lowest over content words of the cosine to the nearest source word
    edits: Edits
    novel_numbers: tuple[str, ...]  # as written in the claim
    novel_names: int
    number_changed: bool  # a new number where the best evidence has another one
    novel_dates: tuple[str, ...]  # days or months the sources do not name, as written
    date_changed: bool  # a new date word where the best evidence has another one
    negation_flip: bool
    hedge_dropped: bool
    roles_swapped: bool  # the actors on either side of a shared verb trade places
    speech_problem: str  # "" or why quoted speech fails
    # Entity-level alignment with the aligned sentence (``entities.py``): the names,
    # numbers, dates or modifiers it lacks, as written; those of them that stand where
    # the sentence has another of their kind (kind, as written); a hedge it cuts off; a
    # run of added words, some of them in no source (a clause from elsewhere).
    unaligned: tuple[str, ...]
    swapped: tuple[tuple[str, str], ...]
    hedge_cut: bool
    added_clause: bool
    evidence: EvidenceSentence | None


def measure(claim: str, index: EvidenceIndex) -> Signals:
    tokens = _conform(tokenize(claim), index)
    content = [t for t in tokens if t.content] or tokens
    n = max(len(tokens), 1)
    position = best_sentence(index, tokens)
    best = index.sentences[position] if position is not None else None
    pieces = _pieces([t.key for t in tokens], index)
    novel_numbers = [t for t in tokens if t.number and t.key not in index.numbers]
    novel_dates = [t for t in _dates(tokens) if t.key not in index.keys]
    nearby = neighbour_keys(index, position) if position is not None else set()
    edits = diff_against(tokens, best, index.keys, nearby) if best else NO_EDITS
    aligned = _aligned(content, index, position, edits.resolved)
    semantic = index.semantic()
    window = best.tokens[edits.window[0] : edits.window[1]] if best else ()
    unaligned_at = unaligned(tokens, best, edits, index) if best else ()
    return Signals(
        tokens=len(tokens),
        content=len(content),
        coverage=_share(content, index.keys),
        new_words=sum(1 for t in content if t.key not in index.keys),
        fragments=len(pieces) / n,
        longest=_longest(pieces, tokens, index) / n,
        best_words=aligned[0],
        two_words=aligned[1],
        far_words=aligned[2],
        stitched=stitched(index, tokens, pieces),
        similarity=similarity(tokens, window, semantic),
        word_similarity=weakest_word(_words_not_held(tokens, index), semantic),
        edits=edits,
        novel_numbers=tuple(claim[t.start : t.end] for t in novel_numbers),
        novel_names=sum(1 for t in _names(tokens) if t.key not in index.keys),
        number_changed=bool(novel_numbers) and best is not None and _has_number(best),
        novel_dates=tuple(claim[t.start : t.end] for t in novel_dates),
        date_changed=bool(novel_dates) and best is not None and bool(_dates(best.tokens)),
        negation_flip=best is not None
        and (_negation_flip(tokens, best, window) or negation_cut(tokens, best, edits)),
        hedge_dropped=best is not None and _hedge_dropped(tokens, best),
        roles_swapped=best is not None and actors_traded(tokens, best),
        speech_problem=_speech_problem(claim, index),
        unaligned=tuple(claim[tokens[i].start : tokens[i].end] for i in unaligned_at),
        swapped=tuple(
            (kind, claim[tokens[i].start : tokens[i].end])
            for kind, i in (substituted(tokens, best, edits, unaligned_at) if best else ())
        ),
        hedge_cut=best is not None and hedge_cut(tokens, best, edits),
        added_clause=_added_clause(tokens, edits, index),
        evidence=best,
    )


def _conform(tokens: list[Token], index: EvidenceIndex) -> list[Token]:
    """Tokens whose word the sources hold only with another ending take that word's key."""
    conformed = []
    for token in tokens:
        other = None if token.number else index.inflection_of(token.key)
        conformed.append(replace(token, key=other) if other else token)
    return conformed


def _words_not_held(tokens: Sequence[Token], index: EvidenceIndex) -> list[str]:
    """Content words whose key the sources lack: only these need a near neighbour (a word
    the sources hold, in any inflection, is as close as a word can be)."""
    return [t.word for t in tokens if semantic_word(t) and t.key not in index.keys]


def _share(tokens: Sequence[Token], keys: set[str] | frozenset[str]) -> float:
    if not tokens:
        return 0.0
    return sum(t.key in keys for t in tokens) / len(tokens)


def _aligned(
    content: Sequence[Token],
    index: EvidenceIndex,
    position: int | None,
    resolved: frozenset[str] = frozenset(),
) -> tuple[float, float, float]:
    """Shares of the claim's content words in the aligned sentence (counting the names it
    gives for the sentence's pronouns, ``resolved``), in it plus the one sentence that adds
    most, and only far away (in the sources but not in or next to it)."""
    if position is None or not content:
        return 0.0, 0.0, 0.0
    own = index.sentences[position].key_set | resolved
    wanted = {t.key for t in content}
    second = second_sentence_keys(index, wanted, position)
    near = own | neighbour_keys(index, position)
    n = len(content)
    return (
        sum(t.key in own for t in content) / n,
        sum(t.key in own or t.key in second for t in content) / n,
        sum(t.key not in near and t.key in index.keys for t in content) / n,
    )


def _pieces(keys: Sequence[str], index: EvidenceIndex) -> list[Piece]:
    """Greedy left-to-right cover of the claim by the longest n-grams the evidence holds.

    A word absent from the evidence is a piece of its own, so an invented claim needs as
    many pieces as it has words.
    """
    pieces = []
    i = 0
    while i < len(keys):
        length = 1
        while i + length < len(keys) and tuple(keys[i : i + length + 1]) in index.ngrams:
            length += 1
        pieces.append((i, length))
        i += length
    return pieces


def _longest(pieces: Sequence[Piece], tokens: Sequence[Token], index: EvidenceIndex) -> int:
    """The longest piece copied from the evidence (a lone word only if the evidence has it)."""
    copied = [n for i, n in pieces if n > 1 or tokens[i].key in index.keys]
    return max(copied, default=0)


def _names(tokens: Sequence[Token]) -> list[Token]:
    """Capitalised words that are not the first word (a rough stand-in for names)."""
    return [t for i, t in enumerate(tokens) if i > 0 and t.capitalised and not t.number]


def _dates(tokens: Sequence[Token]) -> list[Token]:
    return [t for i, t in enumerate(tokens) if is_date_word(t.word, t.capitalised, i == 0)]


def _has_number(sentence: EvidenceSentence) -> bool:
    return any(t.number for t in sentence.tokens)


def _negation_flip(
    tokens: Sequence[Token], evidence: EvidenceSentence, window: Sequence[Token] = ()
) -> bool:
    """The claim negates what its evidence affirms, or affirms what it negates.

    A negating claim is compared on the stretch of the evidence it was cut from, by the
    parity of its negations: "did not deny" (two) is not "denied" (one). Only a negation
    that governs words the claim shares counts against an affirming claim: "no" in
    another clause of the evidence sentence says nothing about it.
    """
    claimed = sum(is_negation(t.word) for t in tokens)
    if claimed:
        if not evidence.negated:
            return True
        stretch = window or evidence.tokens
        return claimed % 2 != sum(is_negation(t.word) for t in stretch) % 2
    shared = {t.key for t in tokens if t.content}
    return _qualifies_shared(evidence.tokens, shared, is_negation)


def _hedge_dropped(tokens: Sequence[Token], evidence: EvidenceSentence) -> bool:
    """The evidence hedges words the claim repeats ("believed to have fled") and the claim
    does not hedge them."""
    if not evidence.hedges:
        return False
    if hedges_in([t.word for t in tokens], [t.number for t in tokens]):
        return False
    shared = {t.key for t in tokens if t.content}
    return _qualifies_shared(evidence.tokens, shared, lambda w: w in evidence.hedges)


def _qualifies_shared(
    tokens: Sequence[Token], shared: set[str], marker: Callable[[str], bool]
) -> bool:
    """Some marker word is followed, within ``SCOPE`` words, by a word of ``shared``."""
    for i, token in enumerate(tokens):
        if marker(token.word):
            following = tokens[i + 1 : i + 1 + SCOPE]
            if any(t.content and t.key in shared for t in following):
                return True
    return False


def _speech_problem(claim: str, index: EvidenceIndex) -> str:
    """Quoted speech must be in the evidence verbatim, near the speaker the claim names."""
    for match in _SPEECH.finditer(claim):
        speech = normalise_quotes(match.group(1) or match.group(2)).strip(" ,.")
        if len(speech.split()) < 3:
            continue  # a quoted word or title, not speech
        if speech not in index.flat_text:
            return "quoted speech is not in the sources verbatim"
        outside = claim[: match.start()] + " " + claim[match.end() :]
        if not _speaker_near_speech(outside, speech, index):
            return "quoted speech is attributed to someone the sources do not name with it"
    return ""


def _speaker_near_speech(outside: str, speech: str, index: EvidenceIndex) -> bool:
    names = {t.key for t in _names(tokenize(outside))}
    if not names:
        return True
    probe = " ".join(speech.split()[:6])
    for position, sentence in enumerate(index.sentences):
        if probe in normalise_quotes(sentence.text):
            near = set(sentence.key_set) | neighbour_keys(index, position)
            if names <= near:
                return True
    return False


def _added_clause(tokens: Sequence[Token], edits: Edits, index: EvidenceIndex) -> bool:
    """A run of three or more added content words, one of them nowhere in the sources."""
    runs: list[list[int]] = []
    for i in edits.added:
        if runs and runs[-1][-1] == i - 1:
            runs[-1].append(i)
        else:
            runs.append([i])
    for run in runs:
        content = [tokens[i] for i in run if tokens[i].content]
        if len(content) >= 3 and any(t.key not in index.keys for t in content):
            return True
    return False
