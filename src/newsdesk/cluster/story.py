"""A story's running profile and how well a document (or another story) fits it.

The fit is a weighted sum of signals, each between 0 and 1: lexical cosine (terms and word
pairs, TF-IDF), dense cosine (the embedding), the share of the document's names the story
already has (weighted by rarity), the share of its figures and dates the story has; minus
a penalty when the latest year mentioned differs, and one when the publication times are
days apart; plus a small bonus when they are within a day or two. The weights come from a
logistic regression on document-to-story pairs of the ECB+ dev topics (fitted on each half
of the topics, averaged and rounded); the thresholds were chosen on the odd topics only.
"""

from __future__ import annotations

import math
from collections import Counter
from dataclasses import dataclass, field
from datetime import datetime

import numpy as np
from numpy.typing import NDArray

from newsdesk.cluster.features import DocumentFeatures

MAX_STORY_TERMS = 400  # a story remembers its strongest terms only: memory stays bounded


@dataclass(frozen=True)
class Weights:
    lexical: float = 0.75
    dense: float = 1.0
    entities: float = 0.8
    numbers: float = 0.1
    year_gap: float = 0.4
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
        weights = {t: (1.0 + math.log(n)) * self.idf(t) for t, n in features.terms.items()}
        norm = math.sqrt(sum(w * w for w in weights.values()))
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

    def __post_init__(self) -> None:
        self.dense_sum = np.zeros(self.dim, dtype=np.float32)

    def add(self, probe: Probe, doc_ids: list[str], weight: float = 1.0) -> None:
        for term, value in probe.terms.items():
            self.terms[term] = self.terms.get(term, 0.0) + value * weight
        if len(self.terms) > 2 * MAX_STORY_TERMS:
            strongest = sorted(self.terms.items(), key=lambda kv: (-kv[1], kv[0]))
            self.terms = dict(strongest[:MAX_STORY_TERMS])
        self._terms_norm = math.sqrt(sum(v * v for v in self.terms.values()))
        self.dense_sum += probe.dense * weight
        self.entities.update(probe.entities.keys())
        self.numbers.update(probe.numbers)
        if probe.year is not None:
            self.years[probe.year] += 1
        if probe.published is not None and (self.latest is None or probe.published > self.latest):
            self.latest = probe.published
        self.members.extend(doc_ids)

    def centroid(self) -> NDArray[np.float32]:
        norm = float(np.linalg.norm(self.dense_sum))
        return self.dense_sum / norm if norm else self.dense_sum

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
        get = self.terms.get
        return sum(v * get(t, 0.0) for t, v in terms.items()) / self._terms_norm


def fit(probe: Probe, story: StoryProfile, dense: float, weights: Weights) -> float:
    """How well ``probe`` belongs in ``story`` (``dense`` is their embedding cosine)."""
    lexical = story.lexical_cosine(probe.terms)
    total = sum(probe.entities.values())
    names = sum(w for e, w in probe.entities.items() if e in story.entities) / total if total else 0
    figures = (
        sum(1 for n in probe.numbers if n in story.numbers) / len(probe.numbers)
        if probe.numbers
        else 0.0
    )
    score = (
        weights.lexical * lexical
        + weights.dense * dense
        + weights.entities * names
        + weights.numbers * figures
    )
    usual = story.usual_year()
    if probe.year is not None and usual is not None:
        score -= weights.year_gap * min(abs(probe.year - usual), 3) / 3
    if probe.published is not None and story.latest is not None:
        days = abs((probe.published - story.latest).total_seconds()) / 86400
        score -= weights.day_gap * min(max(days - 1.0, 0.0) / 7.0, 1.0)
        score += weights.recent * max(0.0, 1.0 - days / 2.0)
    return score
