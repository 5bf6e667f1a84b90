"""Nearest published stories by embedding, for "Related stories".

On PostgreSQL with pgvector (migration 0008) the vectors also sit in a `vector` column
with an HNSW index and the database answers the query; elsewhere the vectors are loaded
once and searched exactly in memory (numpy), which suits an embedded installation.
"""

from __future__ import annotations

from collections.abc import Callable

import numpy as np
from numpy.typing import NDArray
from sqlalchemy import text
from sqlalchemy.orm import Session

from newsdesk.nearest import RelatedIndex
from newsdesk.store import repo

Finder = Callable[[NDArray[np.float32], int], list[tuple[str, float]]]

# The inner query is a bare "ORDER BY distance LIMIT n", the form pgvector answers from
# its HNSW index; merged stories and ties are dealt with on those few candidates.
_NEAREST = text(
    "SELECT c.story_id, 1 - c.distance AS score FROM ("
    "  SELECT story_id, embedding <=> CAST(:vector AS vector) AS distance"
    "  FROM story_vectors WHERE model = :model AND embedding IS NOT NULL"
    "  ORDER BY embedding <=> CAST(:vector AS vector) LIMIT :candidates) c"
    " JOIN stories s ON s.id = c.story_id WHERE s.merged_into IS NULL"
    " ORDER BY c.distance, c.story_id LIMIT :count"
)


def has_vector_column(session: Session) -> bool:
    bind = session.get_bind()
    if bind.dialect.name != "postgresql":
        return False
    found = session.execute(
        text(
            "SELECT 1 FROM information_schema.columns"
            " WHERE table_name = 'story_vectors' AND column_name = 'embedding'"
        )
    ).first()
    return found is not None


def save_vectors(session: Session, model: str, vectors: dict[str, NDArray[np.float32]]) -> None:
    """Store unit vectors (bytes for every backend, plus the pgvector column if present)."""
    repo.save_story_vectors(
        session, model, {s: np.asarray(v, dtype=np.float32).tobytes() for s, v in vectors.items()}
    )
    if has_vector_column(session):
        for story_id, vector in vectors.items():
            session.execute(
                text("UPDATE story_vectors SET embedding = CAST(:v AS vector) WHERE story_id = :s"),
                {"v": _literal(vector), "s": story_id},
            )


def nearest_finder(session: Session, model: str) -> Finder:
    """A function giving the ``count`` nearest stories to a vector, best first."""
    if has_vector_column(session):

        def query_database(vector: NDArray[np.float32], count: int) -> list[tuple[str, float]]:
            params = {
                "vector": _literal(vector),
                "model": model,
                "count": count,
                "candidates": count + 16,
            }
            rows = session.execute(_NEAREST, params)
            return [(story_id, round(float(score), 4)) for story_id, score in rows]

        return query_database
    stored = repo.load_story_vectors(session, model)
    ids = sorted(stored)
    rows = [np.frombuffer(stored[i], dtype=np.float32) for i in ids]
    matrix = np.vstack(rows) if rows else np.zeros((0, 1), dtype=np.float32)
    index = RelatedIndex(ids, matrix.astype(np.float32))

    def query_memory(vector: NDArray[np.float32], count: int) -> list[tuple[str, float]]:
        if not ids:
            return []
        return index.query(np.asarray([vector], dtype=np.float32), count)[0]

    return query_memory


def _literal(vector: NDArray[np.float32]) -> str:
    return "[" + ",".join(f"{float(x):.7g}" for x in vector) + "]"
