"""Exact nearest neighbours by cosine: story vectors (unit rows) searched by one matrix
product, so a query costs one pass over a float32 matrix (100,000 stories x 256 dimensions
is 100 MB). See BENCHMARKS.md for the query times at 100,000 stories.

Used where the vectors sit in memory: ``publish.find_related`` and the store's search
without pgvector (``store/neighbours.py``).
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
from numpy.typing import NDArray


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
