"""Turn the signals of a claim's sentences into a label and a score.

Hard rules come first, sentence by sentence: quoted speech that is not verbatim, a number
or a day or month the sources do not have, a name, number, date or modifier that is not in
the source sentence the claim was built from where that sentence has another one (the
entity-level alignment of ``entities.py``), two actors trading places, a negation added or
removed, a hedge dropped, or a clause added from nowhere makes the claim unsupported (or
contradicted) whatever its score.

The entity rule holds a sentence to its own source sentence only where it was built from
one: where the claim, apart from the changed words, copies at least ``ENTITY_GATE`` of its
words from it. A summary sentence that rewords freely and names someone from elsewhere in
the article is left to the score. The gates were chosen by leave-one-dataset-out
validation over the four dev files and the perturbation suite (see BENCHMARKS.md).

Otherwise one logistic model scores the claim. A claim of several sentences is scored on
the *worst* value of each feature over its sentences (fewest words in its aligned source
sentence, most fragments, least copied ...), so no sentence's weakness is averaged away;
a single sentence is scored on its own values. (Requiring, in addition, each sentence's
own score to pass was measured and costs CLIFF 0.05 held-back, see BENCHMARKS.md: with
``longest`` and ``copied`` acting as the claim's regime, a rewording summary is judged as
rewording as a whole.) The model has no switch for the kind of text it sees; it has
features that say how copied the claim is (``longest``, ``copied``), so that one set of
weights can judge a sentence that copies its source by how faithfully it copies (does it
follow one sentence, was it cut at a natural break, were its first words replaced) and a
reworded one by what it adds (fragments, words from nowhere near).

Two features come from embeddings (``similarity``, ``word_similarity``: see
``semantic.py``). One says which kind of text the claim is: ``several``, a claim of more
than one sentence (a whole summary rather than one sentence of it), with its products with
four features, so that the weight of similarity and copying can differ between the two.
Measured on the dev files, a sentence that copies its source closely but drifts in meaning
is the typical error of a single generated sentence, while a multi-sentence summary is
judged better by how far its least supported word is from any source word.

The lexical features are what was left of 27 measured ones after backward elimination by
cross-validation inside the calibration halves; the embedding and regime features, and
``stitched`` (the claim's copied stretches are found in no one source sentence or pair of
neighbouring ones, see ``align.py``), were added by the same cross-validation (see
BENCHMARKS.md). The weights were then fitted once
by ``bench/verify.py calibrate`` on the calibration halves of the four dev files together
(each file and, within it, both labels weighing the same) and are fixed here; the
held-back halves were used for nothing but the report.
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
# The share of a sentence's other words that must be copied from its source sentence for
# a swapped name, number or date to count against it; and the share copied for an added
# clause with words from nowhere to count (see the module doc).
ENTITY_GATE = 0.7
ADDITION_GATE = 0.5

# Features where more is better (a claim keeps its lowest value over its sentences) and
# where more is worse (it keeps its highest).
HIGHER_BETTER = (
    "best_words",
    "two_words",
    "longest",
    "copied",
    "starts_inside",
    "similarity",
    "word_similarity",
)
LOWER_BETTER = ("far_words", "fragments", "replaced_start", "cut_end", "stitched")
# Features whose weight differs for a claim of several sentences (``several_<name>``).
REGIME_SPLIT = ("similarity", "word_similarity", "longest", "best_words")
REGIME = ("several", *(f"several_{name}" for name in REGIME_SPLIT))
FEATURES = HIGHER_BETTER + LOWER_BETTER + REGIME
HARD_RULES = ("speech", "numbers", "dates", "entities", "roles", "negation", "hedges", "additions")

# Fitted by `bench/verify.py calibrate` (see BENCHMARKS.md); do not edit by hand.
WEIGHTS: dict[str, float] = {
    "best_words": 2.1367,
    "two_words": -1.8055,
    "longest": -1.2396,
    "copied": -1.1505,
    "starts_inside": -0.2703,
    "similarity": 1.4312,
    "word_similarity": -0.1823,
    "far_words": 1.9811,
    "fragments": -3.6369,
    "replaced_start": -0.4549,
    "cut_end": 1.0756,
    "stitched": -0.4963,
    "several": 0.1324,
    "several_similarity": -2.0451,
    "several_word_similarity": 4.5689,
    "several_longest": -0.2087,
    "several_best_words": -0.5276,
}
BIAS = 2.1320


@dataclass(frozen=True, slots=True)
class Model:
    weights: Mapping[str, float]
    bias: float
    entity_gate: float = ENTITY_GATE
    addition_gate: float = ADDITION_GATE


@dataclass(frozen=True, slots=True)
class Decision:
    label: Label
    score: float  # probability-like, 0..1; supported at THRESHOLD or above
    reason: str
    weakest: int  # which sentence decided (its evidence is the claim's)
    ruled: bool = False  # decided by a hard rule, not by the score
    rule: str = ""  # which one (a name of HARD_RULES)


def sentence_features(signals: Signals, several: bool = False) -> dict[str, float]:
    """One sentence's model inputs (``several``: it belongs to a claim of several)."""
    edits = signals.edits
    values = {
        "best_words": signals.best_words,
        "two_words": signals.two_words,
        "longest": signals.longest,
        "copied": min(1.0, signals.longest / COPIED_AT),
        "starts_inside": float(edits.starts_inside),
        "far_words": signals.far_words,
        "fragments": signals.fragments,
        "replaced_start": float(edits.replaced_start),
        "cut_end": float(edits.cut_end),
        "stitched": float(signals.stitched),
        "similarity": signals.similarity,
        "word_similarity": signals.word_similarity,
    }
    return _with_regime(values, several)


