"""Publishing helpers: whether a story has enough independent sources, and what a
published story is related to, by content.

Each story is one embedding (of its latest article); the nearest stories are found by one
matrix product against every other story's vector, so a query costs one pass over a
float32 matrix (100,000 stories x 256 dimensions is 100 MB) rather than comparing texts
pairwise. See BENCHMARKS.md for the query times at 100,000 stories.
"""

from __future__ import annotations

from collections.abc import Sequence
from urllib.parse import urlsplit

import numpy as np
from numpy.typing import NDArray

from newsdesk.embed import Embedder, get_embedder
from newsdesk.records import Article, Document

RELATED_COUNT = 3
_BATCH = 1024


def independent_outlets(documents: Sequence[Document]) -> int:
    """Outlets that reported the story themselves: a syndicated copy (``duplicate_of``)
    is not another source, and one outlet's several reports count once."""
    outlets = {_outlet(d) for d in documents if d.duplicate_of is None}
    return len(outlets)


def _outlet(document: Document) -> str:
    if document.source:
        return document.source.casefold()
    host = urlsplit(document.url).hostname if document.url else None
    return (host or document.id).removeprefix("www.")


def article_text(article: Article) -> str:
    body = " ".join(s.text for s in article.sentences())
    facts = " ".join(f"{f.aspect} {f.detail}" for f in article.facts)
    return f"{article.headline}\n{article.standfirst}\n{body}\n{facts}"


class RelatedIndex:
    """Story vectors (unit rows) and their ids; nearest neighbours by cosine."""

    def __init__(self, ids: Sequence[str], vectors: NDArray[np.float32]) -> None:
        if len(ids) != len(vectors):
            raise ValueError(f"{len(ids)} story ids but {len(vectors)} vectors")
        self.ids = list(ids)
        self.vectors = np.ascontiguousarray(vectors, dtype=np.float32)

    def query(self, vectors: NDArray[np.float32], count: int) -> list[list[tuple[str, float]]]:
        """For each query row, the ``count`` best stories, best first (ties by id)."""
        scores = vectors @ self.vectors.T
        return [self._best(row, count) for row in scores]

    def _best(self, row: NDArray[np.float32], count: int) -> list[tuple[str, float]]:
        take = min(count, len(row))
        if take <= 0:
            return []
        # A few spare places so that ties at the cut are ordered by id, not by position.
        part = np.argpartition(-row, min(take + 4, len(row)) - 1)[: take + 4]
        ranked = sorted(part.tolist(), key=lambda j: (-round(float(row[j]), 6), self.ids[j]))
        return [(self.ids[j], round(float(row[j]), 4)) for j in ranked[:take]]


def embed_articles(
    articles: Sequence[Article], embedder: Embedder | None = None
) -> dict[str, NDArray[np.float32]]:
    """One unit vector per article's story (of its headline, standfirst, body and facts)."""
    if not articles:
        return {}
    embedder = embedder or get_embedder()
    vectors = np.asarray(embedder.embed([article_text(a) for a in articles]), dtype=np.float32)
    norms = np.linalg.norm(vectors, axis=1, keepdims=True)
    units = (vectors / np.where(norms == 0, 1.0, norms)).astype(np.float32)
    return {a.story: units[i] for i, a in enumerate(articles)}


def find_related(
    articles: Sequence[Article], count: int = RELATED_COUNT, embedder: Embedder | None = None
) -> dict[str, list[tuple[str, float]]]:
    """For each article's story, the ``count`` most similar other stories, best first.

    Every story gets ``count`` neighbours when there are enough stories, even weak ones,
    so that a reader always has somewhere to go next; scores let the site rank them.
    """
    if len(articles) < 2:
        return {a.story: [] for a in articles}
    embedder = embedder or get_embedder()
    ids = [a.story for a in articles]
    index = RelatedIndex(ids, embedder.embed([article_text(a) for a in articles]))
    related: dict[str, list[tuple[str, float]]] = {}
    for start in range(0, len(ids), _BATCH):
        rows = index.vectors[start : start + _BATCH]
        for story_id, found in zip(ids[start:], index.query(rows, count + 1), strict=False):
            related[story_id] = [(s, score) for s, score in found if s != story_id][:count]
    return related
