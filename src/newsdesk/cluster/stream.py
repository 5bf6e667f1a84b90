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

from newsdesk.cluster.features import clean_text, extract_features
from newsdesk.cluster.index import BatchScores, CentroidIndex
from newsdesk.cluster.story import (
    Probe,
    StoryProfile,
    TermStats,
    Weights,
    fit_above,
)
from newsdesk.embed import Embedder
from newsdesk.records import Assignment, Document

BATCH = 256
CANDIDATES = 8


@dataclass(frozen=True)
class ClusterConfig:
    threshold: float = 1.1
    window: timedelta = timedelta(hours=96)
    weights: Weights = field(default_factory=Weights)
    merge_threshold: float = 0.7
    # Average document-pair log-odds (cluster/linkage.py): below split_threshold a story's
    # two halves are split apart; two stories need merge_link to merge.
    split_threshold: float = 0.0
    merge_link: float = -2.5


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
        self.seeded = 0  # documents restored by seed(): the statistics before this run
        self._now: datetime | None = None
        self._batch: BatchScores | None = None
        self._dropped: set[int] = set()  # slots freed during the current batch
        self._last_sweep: datetime | None = None

    # --- input -------------------------------------------------------------

    def seed(self, story_id: str, documents: Sequence[Document]) -> None:
        """Restore a known story (from the database) without deciding anything."""
        for doc, probe in zip(documents, self.probes(documents), strict=True):
            self._join(story_id, probe, doc.id)
        self.seeded += len(documents)
        self.touched.discard(story_id)

    def learn(self, documents: Sequence[Document]) -> None:
        """Count documents in the term statistics only (they join no story here): the
        closed stories' reports of the window, so that a run that starts from the store
        weighs terms as the one stream would have."""
        for doc in documents:
            self.stats.count(extract_features(doc, clean_text(doc)))
        self.seeded += len(documents)

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
        self._batch = batch = BatchScores(self.index, np.stack([p.dense for p in probes]))
        self._dropped.clear()
        changed: set[str] = set()
        result = []
        try:
            for row, (doc, probe) in enumerate(zip(chunk, probes, strict=True)):
                self._advance_clock(doc.published)
                story_id = self._original_story(doc) or self._best_story(probe, row, changed)
                story_id = story_id or self._new_story_id(doc.id)
                self._join(story_id, probe, doc.id)
                batch.refresh(row, self.slots[story_id], self.stories[story_id].centroid())
                changed.add(story_id)
                result.append(Assignment(id=doc.id, story=story_id))
        finally:
            self._batch = None
        return result

    def _original_story(self, doc: Document) -> str | None:
        story = self.story_of.get(doc.duplicate_of) if doc.duplicate_of else None
        return story if story in self.stories else None

    def _best_story(self, probe: Probe, row: int, changed: set[str]) -> str | None:
        """The candidate that fits best (on a tie the smaller id), if it reaches the threshold.

        Candidates are tried most similar first, and one whose upper bound (fit_ceiling,
        then the exact rest of the fit with the lexical part at its best) is below the
        threshold and the best fit so far is skipped: the lexical cosine, the costliest
        part, is computed for few of them, with the same result as ``fit`` for all.
        """
        weights = self.config.weights
        nearest = []
        for story_id in self._candidates(row, changed):
            story = self.stories.get(story_id)
            if story is None or self._outside_window(probe.published, story.latest):
                continue
            nearest.append((float(probe.dense @ story.centroid()), story_id, story))
        nearest.sort(key=lambda found: (-found[0], found[1]))
        bar = self.config.threshold
        best: tuple[float, str] | None = None
        for dense, story_id, story in nearest:
            score = fit_above(probe, story, dense, weights, bar)  # exactly fit(), or None
            if score is None:
                continue
            if best is None or score > best[0] or (score == best[0] and story_id < best[1]):
                best = (score, story_id)
                bar = max(bar, score)
        if best is None or best[0] < self.config.threshold:
            return None
        return best[1]

    def _candidates(self, row: int, changed: set[str]) -> set[str]:
        """The CANDIDATES stories nearest by dense similarity, as if decided one at a time.

        The batch's scores are fresh for stories changed earlier in the batch (see
        BatchScores), so the nearest stories are simply the row's best slots.
        """
        batch = self._batch
        assert batch is not None
        if self._dropped:
            return self._candidates_after_drops(batch, row, changed)
        ids = self.index.ids
        return {found for slot in batch.top(row, CANDIDATES, ids) if (found := ids[slot])}

    def _candidates_after_drops(self, batch: BatchScores, row: int, changed: set[str]) -> set[str]:
        """As decided before BatchScores, once stories closed during the batch.

        A closed story keeps its score from the start of the batch and takes one of the
        index's CANDIDATES places before being left out, while stories changed earlier in
        the batch compete with fresh scores for the places: the same decisions as before.
        """
        stale = batch.matrix[row].copy()
        for freed in self._dropped:
            if freed in batch.original:
                stale[freed] = batch.original[freed][row]
        fresh: list[tuple[float, str]] = []
        for story_id in changed:
            slot = self.slots.get(story_id)
            if slot is None or story_id not in self.stories:
                continue
            stale[slot] = -np.inf
            fresh.append((float(batch.matrix[row, slot]), story_id))
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
        slot = self.slots.pop(story_id)
        self.index.remove(slot)
        if self._batch is not None:
            self._dropped.add(slot)
        self.touched.discard(story_id)
