"""The correction pass: merge two open stories, or split one, when the evidence changed.

Streaming decisions are made early, on little evidence. Later documents can show that two
stories are one (a story opened by an oddly worded first report), or that a story holds
two events (a second earthquake that joined the first one's story before its own names and
figures were known). Only stories that changed since the last pass are examined. Every
change is returned as a Move, so the store can record it and redirect merged stories.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, replace
from typing import Literal

from newsdesk.cluster.story import Probe, StoryProfile, Weights, fit
from newsdesk.cluster.stream import StoryClusterer
from newsdesk.records import Document

NEIGHBOURS = 6
MAX_SPLIT_MEMBERS = 200  # a replay is quadratic in the worst case; bigger stories stay


@dataclass(frozen=True)
class Move:
    kind: Literal["merge", "split"]
    source: str  # the story that gave documents (and, after a merge, no longer exists)
    target: str  # the story that received them
    documents: tuple[str, ...]
    score: float


def _story_weights(clusterer: StoryClusterer) -> Weights:
    # Two stories near in time are not thereby one: the recency bonus is for documents.
    return replace(clusterer.config.weights, recent=0.0)


def revise(clusterer: StoryClusterer, documents: Mapping[str, Document]) -> list[Move]:
    """Merge, then split, the stories changed since the last pass; returns the moves."""
    moves = merge_stories(clusterer)
    moves += split_stories(clusterer, documents)
    clusterer.touched.clear()
    return moves


def merge_stories(clusterer: StoryClusterer) -> list[Move]:
    moves: list[Move] = []
    pending = sorted(clusterer.touched)
    while pending:
        story_id = pending.pop(0)
        if story_id not in clusterer.stories:
            continue
        found = _best_partner(clusterer, story_id)
        if found is None:
            continue
        score, partner = found
        survivor, merged = _order_pair(clusterer, story_id, partner)
        moves.append(_merge(clusterer, survivor, merged, score))
        pending = sorted({*pending, survivor})
    return moves


def _best_partner(clusterer: StoryClusterer, story_id: str) -> tuple[float, str] | None:
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
        if score >= clusterer.config.merge_threshold and (best is None or score > best[0]):
            best = (score, other_id)
    return best


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
    return Move("merge", merged_id, survivor_id, tuple(merged.members), round(score, 4))


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


def split_stories(clusterer: StoryClusterer, documents: Mapping[str, Document]) -> list[Move]:
    moves = []
    for story_id in sorted(clusterer.touched):
        story = clusterer.stories.get(story_id)
        if story is None or not 4 <= len(story.members) <= MAX_SPLIT_MEMBERS:
            continue
        if not all(m in documents for m in story.members):
            continue
        move = _split(clusterer, story, [documents[m] for m in story.members])
        if move is not None:
            moves.append(move)
    return moves


def _split(clusterer: StoryClusterer, story: StoryProfile, docs: Sequence[Document]) -> Move | None:
    """Replay the story's documents with today's statistics; split off a second group."""
    probes = clusterer.probes(docs, count=False)
    groups = _replay(clusterer, probes)
    others = [g for g in groups if 0 not in g and len(g) >= 2]
    if not others:
        return None
    group = max(others, key=lambda g: (len(g), -g[0]))
    rest = [i for i in range(len(docs)) if i not in group]
    part, remainder = (
        _profile(clusterer, probes, group, docs),
        _profile(clusterer, probes, rest, docs),
    )
    dense = float(part.centroid() @ remainder.centroid())
    score = fit(part.as_probe(clusterer.stats), remainder, dense, _story_weights(clusterer))
    if score >= clusterer.config.split_threshold:
        return None
    new_id = clusterer._new_story_id(docs[group[0]].id)
    clusterer.drop(story.id)
    for profile, story_id in ((remainder, story.id), (part, new_id)):
        profile.id = story_id
        clusterer.stories[story_id] = profile
        clusterer.slots[story_id] = clusterer.index.add(story_id, profile.centroid())
        for doc_id in profile.members:
            clusterer.story_of[doc_id] = story_id
    return Move("split", story.id, new_id, tuple(docs[i].id for i in group), round(score, 4))


def _replay(clusterer: StoryClusterer, probes: Sequence[Probe]) -> list[list[int]]:
    """The streaming decisions again, among these documents only (positions, in order)."""
    groups: list[tuple[StoryProfile, list[int]]] = []
    weights = clusterer.config.weights
    for position, probe in enumerate(probes):
        scored = [
            (fit(probe, profile, float(probe.dense @ profile.centroid()), weights), -k)
            for k, (profile, _) in enumerate(groups)
        ]
        best = max(scored, default=None)
        if best is not None and best[0] >= clusterer.config.threshold:
            profile, members = groups[-best[1]]
        else:
            profile, members = StoryProfile("", clusterer.embedder.dim), []
            groups.append((profile, members))
        profile.add(probe, [])
        members.append(position)
    return [members for _, members in groups]


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
