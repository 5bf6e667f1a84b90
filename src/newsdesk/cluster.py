"""Group documents into stories: a streaming clusterer over TF-IDF vectors.

Each new document joins the most similar open story (cosine to the story's centroid) when
the similarity clears a threshold and the story has had a document within the time window;
otherwise it opens a new story. Story ids derive from the first document's id, so running
the same stream twice yields the same stories.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime, timedelta

import numpy as np
from numpy.typing import NDArray
from sklearn.feature_extraction.text import TfidfVectorizer

from newsdesk.records import Assignment, Document

DEFAULT_THRESHOLD = 0.22
DEFAULT_WINDOW = timedelta(hours=96)


@dataclass
class _Story:
    id: str
    vector_sum: NDArray[np.float64]
    latest: datetime | None
    members: list[str] = field(default_factory=list)

    def centroid(self) -> NDArray[np.float64]:
        norm = float(np.linalg.norm(self.vector_sum))
        return self.vector_sum / norm if norm else self.vector_sum

    def add(self, doc_id: str, vector: NDArray[np.float64], when: datetime | None) -> None:
        self.vector_sum = self.vector_sum + vector
        self.members.append(doc_id)
        if when is not None and (self.latest is None or when > self.latest):
            self.latest = when


def story_id_for(document_id: str) -> str:
    return "story-" + hashlib.sha256(document_id.encode("utf-8")).hexdigest()[:12]


def cluster_documents(
    documents: Sequence[Document],
    *,
    existing: Mapping[str, Sequence[Document]] | None = None,
    threshold: float = DEFAULT_THRESHOLD,
    window: timedelta = DEFAULT_WINDOW,
) -> list[Assignment]:
    """Assign each document, in the given order, to an existing or a new story."""
    existing = existing or {}
    if not documents:
        return []
    known = [doc for docs in existing.values() for doc in docs]
    vectors = _vectorise([*known, *documents])
    stories = _seed_stories(existing, vectors)
    assignments = []
    for doc in documents:
        vector = vectors[doc.id]
        story = _best_story(stories, vector, doc.published, threshold, window)
        if story is None:
            story = _Story(story_id_for(doc.id), np.zeros_like(vector), None)
            stories.append(story)
        story.add(doc.id, vector, doc.published)
        assignments.append(Assignment(id=doc.id, story=story.id))
    return assignments


def _vectorise(documents: Iterable[Document]) -> dict[str, NDArray[np.float64]]:
    docs = list(documents)
    texts = [f"{doc.title or ''}\n{doc.title or ''}\n{doc.text}" for doc in docs]
    vectorizer = TfidfVectorizer(
        sublinear_tf=True, stop_words="english", token_pattern=r"(?u)\b\w[\w'-]*\w\b|\b\d+\b"
    )
    try:
        matrix = vectorizer.fit_transform(texts).toarray()
    except ValueError:  # every text empty or only stop words
        matrix = np.zeros((len(docs), 1))
    return {doc.id: matrix[i] for i, doc in enumerate(docs)}


def _seed_stories(
    existing: Mapping[str, Sequence[Document]], vectors: Mapping[str, NDArray[np.float64]]
) -> list[_Story]:
    stories = []
    for story_id in sorted(existing):
        docs = existing[story_id]
        if not docs:
            continue
        story = _Story(story_id, np.zeros_like(vectors[docs[0].id]), None)
        for doc in docs:
            story.add(doc.id, vectors[doc.id], doc.published)
        stories.append(story)
    return stories


def _best_story(
    stories: Sequence[_Story],
    vector: NDArray[np.float64],
    when: datetime | None,
    threshold: float,
    window: timedelta,
) -> _Story | None:
    best: _Story | None = None
    best_score = threshold
    for story in stories:
        if when is not None and story.latest is not None and abs(when - story.latest) > window:
            continue
        score = float(story.centroid() @ vector)
        # Ties keep the earlier story, so the result does not depend on dict order.
        if score > best_score or (best is None and score >= best_score):
            best, best_score = story, score
    return best
