"""The correction pass: merge two open stories, or split one, when the evidence changed.

Streaming decisions are made early, on little evidence. Later documents can show that two
stories are one (a story opened by an oddly worded first report), or that a story holds
two events (a second earthquake that joined the first one's story before its own names and
figures were known). Only stories that changed since the last pass are examined. Every
change is returned as a Move, so the store can record it and redirect merged stories.

Profiles propose (a merge candidate must fit); documents decide: the average link of the
two stories' documents taken two by two (cluster/linkage.py) gates a merge, and a split
cuts a story where its documents fall into two weakly linked halves.

A split made early rests on term statistics from few documents, and its two halves may
never change again, so no later pass would look at them. So a past split is looked at
again each time the statistics have doubled since it was made, and undone (a merge) when
the split check would no longer cut there.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, replace
from typing import Literal

from newsdesk.cluster.linkage import Evidence, average_link, halves, pair_scores
from newsdesk.cluster.story import Probe, StoryProfile, Weights, fit
from newsdesk.cluster.stream import StoryClusterer
from newsdesk.records import Document

NEIGHBOURS = 6
MAX_SPLIT_MEMBERS = 200  # the pair matrix is quadratic; bigger stories stay as they are


@dataclass(frozen=True)
class Move:
    kind: Literal["merge", "split"]
    source: str  # the story that gave documents (and, after a merge, no longer exists)
    target: str  # the story that received them
    documents: tuple[str, ...]
    score: float
    counted: int = 0  # documents in the term statistics when the move was made


@dataclass(frozen=True)
class PastSplit:
    """A split recorded earlier: ``kept`` kept the story id, ``part`` was opened by it."""

    kept: str
    part: str
    counted: int  # documents in the term statistics when it was made

    def due(self, before: int, now: int) -> bool:
        """The statistics have doubled (or doubled again) since the split during this run:
        they grew from ``before`` to ``now`` documents past ``counted`` times a power of 2."""
        mark = max(self.counted, 1) * 2
        while mark <= now:
            if mark > before:
                return True
            mark *= 2
        return False


def _story_weights(clusterer: StoryClusterer) -> Weights:
    # Two stories near in time are not thereby one: the recency bonus is for documents.
    return replace(clusterer.config.weights, recent=0.0)


def revise(
    clusterer: StoryClusterer,
    documents: Mapping[str, Document],
    splits: Sequence[PastSplit] = (),
) -> list[Move]:
    """Undo past splits whose reason has gone, then merge and split the stories changed
    since the last pass; returns the moves."""
    evidence = Evidence(documents, lambda docs: clusterer.probes(docs, count=False))
    moves = rejoin_splits(clusterer, evidence, splits)
    moves += merge_stories(clusterer, evidence)
    moves += split_stories(clusterer, documents, evidence)
    clusterer.touched.clear()
    return moves


def rejoin_splits(
    clusterer: StoryClusterer, evidence: Evidence, splits: Sequence[PastSplit]
) -> list[Move]:
    """Merge back the two halves of each due split that the split check would now keep."""
    before, now = clusterer.seeded, clusterer.stats.documents
    moves = []
    for split in splits:
        if split.kept not in clusterer.stories or split.part not in clusterer.stories:
            continue
        if not split.due(before, now):
            continue
        kept, part = clusterer.stories[split.kept], clusterer.stories[split.part]
        found = evidence.pair(kept.members, part.members)
        if found is None:
            continue
        cut = halves(found[0])
        link = average_link(found[0], *cut) if cut else clusterer.config.split_threshold
        if link >= clusterer.config.split_threshold:
            survivor, merged = _order_pair(clusterer, split.kept, split.part)
            moves.append(_merge(clusterer, survivor, merged, link))
    return moves


def merge_stories(clusterer: StoryClusterer, evidence: Evidence | None = None) -> list[Move]:
    moves: list[Move] = []
    pending = sorted(clusterer.touched)
    while pending:
        story_id = pending.pop(0)
        if story_id not in clusterer.stories:
            continue
        found = _best_partner(clusterer, story_id, evidence)
        if found is None:
            continue
        score, partner = found
        survivor, merged = _order_pair(clusterer, story_id, partner)
        moves.append(_merge(clusterer, survivor, merged, score))
        pending = sorted({*pending, survivor})
    return moves


def _best_partner(
    clusterer: StoryClusterer, story_id: str, evidence: Evidence | None
) -> tuple[float, str] | None:
    story = clusterer.stories[story_id]
    centroid = story.centroid()
    row = clusterer.index.scores(centroid[None, :])[0]
    best: tuple[float, str] | None = None
    for slot in clusterer.index.top(row, NEIGHBOURS + 1):
        other_id = clusterer.index.ids[slot]
        if other_id is None or other_id == story_id:
            continue
        other = clusterer.stories[other_id]
        if clusterer._outside_window(story.latest, other.latest):
            continue
        small, large = sorted((story, other), key=lambda s: (len(s.members), s.id))
        score = fit(
            small.as_probe(clusterer.stats), large, float(row[slot]), _story_weights(clusterer)
        )
        if score < clusterer.config.merge_threshold or (best is not None and score <= best[0]):
            continue
        if evidence is not None and not _documents_agree(clusterer, evidence, story, other):
            continue
        best = (score, other_id)
    return best


def _documents_agree(
    clusterer: StoryClusterer, evidence: Evidence, a: StoryProfile, b: StoryProfile
) -> bool:
    """The two stories' documents link well enough, and would not split straight back.

    A merge whose union the split check would cut exactly along the old line is refused
    (it would only be undone, and recorded twice, on every pass); one it would cut
    elsewhere is a re-grouping of the two stories' documents, and goes ahead.
    """
    found = evidence.pair(a.members, b.members)
    if found is None:
        return True
    scores, size = found
    left, right = range(size), range(size, len(scores))
    if average_link(scores, left, right) < clusterer.config.merge_link:
        return False
    cut = halves(scores)
    if cut is None or average_link(scores, *cut) >= clusterer.config.split_threshold:
        return True
    return cut[0] not in (list(left), list(right))


def _order_pair(clusterer: StoryClusterer, a: str, b: str) -> tuple[str, str]:
    """(survivor, merged): the bigger story survives; on equal size the smaller id."""
    size_a, size_b = len(clusterer.stories[a].members), len(clusterer.stories[b].members)
    if size_a > size_b or (size_a == size_b and a < b):
        return a, b
    return b, a


def _merge(clusterer: StoryClusterer, survivor_id: str, merged_id: str, score: float) -> Move:
    survivor, merged = clusterer.stories[survivor_id], clusterer.stories[merged_id]
    absorb(survivor, merged)
    clusterer.index.update(clusterer.slots[survivor_id], survivor.centroid())
    for doc_id in merged.members:
        clusterer.story_of[doc_id] = survivor_id
    clusterer.drop(merged_id)
    clusterer.touched.add(survivor_id)
    counted = clusterer.stats.documents
    return Move("merge", merged_id, survivor_id, tuple(merged.members), round(score, 4), counted)


def absorb(story: StoryProfile, other: StoryProfile) -> None:
    """Add ``other``'s documents to ``story``'s profile."""
    for term, value in other.terms.items():
        story.terms[term] = story.terms.get(term, 0.0) + value
    story.add(
        Probe(
            terms={},
            dense=other.dense_sum,
            entities={},
            numbers=frozenset(),
            year=None,
            published=other.latest,
        ),
        other.members,
    )
    story.entities.update(other.entities)
    story.numbers.update(other.numbers)
    story.years.update(other.years)


# --- splits ----------------------------------------------------------------


def split_stories(
    clusterer: StoryClusterer,
    documents: Mapping[str, Document],
    evidence: Evidence | None = None,
) -> list[Move]:
    evidence = evidence or Evidence(documents, lambda docs: clusterer.probes(docs, count=False))
    moves = []
    for story_id in sorted(clusterer.touched):
        story = clusterer.stories.get(story_id)
        if story is None or not 4 <= len(story.members) <= MAX_SPLIT_MEMBERS:
            continue
        if not all(m in documents for m in story.members):
            continue
        move = _split(clusterer, story, [documents[m] for m in story.members], evidence)
        if move is not None:
            moves.append(move)
    return moves


def _split(
    clusterer: StoryClusterer, story: StoryProfile, docs: Sequence[Document], evidence: Evidence
) -> Move | None:
    """Split the story in two when its documents fall into two weakly linked halves."""
    probes = evidence.probes([doc.id for doc in docs]) or clusterer.probes(docs, count=False)
    scores = pair_scores(probes, evidence.weights)
    found = halves(scores)
    if found is None:
        return None
    first, second = found
    link = average_link(scores, first, second)
    if link >= clusterer.config.split_threshold:
        return None
    # The half holding the story's first document keeps the story id.
    group, rest = (second, first) if 0 in first else (first, second)
    part = _profile(clusterer, probes, group, docs)
    remainder = _profile(clusterer, probes, rest, docs)
    new_id = clusterer._new_story_id(docs[group[0]].id)
    clusterer.drop(story.id)
    for profile, story_id in ((remainder, story.id), (part, new_id)):
        profile.id = story_id
        clusterer.stories[story_id] = profile
        clusterer.slots[story_id] = clusterer.index.add(story_id, profile.centroid())
        for doc_id in profile.members:
            clusterer.story_of[doc_id] = story_id
    documents = tuple(docs[i].id for i in group)
    return Move("split", story.id, new_id, documents, round(link, 4), clusterer.stats.documents)


def _profile(
    clusterer: StoryClusterer,
    probes: Sequence[Probe],
    members: Sequence[int],
    docs: Sequence[Document],
) -> StoryProfile:
    profile = StoryProfile("", clusterer.embedder.dim)
    for i in members:
        profile.add(probes[i], [docs[i].id])
    return profile
