"""The online clusterer: each document joins the best open story or opens a new one.

Documents are taken in arrival order, in small batches only so that embeddings and the
candidate search run as matrix operations; every decision still sees all earlier documents,
including those earlier in the same batch. A near-duplicate joins its original's story.
A story that receives nothing for ``window`` (publication time) is closed and leaves the
search. Story ids derive from the first document, so the same stream gives the same ids.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import datetime, timedelta

import numpy as np
from numpy.typing import NDArray

from newsdesk.cluster.features import clean_text, extract_features
from newsdesk.cluster.index import CentroidIndex
from newsdesk.cluster.story import Probe, StoryProfile, TermStats, Weights, fit
from newsdesk.embed import Embedder
from newsdesk.records import Assignment, Document

BATCH = 256
CANDIDATES = 8


@dataclass(frozen=True)
class ClusterConfig:
    threshold: float = 1.1
    window: timedelta = timedelta(hours=96)
    weights: Weights = field(default_factory=Weights)
    merge_threshold: float = 1.0
    split_threshold: float = 1.1


def story_id_for(document_id: str) -> str:
    return "story-" + hashlib.sha256(document_id.encode("utf-8")).hexdigest()[:12]


class StoryClusterer:
    def __init__(self, embedder: Embedder, config: ClusterConfig | None = None) -> None:
        self.embedder = embedder
        self.config = config or ClusterConfig()
        self.stats = TermStats()
        self.index = CentroidIndex(embedder.dim)
        self.stories: dict[str, StoryProfile] = {}
        self.slots: dict[str, int] = {}
        self.story_of: dict[str, str] = {}
        self.closed: list[str] = []
        self.touched: set[str] = set()
        self._now: datetime | None = None
        self._last_sweep: datetime | None = None

    # --- input -------------------------------------------------------------

    def seed(self, story_id: str, documents: Sequence[Document]) -> None:
        """Restore a known story (from the database) without deciding anything."""
        for doc, probe in zip(documents, self.probes(documents), strict=True):
            self._join(story_id, probe, doc.id)
        self.touched.discard(story_id)

    def assign(self, documents: Iterable[Document]) -> list[Assignment]:
        """Assign documents in the given order; returns one Assignment per document."""
        docs = list(documents)
        assignments: list[Assignment] = []
        for start in range(0, len(docs), BATCH):
            chunk = docs[start : start + BATCH]
            assignments.extend(self._assign_batch(chunk))
        return assignments

    def probes(self, documents: Sequence[Document], *, count: bool = True) -> list[Probe]:
        """Documents as probes; ``count`` adds them to the term statistics (once each)."""
        texts = [clean_text(doc) for doc in documents]
        vectors = self.embedder.embed(texts)
        probes = []
        for doc, text, vector in zip(documents, texts, vectors, strict=True):
            features = extract_features(doc, text)
            if count:
                self.stats.count(features)
            probes.append(
                Probe(
                    terms=self.stats.vector(features),
                    dense=vector,
                    entities=self.stats.entity_weights(features),
                    numbers=features.numbers,
                    year=features.latest_year,
                    published=features.published,
                )
            )
        return probes

    # --- decisions ---------------------------------------------------------

    def _assign_batch(self, chunk: Sequence[Document]) -> list[Assignment]:
        probes = self.probes(chunk)
        dense = self.index.scores(np.stack([p.dense for p in probes]))
        changed: set[str] = set()
        result = []
        for row, doc, probe in zip(dense, chunk, probes, strict=True):
            self._advance_clock(doc.published)
            story_id = self._original_story(doc) or self._best_story(probe, row, changed)
            story_id = story_id or self._new_story_id(doc.id)
            self._join(story_id, probe, doc.id)
            changed.add(story_id)
            result.append(Assignment(id=doc.id, story=story_id))
        return result

    def _original_story(self, doc: Document) -> str | None:
        story = self.story_of.get(doc.duplicate_of) if doc.duplicate_of else None
        return story if story in self.stories else None

    def _best_story(self, probe: Probe, row: NDArray[np.float32], changed: set[str]) -> str | None:
        best: tuple[float, str] | None = None
        candidates = self._candidates(probe, row, changed)
        for story_id in sorted(c for c in candidates if c is not None and c in self.stories):
            story = self.stories[story_id]
            if self._outside_window(probe.published, story.latest):
                continue
            dense = float(probe.dense @ story.centroid())
            score = fit(probe, story, dense, self.config.weights)
            # Strictly greater: on a tie the smaller story id (sorted first) wins.
            if best is None or score > best[0]:
                best = (score, story_id)
        if best is None or best[0] < self.config.threshold:
            return None
        return best[1]

    def _candidates(self, probe: Probe, row: NDArray[np.float32], changed: set[str]) -> set[str]:
        """The CANDIDATES stories nearest by dense similarity, as if decided one at a time.

        Rows changed earlier in this batch were scored against stale centroids: they get a
        fresh score and compete for the same few places (scoring all of them in full made
        the cost grow with the number of stories a batch touches).
        """
        stale = row.copy()
        fresh: list[tuple[float, str]] = []
        for story_id in changed:
            slot = self.slots.get(story_id)
            if slot is None or story_id not in self.stories:
                continue
            if slot < len(stale):
                stale[slot] = -np.inf
            fresh.append((float(probe.dense @ self.index.matrix[slot]), story_id))
        pool = [
            (float(stale[slot]), found)
            for slot in self.index.top(stale, CANDIDATES)
            if (found := self.index.ids[slot]) is not None and found not in changed
        ]
        pool.extend(fresh)
        pool.sort(key=lambda scored: (-scored[0], scored[1]))
        return {story_id for _, story_id in pool[:CANDIDATES]}

    def _outside_window(self, when: datetime | None, latest: datetime | None) -> bool:
        return when is not None and latest is not None and abs(when - latest) > self.config.window

    def _new_story_id(self, doc_id: str) -> str:
        story_id = story_id_for(doc_id)
        while story_id in self.stories or story_id in self.closed:
            story_id = story_id_for(story_id)
        return story_id

    def _join(self, story_id: str, probe: Probe, doc_id: str) -> None:
        story = self.stories.get(story_id)
        if story is None:
            story = self.stories[story_id] = StoryProfile(story_id, self.embedder.dim)
            self.slots[story_id] = self.index.add(story_id, story.centroid())
        story.add(probe, [doc_id])
        self.index.update(self.slots[story_id], story.centroid())
        self.story_of[doc_id] = story_id
        self.touched.add(story_id)

    # --- closing -----------------------------------------------------------

    def _advance_clock(self, when: datetime | None) -> None:
        if when is None or (self._now is not None and when <= self._now):
            return
        self._now = when
        # Sweeping is a scan of all open stories: do it when the clock moved enough.
        if self._last_sweep is None or when - self._last_sweep > self.config.window / 8:
            self._last_sweep = when
            self.close_idle(when)

    def close_idle(self, now: datetime) -> list[str]:
        """Close open stories whose latest document is older than the window."""
        idle = sorted(
            story_id
            for story_id, story in self.stories.items()
            if story.latest is not None and now - story.latest > self.config.window
        )
        for story_id in idle:
            self.drop(story_id)
            self.closed.append(story_id)
        return idle

    def drop(self, story_id: str) -> None:
        """Forget an open story's profile (closed, or merged into another)."""
        del self.stories[story_id]
        self.index.remove(self.slots.pop(story_id))
        self.touched.discard(story_id)
