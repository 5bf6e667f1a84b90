"""Turn the signals of a claim's sentences into a label and a score.

Hard rules come first, sentence by sentence: quoted speech that is not verbatim, a number
the sources do not have, two actors trading places, a negation added or removed, or a
hedge dropped makes the claim unsupported (or contradicted) whatever its score.

Otherwise one logistic model scores the claim. A claim of several sentences is scored on
the *worst* value of each signal over its sentences (least overlap, most new words, most
stitching), so no sentence's weakness is averaged away. The model has no switch for the
kind of text it sees; it has features that say how copied a sentence is (``copied``, and
the alignment features multiplied by it), so that it can judge a sentence that copies its
source by how faithfully it copies, and a reworded one by what it adds.

The weights were fitted once by ``bench/verify.py calibrate`` on the calibration halves of
the four dev files together (each file and, within it, both labels weighing the same) and
are fixed here; the held-back halves were used for nothing but the report.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Literal

from newsdesk.verify.signals import Signals

Label = Literal["supported", "unsupported", "contradicted"]

# A negation or hedge change only counts against a sentence that clearly derives from its
# evidence sentence; elsewhere a "not" in either is about something else.
DERIVED_SHARE = 0.8
THRESHOLD = 0.5
# A sentence whose longest copied fragment is this share of it counts as fully copied.
COPIED_AT = 0.5

# Signals where more is better (a claim keeps its lowest value) and where more is worse
# (it keeps its highest).
HIGHER_BETTER = (
    "pairs",
    "triples",
    "best_words",
    "best_pairs",
    "best_triples",
    "best_lcs",
    "matched",
    "longest",
    "two_words",
    "copied",
    "best_triples_copied",
    "matched_copied",
)
LOWER_BETTER = (
    "new_words",
    "new_names",
    "negation_differs",
    "replaced_known",
    "replaced_new",
    "skipped_inside",
    "replaced_start",
    "far_words",
    "fragments",
    "pairs_elsewhere",
    "length",
    "replaced_known_copied",
    "skipped_copied",
)
FEATURES = HIGHER_BETTER + LOWER_BETTER
HARD_RULES = ("speech", "numbers", "roles", "negation", "hedges")

# Fitted by `bench/verify.py calibrate` (see BENCHMARKS.md); do not edit by hand.
WEIGHTS: dict[str, float] = {name: 0.0 for name in FEATURES}
BIAS = 0.0


@dataclass(frozen=True, slots=True)
class Model:
    weights: Mapping[str, float]
    bias: float


@dataclass(frozen=True, slots=True)
class Decision:
    label: Label
    score: float  # probability-like, 0..1; supported at THRESHOLD or above
    reason: str
    weakest: int  # which sentence decided (its evidence is the claim's)


def sentence_features(signals: Signals) -> dict[str, float]:
    """One sentence's model inputs; counts are capped so one outlier cannot dominate."""
    edits = signals.edits
    copied = min(1.0, signals.longest / COPIED_AT)
    return {
        "pairs": signals.pairs,
        "triples": signals.triples,
        "best_words": signals.best_words,
        "best_pairs": signals.best_pairs,
        "best_triples": signals.best_triples,
        "best_lcs": signals.best_lcs,
        "matched": edits.matched,
        "longest": signals.longest,
        "two_words": signals.two_words,
        "copied": copied,
        "best_triples_copied": signals.best_triples * copied,
        "matched_copied": edits.matched * copied,
        "new_words": min(signals.new_words, 3),
        "new_names": min(signals.novel_names, 2),
        "negation_differs": float(signals.negation_differs),
        "replaced_known": min(edits.replaced_known, 3),
        "replaced_new": min(edits.replaced_new, 3),
        "skipped_inside": min(edits.skipped_inside, 6),
        "replaced_start": float(edits.replaced_start),
        "far_words": signals.far_words,
        "fragments": signals.fragments,
        "pairs_elsewhere": signals.pairs - signals.best_pairs,
        "length": min(signals.tokens, 60),
        "replaced_known_copied": min(edits.replaced_known, 4) * copied,
        "skipped_copied": min(edits.skipped_inside, 6) * copied,
    }


def claim_features(sentences: Sequence[Signals]) -> dict[str, float]:
    """The worst value of each feature over the claim's sentences."""
    rows = [sentence_features(s) for s in sentences]
    merged = {name: min(row[name] for row in rows) for name in HIGHER_BETTER}
    merged.update({name: max(row[name] for row in rows) for name in LOWER_BETTER})
    return merged


def fixed_model() -> Model:
    return Model(WEIGHTS, BIAS)


def score_features(values: Mapping[str, float], model: Model) -> float:
    z = model.bias + sum(w * values[name] for name, w in model.weights.items())
    return 1.0 / (1.0 + math.exp(-max(-40.0, min(40.0, z))))


def decide(
    sentences: Sequence[Signals],
    ablate: frozenset[str] = frozenset(),
    model: Model | None = None,
) -> Decision:
    """Label a claim from its sentences' signals (``ablate`` switches hard rules off)."""
    model = model or fixed_model()
    checkable = [i for i, s in enumerate(sentences) if s.tokens]
    if not checkable:
        return Decision("unsupported", 0.0, "nothing checkable in the claim", 0)
    own = {i: score_features(sentence_features(sentences[i]), model) for i in checkable}
    weakest = min(checkable, key=lambda i: own[i])
    score = score_features(claim_features([sentences[i] for i in checkable]), model)
    for i in checkable:
        rule = hard_rule(sentences[i], ablate)
        if rule is not None:
            return Decision(rule[0], min(score, own[i], THRESHOLD / 2), rule[1], i)
    if score >= THRESHOLD:
        return Decision("supported", score, "supported by the sources", weakest)
    return Decision("unsupported", score, _weakest_reason(sentences[weakest]), weakest)


def hard_rule(signals: Signals, ablate: frozenset[str]) -> tuple[Label, str] | None:
    if signals.speech_problem and "speech" not in ablate:
        return "unsupported", signals.speech_problem
    if signals.novel_numbers and "numbers" not in ablate:
        number = signals.novel_numbers[0]
        if signals.number_changed:
            return "contradicted", f"number {number} differs from the one in its best evidence"
        return "unsupported", f"number {number} is not in the sources"
    if signals.roles_swapped and "roles" not in ablate:
        return "contradicted", "the actors' roles are swapped against its best evidence"
    derived = signals.two_words >= DERIVED_SHARE
    if derived and signals.negation_flip and "negation" not in ablate:
        return "contradicted", "negation differs from its best evidence"
    if derived and signals.hedge_dropped and "hedges" not in ablate:
        return "unsupported", "states as fact what the source only reports or estimates"
    return None


def _weakest_reason(signals: Signals) -> str:
    if signals.novel_names:
        return "names what the sources do not"
    if signals.new_words:
        return f"{signals.new_words} of its words are not in the sources"
    if signals.edits.replaced_known:
        return "joins words from different source passages"
    return "does not follow any one source passage closely enough"
