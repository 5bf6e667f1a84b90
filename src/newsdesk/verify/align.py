"""Align a claim sentence with the source sentence it most likely came from, and diff them.

Summaries go wrong in two ways that the whole-article bag of words cannot see: they stitch
fragments of different source sentences together (a name from one, a verb from another),
and they cut a sentence so that what remains says something else. Both show only against
the *one* sentence the claim was built from. That sentence is the one sharing most word
pairs with the claim (then most content words); the claim is then diffed against it word
by word (``difflib`` on stemmed keys), and the edits are told apart:

- a *replacement* puts claim words where the sentence had others; a replaced word that the
  sources hold elsewhere is the stitching signature (``replaced_known``, used in reasons);
- a claim that starts with a replacement has most likely swapped its subject;
- a claim whose copied stretches no one sentence (or two neighbouring ones) holds together
  is *stitched* from passages far apart, even when each stretch is copied faithfully;
- a claim that copies its sentence up to its own last word and stops where the sentence
  runs on without a break (no punctuation, no "and", "which" ...) *cut* a trailing
  phrase, which is how faithful compressions end ("... on Sunday" dropped); one that
  starts copying in the middle of the sentence dropped a leading one.
"""

from __future__ import annotations

import difflib
import itertools
from collections.abc import Sequence
from dataclasses import dataclass

from newsdesk.text import Token
from newsdesk.verify.evidence import EvidenceIndex, EvidenceSentence

CANDIDATES = 10
_CLAUSE_WORDS = frozenset(
    """and but or so which who whom whose where when while as after before because since
    although though that""".split()
)
# A claim may name whom its sentence calls "he" or "they" (news copy does, to stand alone).
PRONOUNS = frozenset("he she they it him her them his their its".split())
_BREAKS = frozenset(",;:()-\"'`“”‘’–—")


@dataclass(frozen=True, slots=True)
class Edits:
    """How a claim sentence differs from its aligned source sentence."""

    replaced_known: int  # replaced claim content words found elsewhere in the sources
    replaced_start: bool  # the claim's first words replace the sentence's
    cut_end: bool  # copies up to its last word, where the sentence runs on unbroken
    starts_inside: bool  # starts by copying from the middle of the sentence
    # The sentence's tokens from the first to the last one the claim copies (the part it
    # was built from; empty when it copies nothing).
    window: tuple[int, int] = (0, 0)
    # Keys of the names the claim puts where the sentence has a pronoun or a short
    # description, when the sentences either side give that name: a resolved reference,
    # not a replacement.
    resolved: frozenset[str] = frozenset()
    # Share of the claim's tokens copied from the sentence in the diff's equal blocks.
    copied: float = 0.0
    # Claim tokens the sentence does not have there (inserted or replacing), and the
    # sentence's tokens that the claim left out or replaced (up to where it stops copying).
    added: tuple[int, ...] = ()
    dropped: tuple[int, ...] = ()
    # The replacements: claim tokens [i1:i2] where the sentence has [j1:j2].
    replaced: tuple[tuple[int, int, int, int], ...] = ()


NO_EDITS = Edits(0, False, False, False)
# A stretch of the claim copied from the sources: (first token, number of tokens).
Piece = tuple[int, int]


def best_sentence(index: EvidenceIndex, tokens: Sequence[Token]) -> int | None:
    """Position of the source sentence sharing most word pairs (then content words)."""
    keys = [t.key for t in tokens]
    content = [t.key for t in tokens if t.content] or keys
    pairs = set(itertools.pairwise(keys))
    wanted = set(content)
    best: int | None = None
    best_score = (-1, -1, 0)
    for position in index.candidates(content, CANDIDATES):
        sentence = index.sentences[position]
        score = (
            len(pairs & sentence.bigrams),
            len(wanted & sentence.key_set),
            -len(sentence.tokens),
        )
        if score > best_score:
            best, best_score = position, score
    return best


def second_sentence_keys(index: EvidenceIndex, content: set[str], best: int) -> frozenset[str]:
    """Words of the sentence that adds most of the claim's words the best one lacks."""
    missing = content - index.sentences[best].key_set
    if not missing:
        return frozenset()
    top = index.candidates(sorted(missing), 1)
    return index.sentences[top[0]].key_set if top else frozenset()


def stitched(index: EvidenceIndex, tokens: Sequence[Token], pieces: Sequence[Piece]) -> bool:
    """The claim's copied stretches (``pieces`` of two or more words, one of them a content
    word) are not all found in one source sentence or two neighbouring ones."""
    keys = [t.key for t in tokens]
    holders = [
        _holders(index, keys[start : start + length])
        for start, length in pieces
        if length > 1 and any(t.content for t in tokens[start : start + length])
    ]
    holders = [found for found in holders if found]
    if len(holders) < 2:
        return False
    return not any(
        all(found & _pair(index, position) for found in holders)
        for position in sorted(set().union(*holders))
    )


