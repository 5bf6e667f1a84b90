"""One clustering run, the cluster stage's entry point: seed, assign, correct, close.

The sequence is written here only. The pipeline runs it on the new documents with the open
stories, the closed stories' recent reports, the past splits and the stream time from the
store; ``newsdesk cluster FILE`` (:func:`cluster_documents`) and the evaluation run it on
plain records.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime

from newsdesk.cluster.revise import Move, PastSplit, revise
from newsdesk.cluster.stream import ClusterConfig, StoryClusterer
from newsdesk.embed import Embedder, get_embedder
from newsdesk.records import Assignment, Document


@dataclass(frozen=True)
class ClusterRun:
    """What one run decided."""

    assignments: list[Assignment]
    """The story of each new document, in order, after the corrections."""
    story_of: dict[str, str]
    """The story of every document the run placed: the existing stories' and the new."""
    moves: list[Move]
    """The correction pass's merges and splits, in the order made."""
    closed: list[str]
    """Stories closed: idle during the stream, or at ``now``."""

    def changed(self) -> set[str]:
        """Stories whose documents changed (to be written again); merged ones are gone."""
        merged = {m.source for m in self.moves if m.kind == "merge"}
        changed = {a.story for a in self.assignments} | {m.target for m in self.moves}
        changed |= {m.source for m in self.moves if m.kind == "split"}
        return changed - merged


def cluster_stream(
    documents: Sequence[Document],
    *,
    existing: Mapping[str, Sequence[Document]] | None = None,
    background: Sequence[Document] = (),
    splits: Sequence[PastSplit] = (),
    now: datetime | None = None,
    config: ClusterConfig | None = None,
    embedder: Embedder | None = None,
    corrections: bool = True,
) -> ClusterRun:
    """Assign each document, in the given order, to an existing or a new story.

    ``existing``: the open stories to restore first (in story id order); ``background``:
    documents counted in the term statistics only (the closed stories' reports of the
    window, so that a run starting from the store weighs terms as one stream would have).
    With ``corrections`` the merge/split pass runs once at the end, looking again at the
    past ``splits`` that are due. With ``now`` (stream time) idle stories are closed last.
    """
    clusterer = StoryClusterer(embedder or get_embedder(), config)
    known: dict[str, Document] = {}
    for story_id in sorted(existing or {}):
        docs = (existing or {})[story_id]
        clusterer.seed(story_id, docs)
        known.update((doc.id, doc) for doc in docs)
    clusterer.learn(background)
    clusterer.assign(documents)
    known.update((doc.id, doc) for doc in documents)
    moves = revise(clusterer, known, splits) if corrections else []
    if now is not None:
        clusterer.close_idle(now)  # recorded in clusterer.closed
    return ClusterRun(
        assignments=[Assignment(id=doc.id, story=clusterer.story_of[doc.id]) for doc in documents],
        story_of=dict(clusterer.story_of),
        moves=moves,
        closed=list(clusterer.closed),
    )


def cluster_documents(
    documents: Sequence[Document],
    *,
    existing: Mapping[str, Sequence[Document]] | None = None,
    config: ClusterConfig | None = None,
    embedder: Embedder | None = None,
    corrections: bool = True,
) -> list[Assignment]:
    """The assignments of :func:`cluster_stream`, for plain records (``newsdesk cluster``)."""
    if not documents:
        return []
    run = cluster_stream(
        documents, existing=existing, config=config, embedder=embedder, corrections=corrections
    )
    return run.assignments
