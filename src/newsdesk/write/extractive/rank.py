"""Score every candidate sentence of a story by how central and well-attested it is.

Relevance mixes four signals, each in [0, 1]:

- centrality: for each *other* document, the best cosine match of this sentence there,
  averaged over those documents (what several outlets say is what happened);
- support: the share of other documents with a clearly similar sentence (confirmation);
- lead position: news puts the essentials first;
- key terms: words that several documents use (the story's actors, places, numbers).
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from newsdesk.text import content_words
from newsdesk.write.extractive.candidates import Candidate
from newsdesk.write.extractive.similarity import Matrix, TfIdf, cosine_matrix

SUPPORT_THRESHOLD = 0.3
WEIGHTS = {"centrality": 0.45, "support": 0.2, "lead": 0.2, "key": 0.15}


@dataclass(frozen=True)
class Ranking:
    """Candidates of a story (rows grouped by document) with their scores."""

    candidates: list[Candidate]
    tokens: list[list[str]]
    tfidf: TfIdf
    vectors: Matrix
    similarity: Matrix
    overlap: Matrix  # max(idf cosine, word-overlap cosine): what "says the same" means
    relevance: list[float]
    key_weights: dict[str, float]
    rows: dict[tuple[str, int], int]
    lead: list[float]  # 1 for a document's first prose sentence, 1/2 for the next ...

    def row_of(self, candidate: Candidate) -> int:
        return self.rows[(candidate.doc, candidate.index)]

    def next_in_document(self, row: int) -> int | None:
        following = row + 1
        same_doc = (
            following < len(self.candidates)
            and self.candidates[following].doc == self.candidates[row].doc
        )
        return following if same_doc else None

    def by_relevance(self) -> list[int]:
        """Rows ordered best first; ties by document id then position (deterministic)."""
        return sorted(
            range(len(self.candidates)),
            key=lambda i: (-self.relevance[i], self.candidates[i].doc, self.candidates[i].index),
        )


def rank_candidates(documents: Sequence[Sequence[Candidate]]) -> Ranking:
    """Score all sentences of the given documents (each a list of its candidates)."""
    candidates = [c for doc in documents for c in doc]
    tokens = [content_words(c.text) for c in candidates]
    tfidf = TfIdf(tokens)
    vectors = tfidf.vectors(tokens)
    similarity = cosine_matrix(vectors)
    overlap = np.maximum(similarity, cosine_matrix(tfidf.binary_vectors(tokens)))
    starts = _document_starts(documents)
    key_weights = _key_weights(tokens, candidates, len(starts))
    scores = {
        "centrality": 0.5 * _centrality(similarity, starts) + 0.5 * _closeness(vectors, starts),
        "support": _support(similarity, starts),
        "lead": _lead(candidates),
        "key": _key_density(tokens, key_weights),
    }
    relevance = np.zeros(len(candidates), dtype=np.float64)
    for name, values in scores.items():
        relevance += WEIGHTS[name] * values
    relevance *= _length_factor(candidates)
    return Ranking(
        candidates=candidates,
        tokens=tokens,
        tfidf=tfidf,
        vectors=vectors,
        similarity=similarity,
        overlap=overlap,
        relevance=[float(x) for x in relevance],
        key_weights=key_weights,
        rows={(c.doc, c.index): i for i, c in enumerate(candidates)},
        lead=[float(x) for x in scores["lead"]],
    )


def _document_starts(documents: Sequence[Sequence[Candidate]]) -> list[int]:
    starts, offset = [], 0
    for doc in documents:
        if doc:
            starts.append(offset)
        offset += len(doc)
    return starts


def _best_per_document(similarity: Matrix, starts: list[int]) -> Matrix:
    """(sentences x documents): best match in each document, own document zeroed."""
    if not starts:
        return np.zeros((similarity.shape[0], 0))
    best: Matrix = np.maximum.reduceat(similarity, starts, axis=1)
    own = np.searchsorted(starts, np.arange(similarity.shape[0]), side="right") - 1
    best[np.arange(similarity.shape[0]), own] = 0.0
    return best


def _centrality(similarity: Matrix, starts: list[int]) -> Matrix:
    if len(starts) < 2:  # one document: closeness to the rest of that document
        raw: Matrix = similarity.mean(axis=1) if similarity.size else np.zeros(0)
    else:
        raw = _best_per_document(similarity, starts).sum(axis=1) / (len(starts) - 1)
    peak = float(raw.max()) if raw.size else 0.0
    return raw / peak if peak > 0 else raw


def _closeness(vectors: Matrix, starts: list[int]) -> Matrix:
    """Cosine of each sentence with every *other* whole document, averaged: a long lead
    that sums up the story is close to all of them, though it matches no single sentence."""
    if len(starts) < 2 or not vectors.size:
        return np.zeros(vectors.shape[0])
    documents: Matrix = np.add.reduceat(vectors, starts, axis=0)
    norms = np.linalg.norm(documents, axis=1, keepdims=True)
    documents = documents / np.where(norms > 0, norms, 1.0)
    closeness: Matrix = vectors @ documents.T
    own = np.searchsorted(starts, np.arange(vectors.shape[0]), side="right") - 1
    closeness[np.arange(vectors.shape[0]), own] = 0.0
    raw: Matrix = closeness.sum(axis=1) / (len(starts) - 1)
    peak = float(raw.max())
    return raw / peak if peak > 0 else raw


def _support(similarity: Matrix, starts: list[int]) -> Matrix:
    if len(starts) < 2:
        return np.zeros(similarity.shape[0])
    best = _best_per_document(similarity, starts)
    supported: Matrix = (best >= SUPPORT_THRESHOLD).sum(axis=1) / (len(starts) - 1)
    return supported


def _lead(candidates: Sequence[Candidate]) -> Matrix:
    """1 for a document's first prose sentence, 1/2 for the second, and so on."""
    seen: Counter[str] = Counter()
    values = []
    for candidate in candidates:
        values.append(1.0 / (1 + seen[candidate.doc]))
        if candidate.prose:
            seen[candidate.doc] += 1
    return np.array(values, dtype=np.float64)


def _key_weights(
    tokens: Sequence[Sequence[str]], candidates: Sequence[Candidate], documents: int
) -> dict[str, float]:
    """Terms used by several documents, weighted by the share of documents using them."""
    per_doc: dict[str, set[str]] = {}
    for candidate, words in zip(candidates, tokens, strict=True):
        per_doc.setdefault(candidate.doc, set()).update(words)
    counts: Counter[str] = Counter(t for words in per_doc.values() for t in words)
    if documents < 2:
        counts = Counter(t for words in tokens for t in set(words))
        return {t: 1.0 for t, n in counts.items() if n >= 2}
    return {t: (n - 1) / (documents - 1) for t, n in counts.items() if n >= 2}


def _key_density(tokens: Sequence[Sequence[str]], weights: dict[str, float]) -> Matrix:
    """Weight of the story's shared terms a sentence carries, scaled so that the richest
    sentences (90th percentile) score 1: an informative lead beats a short generic line."""
    sums = np.array([sum(weights.get(t, 0.0) for t in set(words)) for words in tokens])
    if not sums.size:
        return sums
    top = float(np.percentile(sums, 90)) or 1.0
    scores: Matrix = np.minimum(1.0, sums / top)
    return scores


def _length_factor(candidates: Sequence[Candidate]) -> Matrix:
    """Very short sentences say little; very long ones crowd out others."""
    factors = [0.8 if c.words < 10 else 0.85 if c.words > 45 else 1.0 for c in candidates]
    return np.array(factors, dtype=np.float64)