def _holders(index: EvidenceIndex, keys: Sequence[str]) -> set[int]:
    """Positions of the source sentences that hold ``keys`` in a row."""
    rarest = min(keys, key=lambda key: len(index.by_key.get(key, ())))
    wanted = tuple(keys)
    n = len(wanted)
    found = set()
    for position in index.by_key.get(rarest, ()):
        sentence = index.sentences[position].keys
        if any(sentence[i : i + n] == wanted for i in range(len(sentence) - n + 1)):
            found.add(position)
    return found


def _pair(index: EvidenceIndex, position: int) -> set[int]:
    """A sentence and the next one when it is in the same document."""
    following = position + 1
    if (
        following < len(index.sentences)
        and index.sentences[following].document == index.sentences[position].document
    ):
        return {position, following}
    return {position}


def neighbour_keys(index: EvidenceIndex, position: int) -> set[str]:
    """Words of the sentences either side of ``position`` in the same document (they often
    name who "he" or "the company" is)."""
    keys: set[str] = set()
    sentence = index.sentences[position]
    for other in (position - 1, position + 1):
        if 0 <= other < len(index.sentences):
            neighbour = index.sentences[other]
            if neighbour.document == sentence.document:
                keys.update(neighbour.key_set)
    return keys


def diff_against(
    tokens: Sequence[Token],
    sentence: EvidenceSentence,
    known: set[str],
    nearby: set[str] | frozenset[str] = frozenset(),
) -> Edits:
    """Diff the claim against its aligned sentence; ``known`` are the keys of all sources,
    ``nearby`` those of the sentences either side (where a pronoun's name is found)."""
    claim = [t.key for t in tokens]
    matcher = difflib.SequenceMatcher(None, claim, list(sentence.keys), autojunk=False)
    opcodes = matcher.get_opcodes()
    equal = [op for op in opcodes if op[0] == "equal"]
    if not equal:
        return Edits(0, bool(tokens), False, False)
    replaced_known = 0
    replaced_start = False
    resolved: set[str] = set()
    added: list[int] = []
    dropped: list[int] = []
    replaced: list[tuple[int, int, int, int]] = []
    first, last = equal[0], equal[-1]
    for tag, i1, i2, j1, j2 in opcodes:
        if tag == "replace" and _names_pronoun(tokens[i1:i2], sentence.tokens[j1:j2], nearby):
            resolved.update(t.key for t in tokens[i1:i2])
            continue
        if tag == "replace":
            replaced.append((i1, i2, j1, j2))
            content = [t for t in tokens[i1:i2] if t.content]
            replaced_known += sum(t.key in known for t in content)
            replaced_start = replaced_start or (i1 == 0 and bool(content))
        # difflib edits the claim into the sentence: "delete" is what the claim added.
        if tag in ("replace", "delete"):
            added.extend(range(i1, i2))
        if tag == "replace" or (tag == "insert" and j1 < last[4]):
            dropped.extend(range(j1, j2))  # not the rest of the sentence after the claim
    return Edits(
        replaced_known,
        replaced_start,
        cut_end=last[2] == len(claim) and _runs_on(sentence, last[4]),
        starts_inside=first[1] == 0 and first[3] > 0,
        window=(first[3], last[4]),
        resolved=frozenset(resolved),
        copied=sum(op[2] - op[1] for op in equal) / len(claim),
        added=tuple(added),
        dropped=tuple(dropped),
        replaced=tuple(replaced),
    )


def _names_pronoun(
    claim: Sequence[Token], sentence: Sequence[Token], nearby: set[str] | frozenset[str]
) -> bool:
    """The claim's words are names given nearby, where the sentence has only pronouns or
    a short description ("the agency", "the company")."""
    described = len(sentence) <= 3 and not any(t.capitalised or t.number for t in sentence)
    return (
        bool(claim)
        and (all(t.word in PRONOUNS for t in sentence) or described)
        and all(t.capitalised and t.key in nearby for t in claim)
    )


def _runs_on(sentence: EvidenceSentence, position: int) -> bool:
    """The sentence goes on after token ``position - 1`` with no break before the next."""
    if position >= len(sentence.tokens):
        return False
    following = sentence.tokens[position]
    gap = sentence.text[sentence.tokens[position - 1].end : following.start]
    return not (_BREAKS & set(gap)) and following.word not in _CLAUSE_WORDS
