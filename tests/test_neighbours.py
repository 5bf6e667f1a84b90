"""Nearest stories by vector: pgvector's HNSW on PostgreSQL, exact numpy elsewhere."""

import numpy as np
from numpy.typing import NDArray

from newsdesk.records import Assignment, Document
from newsdesk.store import Store, repo
from newsdesk.store.neighbours import has_vector_column, nearest_finder, save_vectors


def unit(*values: float) -> NDArray[np.float32]:
    vector = np.zeros(256, dtype=np.float32)
    vector[: len(values)] = values
    return vector / np.linalg.norm(vector)


def stories(store: Store, names: list[str]) -> None:
    with store.session() as session:
        for name in names:
            repo.add_document(session, Document(id=f"d-{name}", text=f"About {name}."))
            repo.assign_documents(session, [Assignment(id=f"d-{name}", story=name)])


def test_nearest_stories_come_best_first(store: Store) -> None:
    stories(store, ["north", "north-east", "east", "south"])
    vectors = {
        "north": unit(1, 0),
        "north-east": unit(1, 1),
        "east": unit(0, 1),
        "south": unit(-1, 0),
    }
    with store.session() as session:
        save_vectors(session, "test-model", vectors)
    with store.session() as session:
        nearest = nearest_finder(session, "test-model")
        found = nearest(unit(1, 0.1), 3)
        assert [story for story, _ in found] == ["north", "north-east", "east"]
        assert found[0][1] > found[1][1] > found[2][1]
        if session.get_bind().dialect.name == "postgresql":
            assert has_vector_column(session)  # the pgvector/HNSW path, not the fallback


def test_merged_stories_are_not_offered(store: Store) -> None:
    stories(store, ["kept", "gone"])
    with store.session() as session:
        save_vectors(session, "m", {"kept": unit(1, 0), "gone": unit(1, 0.01)})
        repo.apply_move(session, "merge", "gone", "kept", ["d-gone"], score=2.0)
    with store.session() as session:
        assert [s for s, _ in nearest_finder(session, "m")(unit(1, 0), 5)] == ["kept"]


def test_no_vectors_no_neighbours(store: Store) -> None:
    with store.session() as session:
        assert nearest_finder(session, "none")(unit(1, 0), 3) == []
