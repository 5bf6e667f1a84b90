"""From sentence signals to a claim's label: worst-of aggregation, hard rules, the score."""

from __future__ import annotations

import pytest

from newsdesk.verify.claims import measure_claim
from newsdesk.verify.evidence import build_index
from newsdesk.verify.scoring import (
    FEATURES,
    HIGHER_BETTER,
    LOWER_BETTER,
    REGIME,
    REGIME_SPLIT,
    THRESHOLD,
    WEIGHTS,
    Model,
    claim_features,
    decide,
    sentence_features,
)
from newsdesk.verify.signals import Signals

SOURCE = (
    "The Orrin ferry carried 412 passengers on its first crossing to Brannoch on Monday. "
    "Harbour master Ilse Varga said the crossing took 55 minutes. "
    "The council has not approved a second ferry."
)


def measured(claim: str) -> list[Signals]:
    signals = measure_claim(claim, build_index([("d", SOURCE)]))
    assert signals is not None
    return signals


def test_weights_cover_exactly_the_features() -> None:
    assert set(WEIGHTS) == set(FEATURES)


def test_a_claim_keeps_the_worst_value_of_each_feature() -> None:
    good, bad = measured(
        "The Orrin ferry carried 412 passengers to Brannoch. Pirates stole the lighthouse lamps."
    )
    merged = claim_features([good, bad])
    one, other = sentence_features(good), sentence_features(bad)
    for name in HIGHER_BETTER + LOWER_BETTER:
        worst = min if name in HIGHER_BETTER else max
        assert merged[name] == worst(one[name], other[name])


def test_a_claim_of_several_sentences_gets_its_own_regime_weights() -> None:
    good, bad = measured(
        "The Orrin ferry carried 412 passengers to Brannoch. Pirates stole the lighthouse lamps."
    )
    several, single = claim_features([good, bad]), claim_features([good])
    assert (several["several"], single["several"]) == (1.0, 0.0)
    for name in REGIME_SPLIT:
        assert several[f"several_{name}"] == several[name]
        assert single[f"several_{name}"] == 0.0
    assert set(REGIME) <= set(FEATURES)


def test_invented_sentence_sinks_a_claim_that_starts_well() -> None:
    sentences = measured(
        "The Orrin ferry carried 412 passengers to Brannoch. Pirates stole the lighthouse lamps."
    )
    assert decide(sentences[:1]).label == "supported"
    decision = decide(sentences)
    assert decision.label == "unsupported"
    assert decision.weakest == 1
    assert decision.score < THRESHOLD


def test_hard_rules_come_before_the_score_and_can_be_switched_off() -> None:
    changed = measured("The Orrin ferry carried 512 passengers to Brannoch on Monday.")
    decision = decide(changed)
    assert (decision.label, decision.ruled) == ("contradicted", True)
    assert "512" in decision.reason
    # A number the sources lack, and one swapped for its source sentence's: two rules.
    lenient = decide(changed, frozenset({"numbers", "entities"}), Model({}, 10.0))
    assert lenient.label == "supported"


def test_negation_added_to_a_sentence_it_follows_is_a_contradiction() -> None:
    decision = decide(measured("The council has approved a second ferry."))
    assert decision.label == "contradicted"


def test_a_claim_with_nothing_to_check_is_unsupported() -> None:
    decision = decide(measured("— …"))
    assert decision.label == "unsupported"
    assert decision.score == 0.0


@pytest.mark.parametrize("bias", [-50.0, 50.0])
def test_scores_stay_probabilities_however_large_the_sum(bias: float) -> None:
    decision = decide(measured("The crossing took 55 minutes."), model=Model(WEIGHTS, bias))
    assert 0.0 <= decision.score <= 1.0
    assert (decision.label == "supported") == (bias > 0)


def test_a_day_or_month_the_sources_lack_is_a_hard_rule() -> None:
    moved = measured("The Orrin ferry carried 412 passengers to Brannoch on Tuesday.")[0]
    assert moved.novel_dates == ("Tuesday",) and moved.date_changed
    assert decide([moved]).label == "contradicted"
    assert decide([moved], frozenset({"dates", "entities"})).label != "contradicted"
    # "may" and "march" are verbs too: only capitalised inside a sentence are they months.
    assert measured("The Orrin ferry may carry 412 passengers.")[0].novel_dates == ()
    assert measured("The ferry carried 412 passengers in May.")[0].novel_dates == ("May",)
