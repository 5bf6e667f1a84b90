"""Align a claim sentence with the source sentence it most likely came from, and diff them.

Summaries go wrong in two ways that the whole-article bag of words cannot see: they stitch
fragments of different source sentences together (a name from one, a verb from another),
and they cut a sentence so that what remains says something else. Both show only against
the *one* sentence the claim was built from. That sentence is the one sharing most word
pairs with the claim (then most content words); the claim is then diffed against it word
by word (``difflib`` on stemmed keys), and the edits are counted by kind:

- a *replacement* puts claim words where the sentence had others; a replaced word that the
  sources hold elsewhere is the stitching signature (``replaced_known``);
- a *gap* skips sentence words between two matched stretches of the claim;
- a claim that starts with a replacement has most likely swapped its subject.
"""

from __future__ import annotations

import difflib
from collections.abc import Sequence
from dataclasses import dataclass

from newsdesk.verify.evidence import EvidenceIndex, EvidenceSentence
from newsdesk.verify.text import Token

CANDIDATES = 10
MAX_LCS_TOKENS = 80


@dataclass(frozen=True, slots=True)
class Edits:
    """How a claim sentence differs from its aligned source sentence."""

    matched: float  # share of claim tokens in matching stretches
    replaced_known: int  # replaced claim content words found elsewhere in the sources
    replaced_new: int  # replaced claim content words found nowhere in the sources
    skipped_inside: int  # sentence content words skipped between matched stretches
    replaced_start: bool  # the claim's first words replace the sentence's


NO_EDITS = Edits(0.0, 0, 0, 0, False)


def best_sentence(index: EvidenceIndex, tokens: Sequence[Token]) -> int | None:
    """Position of the source sentence sharing most word pairs (then content words)."""
    keys = [t.key for t in tokens]
    content = [t.key for t in tokens if t.content] or keys
    pairs = set(zip(keys, keys[1:], strict=False))
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


def diff_against(tokens: Sequence[Token], sentence: EvidenceSentence, known: set[str]) -> Edits:
    claim = [t.key for t in tokens]
    source = list(sentence.keys)
    matcher = difflib.SequenceMatcher(None, claim, source, autojunk=False)
    opcodes = matcher.get_opcodes()
    equal = [op for op in opcodes if op[0] == "equal"]
    if not equal:
        return Edits(0.0, 0, 0, 0, bool(tokens))
    inside = (equal[0][4], equal[-1][3])  # sentence span between first and last match
    known_count = new_count = skipped = 0
    replaced_start = False
    for tag, i1, i2, j1, j2 in opcodes:
        content = [t for t in tokens[i1:i2] if t.content]
        if tag == "replace":
            known_count += sum(t.key in known for t in content)
            new_count += sum(t.key not in known for t in content)
            replaced_start = replaced_start or (i1 == 0 and bool(content))
        if tag in ("insert", "replace") and inside[0] <= j1 and j2 <= inside[1]:
            skipped += sum(1 for t in sentence.tokens[j1:j2] if t.content)
    matched = sum(i2 - i1 for _, i1, i2, _, _ in equal) / max(len(claim), 1)
    return Edits(matched, known_count, new_count, skipped, replaced_start)


def lcs_length(left: Sequence[str], right: Sequence[str]) -> int:
    a = left[:MAX_LCS_TOKENS]
    b = right[:MAX_LCS_TOKENS]
    previous = [0] * (len(b) + 1)
    for x in a:
        current = [0]
        for j, y in enumerate(b):
            current.append(previous[j] + 1 if x == y else max(previous[j + 1], current[j]))
        previous = current
    return previous[-1]