def claim_features(sentences: Sequence[Signals], several: bool | None = None) -> dict[str, float]:
    """The worst value of each feature over the claim's sentences; ``several`` defaults to
    whether there is more than one of them."""
    rows = [sentence_features(s) for s in sentences]
    merged = {name: min(row[name] for row in rows) for name in HIGHER_BETTER}
    merged.update({name: max(row[name] for row in rows) for name in LOWER_BETTER})
    return _with_regime(merged, len(sentences) > 1 if several is None else several)


def _with_regime(values: dict[str, float], several: bool) -> dict[str, float]:
    flag = float(several)
    values["several"] = flag
    values.update({f"several_{name}": flag * values[name] for name in REGIME_SPLIT})
    return values


def fixed_model() -> Model:
    return Model(WEIGHTS, BIAS)


def score_features(values: Mapping[str, float], model: Model) -> float:
    z = model.bias + sum(w * values[name] for name, w in model.weights.items())
    return 1.0 / (1.0 + math.exp(-max(-40.0, min(40.0, z))))


def decide(
    sentences: Sequence[Signals],
    ablate: frozenset[str] = frozenset(),
    model: Model | None = None,
    several: bool | None = None,
) -> Decision:
    """Label a claim from its sentences' signals (``ablate`` switches hard rules off;
    ``several``: the claim has several sentences, by default when ``sentences`` do)."""
    model = model or fixed_model()
    several = len(sentences) > 1 if several is None else several
    checkable = [i for i, s in enumerate(sentences) if s.tokens]
    if not checkable:
        return Decision("unsupported", 0.0, "nothing checkable in the claim", 0)
    own = {i: score_features(sentence_features(sentences[i], several), model) for i in checkable}
    weakest = min(checkable, key=lambda i: own[i])
    score = score_features(claim_features([sentences[i] for i in checkable], several), model)
    for i in checkable:
        rule = hard_rule(sentences[i], ablate, model)
        if rule is not None:
            label, reason, name = rule
            return Decision(label, min(score, THRESHOLD / 2), reason, i, ruled=True, rule=name)
    if score >= THRESHOLD:
        return Decision("supported", score, "supported by the sources", weakest)
    return Decision("unsupported", score, _weakest_reason(sentences[weakest]), weakest)


def hard_rule(
    signals: Signals, ablate: frozenset[str], model: Model | None = None
) -> tuple[Label, str, str] | None:
    """The first hard rule the sentence breaks: label, reason, the rule's name."""
    model = model or fixed_model()
    if signals.speech_problem and "speech" not in ablate:
        return "unsupported", signals.speech_problem, "speech"
    if signals.novel_numbers and "numbers" not in ablate:
        number = signals.novel_numbers[0]
        if signals.number_changed:
            return (
                "contradicted",
                f"number {number} differs from the one in its best evidence",
                "numbers",
            )
        return "unsupported", f"number {number} is not in the sources", "numbers"
    if signals.novel_dates and "dates" not in ablate:
        date = signals.novel_dates[0]
        if signals.date_changed:
            return "contradicted", f"{date} differs from the date in its best evidence", "dates"
        return "unsupported", f"{date} is not in the sources", "dates"
    if signals.swapped and "entities" not in ablate and rest_copied(signals) >= model.entity_gate:
        kind, word = signals.swapped[0]
        if kind == "modifier":
            return "contradicted", f"its source sentence does not say {word!r} there", "entities"
        return "contradicted", f"{kind} {word!r} differs from its source sentence", "entities"
    if signals.roles_swapped and "roles" not in ablate:
        return "contradicted", "the actors' roles are swapped against its best evidence", "roles"
    derived = signals.two_words >= DERIVED_SHARE
    if derived and signals.negation_flip and "negation" not in ablate:
        return "contradicted", "negation differs from its best evidence", "negation"
    hedged = (derived and signals.hedge_dropped) or signals.hedge_cut
    if hedged and "hedges" not in ablate:
        return "unsupported", "states as fact what the source only reports or estimates", "hedges"
    added = signals.added_clause and signals.edits.copied >= model.addition_gate
    if added and "additions" not in ablate:
        return "unsupported", "adds to its source sentence words that no source has", "additions"
    return None


def rest_copied(signals: Signals) -> float:
    """Share of the sentence's words, less its unaligned names, numbers and dates, copied
    from its source sentence."""
    rest = signals.tokens - len(signals.unaligned)
    return signals.edits.copied * signals.tokens / max(1, rest)


def _weakest_reason(signals: Signals) -> str:
    if signals.novel_names:
        return "names what the sources do not"
    if signals.new_words:
        return f"{signals.new_words} of its words are not in the sources"
    if signals.stitched:
        return "joins passages that are far apart in the sources"
    if signals.edits.replaced_known:
        return "joins words from different source passages"
    return "does not follow any one source passage closely enough"
