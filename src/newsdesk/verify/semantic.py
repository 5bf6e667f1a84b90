"""Embedding signals: how close a claim is in meaning to its evidence, beyond shared words.

The lexical signals see only words the claim and its sources share. Two measurements with
the clustering model (WordLlama, ``newsdesk.embed``) add what they miss:

- *similarity*: the cosine between the claim sentence and the closest evidence sentence,
  or the part of its aligned sentence that it copies from (its first to its last copied
  word), whichever is higher. A stitched or garbled sentence keeps its words but drifts
  in meaning; comparing with the copied part keeps a short claim from looking distant
  only because its source sentence is long. Names after a text's first word are left
  out of both sides: whether a name is in the sources is the lexical signals' business,
  and a claim that puts "Ada Finch" where its sentence says "she" says the same thing;
- *weakest word*: for each content word of the claim that the sources lack, its highest
  cosine with any content word of the evidence; the claim keeps its lowest. A reworded
  claim's new words have near neighbours in the sources, an invented one's do not.

Evidence vectors are computed once per evidence index, on first use (a verbatim claim
never needs them); word vectors are cached per word for the process.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from newsdesk.embed import Vectors, get_embedder
from newsdesk.text import Token

# Word vectors kept for the process; the cache is emptied when it grows past this.
MAX_CACHED_WORDS = 200_000

_word_vectors: dict[str, np.ndarray] = {}


@dataclass(frozen=True, slots=True)
class SemanticEvidence:
    """Unit vectors of the evidence sentences and of its distinct content words."""

    sentences: Vectors
    words: Vectors


def plain_text(tokens: Sequence[Token]) -> str:
    """The words as compared by meaning: lower case, names after the first word left out."""
    return " ".join(t.word for i, t in enumerate(tokens) if i == 0 or t.number or not t.capitalised)


def build_semantic(sentences: Sequence[Sequence[Token]], words: Sequence[str]) -> SemanticEvidence:
    embedder = get_embedder()
    return SemanticEvidence(embedder.embed([plain_text(s) for s in sentences]), embed_words(words))


def embed_words(words: Sequence[str]) -> Vectors:
    """Unit vectors of single words, in order (cached per word for the process)."""
    if not words:
        return np.zeros((0, get_embedder().dim), dtype=np.float32)
    # A local copy: another thread may empty the shared cache meanwhile.
    found = {w: v for w in words if (v := _word_vectors.get(w)) is not None}
    missing = [w for w in dict.fromkeys(words) if w not in found]
    if missing:
        if len(_word_vectors) + len(missing) > MAX_CACHED_WORDS:
            _word_vectors.clear()
        for word, vector in zip(missing, get_embedder().embed(missing), strict=True):
            found[word] = _word_vectors[word] = vector
    return np.stack([found[w] for w in words]).astype(np.float32, copy=False)


def similarity(
    claim: Sequence[Token], window: Sequence[Token], evidence: SemanticEvidence
) -> float:
    """The higher of the claim's cosine with the closest evidence sentence and with
    ``window``, the part of its aligned sentence it copies from (0 when neither exists)."""
    claim_vector, window_vector = get_embedder().embed([plain_text(claim), plain_text(window)])
    best = float((evidence.sentences @ claim_vector).max()) if len(evidence.sentences) else 0.0
    return max(best, float(window_vector @ claim_vector))


def weakest_word(words: Sequence[str], evidence: SemanticEvidence) -> float:
    """Lowest, over ``words`` (the claim's content words the sources lack), of the highest
    cosine with an evidence word (1 when there is none to compare)."""
    if not words:
        return 1.0
    if not len(evidence.words):
        return 0.0
    nearest = (embed_words(words) @ evidence.words.T).max(axis=1)
    return float(nearest.min())
