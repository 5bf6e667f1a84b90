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

    @property
    def used(self) -> int:
        """Slots ever handed out (rows of the matrix in use, active or freed)."""
        return self._used

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


# Slots per block: a document's best stories are searched block by block. With thousands
# of stories open, the 8 best usually lie in 8 different blocks, so the search reads 8
# blocks whatever their size, and a refresh takes a maximum over one block: 16 reads a
# quarter of what 64 did, and costs no more with a hundred stories.
BLOCK = 16


class BatchScores:
    """A batch's documents scored against every slot, kept fresh while deciding.

    When a story changes after document ``i`` joined it, only its column needs new scores,
    and only for the rows after ``i``: one matrix-vector product, instead of a dot product
    per changed story per later document. The best slots of a row are found through the
    per-block maxima: the ``count`` best scores all lie in the blocks whose maximum is at
    least the ``count``-th best block maximum, so only those blocks are read.

    The scores are stored slot by slot (``columns``: one row per slot, one column per
    document), because the frequent update is one slot for many documents: stored the
    other way round, it touches one value in each of up to 255 rows thousands of floats
    apart, and its cost grew with the number of open stories.
    """

    def __init__(self, index: CentroidIndex, vectors: NDArray[np.float32]) -> None:
        rows, used = len(vectors), index.used
        # Room for the slots stories opened during this batch may take.
        width = -(-(used + rows) // BLOCK) * BLOCK
        self.vectors = vectors
        self.columns = np.empty((width, rows), dtype=np.float32)
        # The same product as CentroidIndex.scores (same operands, same values), written
        # straight into place; unused and inactive slots score -inf.
        np.matmul(vectors, index.matrix[:used].T, out=self.columns[:used].T)
        self.columns[used:] = -np.inf
        self.columns[np.flatnonzero(~index.active[:used])] = -np.inf
        blocks = self.columns.reshape(-1, BLOCK, rows).max(axis=1)
        self.block_max = np.ascontiguousarray(blocks.T)  # (rows, blocks)
        self.original: dict[int, NDArray[np.float32]] = {}

    @property
    def matrix(self) -> NDArray[np.float32]:
        """The scores as (documents, slots): a view, not a copy."""
        return self.columns.T

    def refresh(self, row: int, slot: int, centroid: NDArray[np.float32]) -> None:
        """``slot`` has a new centroid since document ``row``: rescore the later rows."""
        if row + 1 >= len(self.vectors):
            return
        if slot not in self.original:
            self.original[slot] = self.columns[slot].copy()
        self.columns[slot, row + 1 :] = self.vectors[row + 1 :] @ centroid
        block = slot // BLOCK
        rows = self.columns[block * BLOCK : (block + 1) * BLOCK, row + 1 :]
        self.block_max[row + 1 :, block] = rows.max(axis=0)

    def top(self, row: int, count: int, ids: list[str | None]) -> list[int]:
        """Slots of the ``count`` best finite scores of ``row``; ties go to the smaller id."""
        maxima = self.block_max[row]
        if len(maxima) > count:
            least = np.partition(maxima, len(maxima) - count)[len(maxima) - count]
            blocks = np.flatnonzero(maxima >= least)
        else:
            blocks = np.flatnonzero(maxima > -np.inf)
        values = self.columns.reshape(-1, BLOCK, len(self.vectors))[blocks, :, row].ravel()
        # The count-th best of all the values read is finite unless fewer than count are:
        # then all the finite ones are the answer.
        least = -np.inf
        if len(values) > count:
            least = np.partition(values, len(values) - count)[len(values) - count]
        at = np.flatnonzero(values >= least if least > -np.inf else values > -np.inf)
        starts = blocks.tolist()
        found = [starts[i // BLOCK] * BLOCK + i % BLOCK for i in at.tolist()]
        if len(found) > count:  # ties at the last place: smaller story id first
            scored = dict(zip(found, values[at].tolist(), strict=True))
            found.sort(key=lambda s: (-scored[s], ids[s] or ""))
            found = found[:count]
        return found
