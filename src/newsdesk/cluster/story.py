"""A story's running profile and how well a document (or another story) fits it.

The fit is a weighted sum of signals, each between 0 and 1: lexical cosine (terms and word
pairs, TF-IDF), dense cosine (the embedding), the share of the document's names the story
already has (weighted by rarity), the share of its figures and dates the story has; minus
a penalty when the latest year mentioned differs, and one when the publication times are
days apart; plus a small bonus when they are within a day or two. The weights come from a
logistic regression on document-to-story pairs of the odd ECB+ dev topics, scaled so that
the join threshold 1.1 is even odds (bench/fit_cluster_weights.py); thresholds were chosen
on the odd topics only, so the even topics stay a held-out estimate.
"""

from __future__ import annotations

import math
from collections import Counter
from dataclasses import dataclass, field
from datetime import datetime
from functools import cached_property
from itertools import compress, repeat
from operator import add, itemgetter, mul

import numpy as np
from numpy.typing import NDArray

from newsdesk.cluster.features import DocumentFeatures

MAX_STORY_TERMS = 400  # a story remembers its strongest terms only: memory stays bounded


@dataclass(frozen=True)
class Weights:
    # Fitted on the odd ECB+ topics only (bench/fit_cluster_weights.py).
    lexical: float = 0.56
    dense: float = 1.12
    entities: float = 0.86
    numbers: float = 0.18
    year_gap: float = 0.53
    day_gap: float = 0.5
    # Reports published within a day or two of a story's latest one are likely about it:
    # a bonus fading from ``recent`` at 0 days to nothing at 2 days. Not fitted (ECB+ has
    # no dates); set so that paraphrased reports of one event on the sample wire join.
    recent: float = 0.5


class TermStats:
    """Document frequencies seen so far: a streaming IDF."""

    def __init__(self) -> None:
        self.documents = 0
        self.frequency: Counter[str] = Counter()

    def count(self, features: DocumentFeatures) -> None:
        self.documents += 1
        self.frequency.update(features.terms.keys())
        self.frequency.update("\x01" + e for e in features.entities)

    def idf(self, term: str) -> float:
        return math.log((1 + self.documents) / (1 + self.frequency[term])) + 1.0

    def vector(self, features: DocumentFeatures) -> dict[str, float]:
        """Unit-length TF-IDF weights of the document's terms."""
        # self.idf inlined (same arithmetic): this runs for every term of every document.
        log, documents, frequency = math.log, 1 + self.documents, self.frequency
        weights = {
            t: (1.0 + log(n)) * (log(documents / (1 + frequency[t])) + 1.0)
            for t, n in features.terms.items()
        }
        norm = math.sqrt(sum(map(mul, weights.values(), weights.values())))
        return {t: w / norm for t, w in weights.items()} if norm else {}

    def entity_weights(self, features: DocumentFeatures) -> dict[str, float]:
        return {e: self.idf("\x01" + e) for e in features.entities}


@dataclass
class Probe:
    """A document (or a story standing in for one) ready to be compared with stories."""

    terms: dict[str, float]
    dense: NDArray[np.float32]
    entities: dict[str, float]
    numbers: frozenset[str]
    year: int | None
    published: datetime | None

    @cached_property
    def entity_total(self) -> float:
        """The names' summed weight: computed once, though read for every candidate."""
        return sum(self.entities.values())


@dataclass
class StoryProfile:
    id: str
    dim: int
    terms: dict[str, float] = field(default_factory=dict)
    dense_sum: NDArray[np.float32] = field(init=False)
    entities: Counter[str] = field(default_factory=Counter)
    numbers: Counter[str] = field(default_factory=Counter)
    years: Counter[int] = field(default_factory=Counter)
    latest: datetime | None = None
    members: list[str] = field(default_factory=list)
    _terms_norm: float = 0.0
    _centroid: NDArray[np.float32] | None = field(default=None, repr=False)

    def __post_init__(self) -> None:
        self.dense_sum = np.zeros(self.dim, dtype=np.float32)

    def add(self, probe: Probe, doc_ids: list[str], weight: float = 1.0) -> None:
        # The loops run in C (map, sorted with itemgetter) in the same order with the
        # same arithmetic as plain Python loops would: the same floats, several times faster.
        keys, values = probe.terms.keys(), probe.terms.values()
        scaled = values if weight == 1.0 else [v * weight for v in values]
        summed = map(add, map(self.terms.get, keys, repeat(0.0)), scaled)
        self.terms.update(zip(keys, summed, strict=True))
        if len(self.terms) > 2 * MAX_STORY_TERMS:
            # Strongest first, ties by term: a stable sort by term, then by weight.
            strongest = sorted(sorted(self.terms.items()), key=itemgetter(1), reverse=True)
            self.terms = dict(strongest[:MAX_STORY_TERMS])
        self._terms_norm = math.sqrt(sum(map(mul, self.terms.values(), self.terms.values())))
        self.dense_sum += probe.dense * weight
        self._centroid = None
        self.entities.update(probe.entities.keys())
        self.numbers.update(probe.numbers)
        if probe.year is not None:
            self.years[probe.year] += 1
        if probe.published is not None and (self.latest is None or probe.published > self.latest):
            self.latest = probe.published
        self.members.extend(doc_ids)

    def centroid(self) -> NDArray[np.float32]:
        if self._centroid is None:  # kept until the next add: it is read many times
            norm = float(np.linalg.norm(self.dense_sum))
            self._centroid = self.dense_sum / norm if norm else self.dense_sum
        return self._centroid

    def usual_year(self) -> int | None:
        if not self.years:
            return None
        # Most frequent, then latest: does not depend on insertion order.
        return max(self.years.items(), key=lambda kv: (kv[1], kv[0]))[0]

    def as_probe(self, stats: TermStats) -> Probe:
        """This story as if it were one document (used to compare two stories)."""
        norm = self._terms_norm or 1.0
        return Probe(
            terms={t: v / norm for t, v in self.terms.items()},
            dense=self.centroid(),
            entities={e: stats.idf("\x01" + e) for e in self.entities},
            numbers=frozenset(self.numbers),
            year=self.usual_year(),
            published=self.latest,
        )

    def lexical_cosine(self, terms: dict[str, float]) -> float:
        if not self._terms_norm:
            return 0.0
        weights = map(self.terms.get, terms.keys(), repeat(0.0))
        total: float = sum(map(mul, terms.values(), weights))
        return total / self._terms_norm


