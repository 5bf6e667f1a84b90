"""Group documents into stories: an online clusterer with a correction pass.

``cluster_documents`` is the plain-records entry point (used by ``newsdesk cluster FILE``
and the evaluation); the pipeline drives :class:`StoryClusterer` and :func:`revise`
directly so that it can also record closed stories and merge/split moves.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from newsdesk.cluster.revise import Move, PastSplit, revise
from newsdesk.cluster.stream import ClusterConfig, StoryClusterer, story_id_for
from newsdesk.embed import Embedder, get_embedder
from newsdesk.records import Assignment, Document


def cluster_documents(
    documents: Sequence[Document],
    *,
    existing: Mapping[str, Sequence[Document]] | None = None,
    config: ClusterConfig | None = None,
    embedder: Embedder | None = None,
    corrections: bool = True,
) -> list[Assignment]:
    """Assign each document, in the given order, to an existing or a new story.

    With ``corrections`` the merge/split pass runs once at the end, and the returned
    assignments are the final ones.
    """
    if not documents:
        return []
    clusterer = StoryClusterer(embedder or get_embedder(), config)
    known: dict[str, Document] = {}
    for story_id in sorted(existing or {}):
        docs = (existing or {})[story_id]
        clusterer.seed(story_id, docs)
        known.update((doc.id, doc) for doc in docs)
    clusterer.assign(documents)
    if corrections:
        known.update((doc.id, doc) for doc in documents)
        revise(clusterer, known)
    return [Assignment(id=doc.id, story=clusterer.story_of[doc.id]) for doc in documents]


__all__ = [
    "ClusterConfig",
    "Move",
    "PastSplit",
    "StoryClusterer",
    "cluster_documents",
    "revise",
    "story_id_for",
]
