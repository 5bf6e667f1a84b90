"""Open stories' centroids in one matrix, so candidate search is one matrix product.

A batch of documents is compared with every open story at once (a BLAS matrix product),
and only the few best stories per document are then scored in full. Closed stories give
their row back for reuse, so memory follows the number of open stories, not of all stories.
"""

from __future__ import annotations

import numpy as np
from numpy.typing import NDArray


class CentroidIndex:
    def __init__(self, dim: int, capacity: int = 1024) -> None:
        self.dim = dim
        self.matrix = np.zeros((capacity, dim), dtype=np.float32)
        self.active = np.zeros(capacity, dtype=bool)
        self.ids: list[str | None] = [None] * capacity
        self._free: list[int] = []
        self._used = 0

    def __len__(self) -> int:
        return int(self.active.sum())

    def add(self, story_id: str, centroid: NDArray[np.float32]) -> int:
        if self._free:
            slot = self._free.pop()
        else:
            if self._used == len(self.ids):
                self._grow()
            slot = self._used
            self._used += 1
        self.ids[slot] = story_id
        self.active[slot] = True
        self.matrix[slot] = centroid
        return slot

    def update(self, slot: int, centroid: NDArray[np.float32]) -> None:
        self.matrix[slot] = centroid

    def remove(self, slot: int) -> None:
        self.active[slot] = False
        self.matrix[slot] = 0.0
        self.ids[slot] = None
        self._free.append(slot)

    def scores(self, vectors: NDArray[np.float32]) -> NDArray[np.float32]:
        """Cosine of each vector (rows) with every slot in use; inactive slots get -inf."""
        used = self._used
        result = vectors @ self.matrix[:used].T
        result[:, ~self.active[:used]] = -np.inf
        return np.asarray(result, dtype=np.float32)

    def top(self, row: NDArray[np.float32], count: int) -> list[int]:
        """Slots of the ``count`` best scores in ``row``, best first (ties by story id)."""
        finite = np.flatnonzero(np.isfinite(row))
        if len(finite) > count:
            part = np.argpartition(-row[finite], count - 1)[:count]
            finite = finite[part]
        return sorted(finite.tolist(), key=lambda s: (-float(row[s]), self.ids[s] or ""))

    def _grow(self) -> None:
        capacity = len(self.ids) * 2
        matrix = np.zeros((capacity, self.dim), dtype=np.float32)
        matrix[: len(self.ids)] = self.matrix
        active = np.zeros(capacity, dtype=bool)
        active[: len(self.ids)] = self.active
        self.matrix, self.active = matrix, active
        self.ids.extend([None] * (capacity - len(self.ids)))
