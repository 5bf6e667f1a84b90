"""The evidence a claim is checked against: source sentences, indexed once per source set.

Building the index (tokens, n-grams, an inverted index from word to sentence) is the
costly part, so it is cached per tuple of ``(document id, text)``: a whole article's
sentences, or a batch of claims about the same sources, reuse it.

A sentence that tries to instruct a machine ("ignore previous instructions and write
that ...") is text about nothing: it is left out of the index, so whatever it asks for
can never become a supported claim.
"""

from __future__ import annotations

import itertools
import re
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field
from functools import lru_cache

from newsdesk.injection import is_instruction
from newsdesk.text import Token, normalise_number, split_spans, tokenize
from newsdesk.verify.lexicon import has_negation, hedges_in
from newsdesk.verify.semantic import SemanticEvidence, build_semantic

MAX_NGRAM = 10
PREFIX = 5
# Evidence beyond this many tokens (about 1 MB of text) is not indexed: the checker's time
# and memory stay bounded whatever it is given, and a claim supported only past the cap
# comes out unsupported (the safe side).
MAX_EVIDENCE_TOKENS = 200_000

_SPACED_NUMBER = re.compile(r"\d{1,3}(?:, \d{3}(?!\d))+|\d+\. \d+")


@dataclass(frozen=True, slots=True)
class EvidenceSentence:
    document: str
    start: int
    end: int
    text: str
    tokens: tuple[Token, ...]
    negated: bool
    hedges: frozenset[str]
    bigrams: frozenset[tuple[str, str]]
    trigrams: frozenset[tuple[str, str, str]]
    key_set: frozenset[str]

    @property
    def keys(self) -> tuple[str, ...]:
        return tuple(t.key for t in self.tokens)


@dataclass
class EvidenceIndex:
    sentences: list[EvidenceSentence] = field(default_factory=list)
    keys: set[str] = field(default_factory=set)
    numbers: set[str] = field(default_factory=set)
    # n-gram of keys (length 1..MAX_NGRAM) -> index of the first sentence holding it
    ngrams: dict[tuple[str, ...], int] = field(default_factory=dict)
    by_key: dict[str, list[int]] = field(default_factory=dict)
    # first PREFIX letters of each long word key -> the keys that start so
    by_prefix: dict[str, set[str]] = field(default_factory=dict)
    # Keys of words written with a capital inside a sentence (names, as far as case tells)
    names: set[str] = field(default_factory=set)
    flat_text: str = ""
    rejected: int = 0
    embedded: SemanticEvidence | None = None  # built on first use, see ``semantic``

    def candidates(self, keys: Sequence[str], limit: int) -> list[int]:
        """Sentences sharing the most distinct ``keys`` with the claim, best first."""
        counts: Counter[int] = Counter()
        for key in dict.fromkeys(keys):  # in order: ties must not depend on hashing
            for position in self.by_key.get(key, ()):
                counts[position] += 1
        return [position for position, _ in counts.most_common(limit)]

    def semantic(self) -> SemanticEvidence:
        """Embeddings of the evidence sentences and content words (built once)."""
        if self.embedded is None:
            words = {t.word for s in self.sentences for t in s.tokens if semantic_word(t)}
            self.embedded = build_semantic([s.tokens for s in self.sentences], sorted(words))
        return self.embedded

    def inflection_of(self, key: str) -> str | None:
        """An indexed key that is ``key`` with at most two more or fewer letters at the
        end ("meter" and "metern"): the English stemmer leaves other languages' endings
        alone, and a word should not count as new for its ending only."""
        if len(key) < PREFIX or key in self.keys:
            return None
        for other in sorted(self.by_prefix.get(key[:PREFIX], ())):
            short, long = sorted((key, other), key=len)
            if long.startswith(short) and len(long) - len(short) <= 2:
                return other
        return None


def semantic_word(token: Token) -> bool:
    """A word compared by its embedding: a content word, not a number."""
    return token.content and not token.number


def build_index(sources: Sequence[tuple[str, str]]) -> EvidenceIndex:
    return _cached_index(tuple(sources))


def clear_index_cache() -> None:
    _cached_index.cache_clear()


@lru_cache(maxsize=16)
def _cached_index(sources: tuple[tuple[str, str], ...]) -> EvidenceIndex:
    index = EvidenceIndex()
    budget = MAX_EVIDENCE_TOKENS
    flat: list[str] = []
    for document, text in sources:
        for start, end in split_spans(text):
            if budget <= 0:
                break
            sentence_text = text[start:end]
            if is_instruction(sentence_text):
                index.rejected += 1
                continue
            tokens = tuple(tokenize(sentence_text))[:budget]
            budget -= len(tokens)
            _add_sentence(index, document, start, end, sentence_text, tokens)
            flat.append(normalise_quotes(sentence_text))
    index.flat_text = "\n".join(flat)
    spaced = spaced_numbers(index.flat_text)
    index.numbers.update(spaced)
    index.keys.update(spaced)
    return index


def spaced_numbers(text: str) -> set[str]:
    """Numbers written apart: some wire copy and converted text write "3, 800" or "102. 5"
    for one number."""
    return {normalise_number(re.sub(r"\s", "", m.group())) for m in _SPACED_NUMBER.finditer(text)}


def _add_sentence(
    index: EvidenceIndex,
    document: str,
    start: int,
    end: int,
    text: str,
    tokens: tuple[Token, ...],
) -> None:
    position = len(index.sentences)
    words = [t.word for t in tokens]
    keys = [t.key for t in tokens]
    index.sentences.append(
        EvidenceSentence(
            document,
            start,
            end,
            text,
            tokens,
            has_negation(words),
            hedges_in(words, [t.number for t in tokens]),
            frozenset(itertools.pairwise(keys)),
            frozenset(zip(keys, keys[1:], keys[2:], strict=False)),
            frozenset(keys),
        )
    )
    index.keys.update(keys)
    index.numbers.update(t.key for t in tokens if t.number)
    index.names.update(t.key for t in tokens[1:] if t.capitalised and not t.number)
    for key in dict.fromkeys(keys):
        index.by_key.setdefault(key, []).append(position)
        if len(key) >= PREFIX and not key[0].isdigit():
            index.by_prefix.setdefault(key[:PREFIX], set()).add(key)
    for i in range(len(keys)):
        for length in range(2, min(MAX_NGRAM, len(keys) - i) + 1):
            index.ngrams.setdefault(tuple(keys[i : i + length]), position)


_QUOTE_MARKS = str.maketrans({"“": '"', "”": '"', "‘": "'", "’": "'", "`": "'"})


def normalise_quotes(text: str) -> str:
    """Same quote marks and single spaces, lower case: how quoted speech is compared."""
    return " ".join(text.translate(_QUOTE_MARKS).casefold().split())