def fit(probe: Probe, story: StoryProfile, dense: float, weights: Weights) -> float:
    """How well ``probe`` belongs in ``story`` (``dense`` is their embedding cosine)."""
    return fit_rest(probe, story, dense, weights) + lexical_part(probe, story, weights)


def lexical_part(probe: Probe, story: StoryProfile, weights: Weights) -> float:
    """The costliest part of ``fit``: the weighted lexical cosine (the cosine is 0..1)."""
    return weights.lexical * story.lexical_cosine(probe.terms)


# Rounding margin of the bounds below: a cosine can come out a hair above 1.
_MARGIN = 1e-6


def lexical_ceiling(weights: Weights) -> float:
    """At least ``lexical_part`` for any document and story."""
    return max(weights.lexical, 0.0) + _MARGIN


TimeSignals = tuple[float, float] | None  # (penalty, bonus), None without two dates


def time_signals(probe: Probe, story: StoryProfile, weights: Weights) -> TimeSignals:
    if probe.published is None or story.latest is None:
        return None
    return _time_signals(probe.published, story.latest, weights)


def fit_above(
    probe: Probe, story: StoryProfile, dense: float, weights: Weights, bar: float
) -> float | None:
    """Exactly ``fit``, or None where an exact upper bound of it is below ``bar``.

    The cheap bound (``fit_ceiling``) first, then the rest of the fit with the lexical
    part at its best; the time signals are computed once for both.
    """
    time = time_signals(probe, story, weights)
    if fit_ceiling(probe, story, dense, weights, time) < bar:
        return None
    rest = fit_rest(probe, story, dense, weights, time)
    if rest + lexical_ceiling(weights) < bar:
        return None
    return rest + lexical_part(probe, story, weights)


_UNSET: TimeSignals = (math.nan, math.nan)  # "not given": computed on the spot


def fit_ceiling(
    probe: Probe, story: StoryProfile, dense: float, weights: Weights, time: TimeSignals = _UNSET
) -> float:
    """At least ``fit``: the dense and time signals exact, every other one at its best.

    Must follow ``fit_rest``: each signal there is between 0 and 1. ``time`` is
    ``time_signals(probe, story, weights)`` where the caller has it already.
    """
    best = lexical_ceiling(weights) + max(-weights.year_gap, 0.0)
    if probe.entities:
        best += max(weights.entities, 0.0)
    if probe.numbers:
        best += max(weights.numbers, 0.0)
    if time is _UNSET:
        time = time_signals(probe, story, weights)
    if time is not None:
        penalty, bonus = time
        best += bonus - penalty
    return weights.dense * dense + best


def fit_rest(
    probe: Probe, story: StoryProfile, dense: float, weights: Weights, time: TimeSignals = _UNSET
) -> float:
    """``fit`` without its lexical part: embedding, names, figures, years and time.

    ``time`` is ``time_signals(probe, story, weights)`` where the caller has it already.
    """
    total = probe.entity_total
    shared = compress(probe.entities.values(), map(story.entities.__contains__, probe.entities))
    names = sum(shared) / total if total else 0
    figures = (
        sum(map(story.numbers.__contains__, probe.numbers)) / len(probe.numbers)
        if probe.numbers
        else 0.0
    )
    score = weights.dense * dense + weights.entities * names + weights.numbers * figures
    usual = story.usual_year() if probe.year is not None else None
    if probe.year is not None and usual is not None:
        score -= weights.year_gap * min(abs(probe.year - usual), 3) / 3
    if time is _UNSET:
        time = time_signals(probe, story, weights)
    if time is not None:
        penalty, bonus = time
        score -= penalty
        score += bonus
    return score


def _time_signals(published: datetime, latest: datetime, weights: Weights) -> tuple[float, float]:
    """(penalty, bonus) for the days between a document and a story's latest one."""
    days = abs((published - latest).total_seconds()) / 86400
    penalty = weights.day_gap * min(max(days - 1.0, 0.0) / 7.0, 1.0)
    return penalty, weights.recent * max(0.0, 1.0 - days / 2.0)
