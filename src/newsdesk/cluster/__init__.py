"""Group documents into stories: an online clusterer with a correction pass.

:func:`cluster_stream` is the stage's entry point, which the pipeline and the evaluation
call; :func:`cluster_documents` gives its assignments only (``newsdesk cluster FILE``).
The clusterer's parts (``StoryClusterer``, ``revise``) are exported for the tests and
benchmarks that look at one step.
"""

from __future__ import annotations

from newsdesk.cluster.revise import Move, PastSplit, revise
from newsdesk.cluster.run import ClusterRun, cluster_documents, cluster_stream
from newsdesk.cluster.stream import ClusterConfig, StoryClusterer, story_id_for

__all__ = [
    "ClusterConfig",
    "ClusterRun",
    "Move",
    "PastSplit",
    "StoryClusterer",
    "cluster_documents",
    "cluster_stream",
    "revise",
    "story_id_for",
]
