import numpy as np

from newsdesk.cluster.index import BLOCK, BatchScores, CentroidIndex
from newsdesk.embed import normalise_rows


def unit_rows(rows: int, seed: int) -> np.ndarray:
    rng = np.random.default_rng(seed)
    return normalise_rows(rng.standard_normal((rows, 16)).astype(np.float32))


def filled_index(stories: int) -> CentroidIndex:
    index = CentroidIndex(16, capacity=4)
    for i, row in enumerate(unit_rows(stories, 1)):
        index.add(f"s{i:03d}", row)
    return index


def best_slots(scores: np.ndarray, count: int, ids: list[str | None]) -> list[int]:
    finite = [s for s in range(len(scores)) if np.isfinite(scores[s])]
    return sorted(finite, key=lambda s: (-float(scores[s]), ids[s] or ""))[:count]


def test_top_equals_a_full_sort_of_the_row() -> None:
    index = filled_index(3 * BLOCK + 5)
    index.remove(7)
    batch = BatchScores(index, unit_rows(5, 2))
    full = index.scores(batch.vectors)
    for row in range(5):
        assert sorted(batch.top(row, 8, index.ids)) == sorted(best_slots(full[row], 8, index.ids))
        assert 7 not in batch.top(row, 8, index.ids)


def test_top_with_fewer_stories_than_asked_returns_them_all() -> None:
    index = filled_index(3)
    batch = BatchScores(index, unit_rows(2, 3))
    assert sorted(batch.top(0, 8, index.ids)) == [0, 1, 2]


def test_ties_at_the_last_place_go_to_the_smaller_story_id() -> None:
    index = CentroidIndex(2, capacity=4)
    for name in ("c", "b", "a"):
        index.add(name, np.array([1.0, 0.0], dtype=np.float32))
    batch = BatchScores(index, np.array([[1.0, 0.0]], dtype=np.float32))
    assert sorted(index.ids[s] or "" for s in batch.top(0, 2, index.ids)) == ["a", "b"]


def test_refresh_rescores_only_the_later_rows_of_a_changed_story() -> None:
    index = filled_index(2 * BLOCK)
    vectors = unit_rows(6, 4)
    batch = BatchScores(index, vectors)
    before = batch.matrix.copy()
    centroid = unit_rows(1, 5)[0]
    index.update(10, centroid)
    batch.refresh(2, 10, centroid)
    assert np.array_equal(batch.matrix[:3], before[:3])
    assert np.allclose(batch.matrix[3:, 10], vectors[3:] @ centroid, atol=1e-6)
    fresh = index.scores(vectors)
    for row in range(3, 6):
        assert sorted(batch.top(row, 8, index.ids)) == sorted(best_slots(fresh[row], 8, index.ids))


def test_a_story_opened_during_the_batch_becomes_a_candidate() -> None:
    index = filled_index(BLOCK)
    vectors = unit_rows(3, 6)
    batch = BatchScores(index, vectors)
    slot = index.add("new", vectors[2])  # the third document's own direction
    batch.refresh(0, slot, vectors[2])
    assert slot >= BLOCK
    assert batch.top(2, 1, index.ids) == [slot]


def test_the_batch_scores_are_the_index_scores_value_for_value() -> None:
    index = filled_index(2 * BLOCK + 9)
    index.remove(3)
    index.remove(BLOCK + 6)
    vectors = unit_rows(7, 7)
    batch = BatchScores(index, vectors)
    expected = index.scores(vectors)
    # The same products; BLAS may sum them in another order for another shape (1 ulp).
    np.testing.assert_allclose(batch.matrix[:, : index.used], expected, rtol=1e-6, atol=1e-7)
    assert np.all(batch.matrix[:, index.used :] == -np.inf)


def test_block_maxima_stay_the_maxima_of_their_blocks_after_refreshes() -> None:
    index = filled_index(3 * BLOCK)
    vectors = unit_rows(9, 8)
    batch = BatchScores(index, vectors)
    for row, slot in enumerate([5, 5, BLOCK + 6, 2 * BLOCK + 2, 6, 5, 3 * BLOCK - 1, BLOCK + 6]):
        centroid = unit_rows(1, 100 + row)[0]
        index.update(slot, centroid)
        batch.refresh(row, slot, centroid)
    blocks = batch.matrix.reshape(len(vectors), -1, BLOCK).max(axis=2)
    assert np.array_equal(batch.block_max, blocks)


def test_top_equals_a_full_sort_with_closed_stories_and_ties() -> None:
    rng = np.random.default_rng(9)
    for stories in (5, BLOCK + 3, 4 * BLOCK):
        index = filled_index(stories)
        for slot in rng.choice(stories, size=stories // 2, replace=False):
            index.remove(int(slot))
        first, second = np.flatnonzero(index.active)[:2].tolist()
        index.update(second, index.matrix[first])  # two stories tie on every row
        vectors = unit_rows(4, stories)
        vectors[1] = index.matrix[first]
        batch = BatchScores(index, vectors)
        full = index.scores(vectors)
        for row in range(4):
            for count in (1, 3, 8, stories):
                expected = best_slots(full[row], count, index.ids)
                assert sorted(batch.top(row, count, index.ids)) == sorted(expected)
