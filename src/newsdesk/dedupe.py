"""Same article twice? Exact content hashes and near-duplicates (URLs are made canonical
before they identify anything: ``canonical.py``).

* Exact duplicates (same text up to whitespace and case) are dropped.
* Near-duplicates (the same wire story syndicated by several outlets, with a different
  headline, a line added or the last paragraphs cut) are kept and linked to their
  original through ``Document.duplicate_of``, so that a story counts them as one source.
  MinHash LSH over word 5-gram shingles finds candidates (estimated Jaccard >= 0.5);
  a candidate is a copy when most of the shorter text's shingles are in the other (the
  containment, estimated from the Jaccard and the two shingle counts) - Jaccard alone
  would miss a copy cut short by a quarter.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from datetime import datetime, timedelta

from datasketch import MinHash, MinHashLSH

from newsdesk.records import Document

SHINGLE_WORDS = 5
NUM_PERM = 128
CANDIDATE_JACCARD = 0.5
_TOKEN = re.compile(r"\w+")
# Drawing the permutations costs more than hashing a short text: draw them once (seed 1).
_TEMPLATE = MinHash(num_perm=NUM_PERM, seed=1)


def drop_exact_duplicates(
    documents: Iterable[Document], seen_hashes: set[str] | None = None
) -> Iterator[Document]:
    """Yield each document whose content hash has not been seen; remembers what it yields."""
    seen = seen_hashes if seen_hashes is not None else set()
    seen_ids: set[str] = set()
    for doc in documents:
        digest = doc.content_hash
        if digest in seen or doc.id in seen_ids:
            continue
        seen.add(digest)
        seen_ids.add(doc.id)
        yield doc


# --- near-duplicates -----------------------------------------------------------------


def shingles_of(text: str, size: int = SHINGLE_WORDS) -> set[bytes]:
    """Word n-grams of the case-folded text (a text shorter than n is one shingle)."""
    words = _TOKEN.findall(text.casefold())
    if len(words) <= size:
        return {" ".join(words).encode()} if words else set()
    return {" ".join(words[i : i + size]).encode() for i in range(len(words) - size + 1)}


@dataclass(frozen=True)
class Signature:
    minhash: MinHash
    size: int
    """How many distinct shingles the text has."""

    @classmethod
    def of(cls, text: str) -> Signature:
        shingles = shingles_of(text)
        minhash = MinHash(
            num_perm=NUM_PERM, permutations=_TEMPLATE.permutations, scheme=_TEMPLATE.scheme
        )
        minhash.update_batch(list(shingles))
        return cls(minhash, len(shingles))

    def containment(self, other: MinHash, other_size: int) -> float:
        """Estimated share of the smaller shingle set that is in the other one.

        |A & B| = J * |A | B| and |A | B| = (|A| + |B|) / (1 + J).
        """
        jaccard = float(self.minhash.jaccard(other))
        smaller = min(self.size, other_size)
        if smaller == 0:
            return 0.0
        shared = jaccard * (self.size + other_size) / (1.0 + jaccard)
        return min(1.0, shared / smaller)


@dataclass(frozen=True)
class Placement:
    """Where a new document stands among the originals."""

    document: Document
    """The document, with ``duplicate_of`` set when it copies an earlier original."""
    demoted: str | None = None
    """An indexed original that turned out to copy this (earlier published) document."""


class NearDuplicateIndex:
    """Originals seen so far; finds the one a new text nearly copies.

    LSH narrows the candidates; the estimated containment decides, so an answer always
    meets ``threshold`` (the share of the shorter text found in the longer). With a
    ``window``, an original published further than that from the new document's own
    publication time is not its original (the look-back is stream time, not wall clock).
    """

    def __init__(self, threshold: float = 0.8, window: timedelta | None = None) -> None:
        self.threshold = threshold
        self.window = window
        self._lsh = MinHashLSH(threshold=CANDIDATE_JACCARD, num_perm=NUM_PERM)
        self._signatures: dict[str, MinHash] = {}
        self._sizes: dict[str, int] = {}
        self._published: dict[str, datetime | None] = {}
        self._order: dict[str, int] = {}

    def __len__(self) -> int:
        return len(self._signatures)

    def add(self, document: Document) -> None:
        self._insert(document.id, Signature.of(document.text), document.published)

    def find_original(self, text: str) -> str | None:
        """The id of the most similar original at or above the threshold (earliest on a tie)."""
        return self._best_match(Signature.of(text))

    def place(self, document: Document) -> Placement:
        """Link ``document`` to the original it copies, or index it as an original.

        The original of a pair is the one published first: when a copy was indexed before
        its (earlier published) original arrived, the copy is demoted and reported.
        """
        signature = Signature.of(document.text)
        match = self._best_match(signature, document.published)
        if match is None or match == document.id:
            self._insert(document.id, signature, document.published)
            return Placement(document)
        if published_before(document.published, self._published[match]):
            self._remove(match)
            self._insert(document.id, signature, document.published)
            return Placement(document, demoted=match)
        return Placement(document.model_copy(update={"duplicate_of": match}))

    def _best_match(self, signature: Signature, published: datetime | None = None) -> str | None:
        best: tuple[float, int, str] | None = None
        for candidate in self._lsh.query(signature.minhash):
            if self._out_of_window(published, self._published[candidate]):
                continue
            similarity = signature.containment(self._signatures[candidate], self._sizes[candidate])
            if similarity < self.threshold:
                continue
            key = (-similarity, self._order[candidate], candidate)
            best = key if best is None or key < best else best
        return None if best is None else best[2]

    def _out_of_window(self, first: datetime | None, second: datetime | None) -> bool:
        if self.window is None or first is None or second is None:
            return False
        return abs(first - second) > self.window

    def _insert(self, doc_id: str, signature: Signature, published: datetime | None) -> None:
        if doc_id in self._signatures:
            return
        self._lsh.insert(doc_id, signature.minhash)
        self._signatures[doc_id] = signature.minhash
        self._sizes[doc_id] = signature.size
        self._published[doc_id] = published
        self._order[doc_id] = len(self._order)

    def _remove(self, doc_id: str) -> None:
        self._lsh.remove(doc_id)
        del self._signatures[doc_id], self._sizes[doc_id], self._published[doc_id]


def published_before(first: datetime | None, second: datetime | None) -> bool:
    return first is not None and second is not None and first < second


def link_near_duplicates(
    documents: Iterable[Document], index: NearDuplicateIndex
) -> Iterator[Document]:
    """Each document, with ``duplicate_of`` set when it nearly copies an indexed original.

    For a batch in hand (file mode): documents are placed in order of publication, so
    the first published of a group is its original. A document that already names its
    original is passed through unchanged.
    """
    batch = list(documents)
    order = sorted(
        range(len(batch)), key=lambda i: (batch[i].published is None, batch[i].published or 0, i)
    )
    placed: dict[int, Document] = {}
    for i in order:
        document = batch[i]
        placed[i] = document if document.duplicate_of else index.place(document).document
    return (placed[i] for i in range(len(batch)))
