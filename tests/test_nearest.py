"""Exact nearest neighbours by cosine (newsdesk.nearest): best first, ties by id."""

import numpy as np
import pytest

from newsdesk.nearest import RelatedIndex


def unit(*values: float) -> list[float]:
    vector = np.asarray(values, dtype=np.float32)
    return list(vector / np.linalg.norm(vector))


def test_nearest_come_best_first_with_their_scores() -> None:
    index = RelatedIndex(
        ["north", "east", "south"],
        np.asarray([unit(1, 0), unit(0, 1), unit(-1, 0)], dtype=np.float32),
    )
    found = index.query(np.asarray([unit(1, 0.2)], dtype=np.float32), 2)[0]
    assert [story for story, _ in found] == ["north", "east"]
    assert found[0][1] > found[1][1]


def test_ties_are_ordered_by_id_not_position() -> None:
    same = unit(1, 1)
    index = RelatedIndex(["c", "a", "b"], np.asarray([same, same, same], dtype=np.float32))
    found = index.query(np.asarray([same], dtype=np.float32), 3)[0]
    assert [story for story, _ in found] == ["a", "b", "c"]


def test_asking_for_none_or_more_than_there_are() -> None:
    index = RelatedIndex(["a"], np.asarray([unit(1, 0)], dtype=np.float32))
    assert index.query(np.asarray([unit(1, 0)], dtype=np.float32), 0) == [[]]
    assert [s for s, _ in index.query(np.asarray([unit(1, 0)], dtype=np.float32), 5)[0]] == ["a"]


def test_mismatched_ids_and_vectors_are_refused() -> None:
    with pytest.raises(ValueError, match="2 story ids but 1 vectors"):
        RelatedIndex(["a", "b"], np.zeros((1, 4), dtype=np.float32))
