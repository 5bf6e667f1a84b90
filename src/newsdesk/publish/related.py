"""What a published story is related to, by content ("Related stories").

Each story is one embedding (of its latest article); the nearest stories are found by one
matrix product against every other story's vector (``nearest.RelatedIndex``) rather than
comparing texts pairwise.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence

import numpy as np
from numpy.typing import NDArray

from newsdesk.embed import Embedder, get_embedder
from newsdesk.nearest import RelatedIndex
from newsdesk.records import Article

RELATED_COUNT = 3
_BATCH = 1024

Vector = NDArray[np.float32]
Related = list[tuple[str, float]]  # (story, score), best first
Nearest = Callable[[Vector, int], Related]
"""The ``count`` stories nearest to a vector, best first (the store's index answers it)."""


def article_text(article: Article) -> str:
    body = " ".join(s.text for s in article.sentences())
    facts = " ".join(f"{f.aspect} {f.detail}" for f in article.facts)
    return f"{article.headline}\n{article.standfirst}\n{body}\n{facts}"


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


def related_lists(
    vectors: Mapping[str, Vector], nearest: Nearest, vector_of: Callable[[str], Vector]
) -> dict[str, Related]:
    """Related stories of the stories in ``vectors`` (newly published) and of their
    neighbours, whose lists may now include them; ``vector_of`` gives a neighbour's stored
    vector. Only these lists change, so publishing costs a few nearest-neighbour queries
    however many stories the site holds."""
    wanted = RELATED_COUNT + 1  # the story itself comes back first
    related = {s: [n for n in nearest(v, wanted) if n[0] != s] for s, v in vectors.items()}
    for neighbour in {n for found in related.values() for n, _ in found} - set(related):
        found = nearest(vector_of(neighbour), wanted)
        related[neighbour] = [n for n in found if n[0] != neighbour]
    return {s: found[:RELATED_COUNT] for s, found in related.items()}
