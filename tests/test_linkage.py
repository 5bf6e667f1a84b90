from collections.abc import Sequence

import numpy as np
import pytest

from newsdesk.cluster.linkage import (
    Evidence,
    PairWeights,
    average_link,
    halves,
    pair_features,
    pair_scores,
    spread,
)
from newsdesk.cluster.story import Probe
from newsdesk.records import Document


def probe(
    terms: dict[str, float],
    axis: int,
    names: tuple[str, ...] = (),
    numbers: tuple[str, ...] = (),
    year: int | None = None,
) -> Probe:
    dense = np.zeros(4, dtype=np.float32)
    dense[axis] = 1.0
    return Probe(
        terms=terms,
        dense=dense,
        entities=dict.fromkeys(names, 2.0),
        numbers=frozenset(numbers),
        year=year,
        published=None,
    )


def test_pair_features_measure_each_signal() -> None:
    same = probe({"quake": 0.6, "harlow": 0.8}, 0, ("harlow",), ("6.1",), 2024)
    twin = probe({"quake": 0.6, "harlow": 0.8}, 0, ("harlow",), ("6.1",), 2024)
    other = probe({"strike": 1.0}, 1, ("veskar",), ("40",), 2021)
    lexical, dense, names, figures, years, dates = pair_features([same, twin, other])
    assert lexical[0, 1] == pytest.approx(1.0)
    assert lexical[0, 2] == 0.0
    assert dense[0, 1] == pytest.approx(1.0) and dense[0, 2] == 0.0
    assert names[0, 1] == pytest.approx(1.0) and names[0, 2] == 0.0
    assert figures[0, 1] == pytest.approx(1.0) and figures[0, 2] == 0.0
    assert years[0, 1] == 0.0 and years[0, 2] == pytest.approx(1.0)
    assert not dates.any()  # no dates given: no date evidence either way


def test_date_gap_counts_days_between_the_nearest_dates() -> None:
    quake = probe({"x": 1.0}, 0, numbers=("date:11-27", "10"))
    next_day = probe({"x": 1.0}, 0, numbers=("date:11-28",))
    five_days = probe({"x": 1.0}, 0, numbers=("date:12-2", "date:3-9"))
    new_year = probe({"x": 1.0}, 0, numbers=("date:1-2",))
    undated = probe({"x": 1.0}, 0, numbers=("10",))
    dates = pair_features([quake, next_day, five_days, new_year, undated])[5]
    assert dates[0, 1] == 0.0  # within the slack of a few days
    assert dates[0, 2] == pytest.approx((5 - 3) / 7.0)  # the nearest of the two dates
    assert dates[2, 0] == dates[0, 2]
    assert dates[2, 3] == 1.0  # 2 December to 2 January
    assert dates[0, 3] == 1.0  # 27 November to 2 January: 36 days, across the year end
    assert dates[1, 3] == 1.0
    assert not dates[4].any() and not dates[:, 4].any()


def test_dates_across_the_year_end_are_days_apart_not_a_year() -> None:
    eve = probe({"x": 1.0}, 0, numbers=("date:12-31",))
    new_year = probe({"x": 1.0}, 0, numbers=("date:1-2",))
    assert pair_features([eve, new_year])[5][0, 1] == 0.0


def test_a_date_gap_lowers_the_pair_score() -> None:
    one = probe({"x": 1.0}, 0, numbers=("date:5-4",))
    same_day = probe({"x": 1.0}, 0, numbers=("date:5-4",))
    month_on = probe({"x": 1.0}, 0, numbers=("date:6-9",))
    weights = PairWeights(numbers=0.0)  # only the date gap differs between the pairs
    scores = pair_scores([one, same_day, month_on], weights)
    assert scores[0, 2] == pytest.approx(scores[0, 1] + weights.date_gap)


def test_names_shared_in_part_give_a_weighted_jaccard() -> None:
    a = probe({"x": 1.0}, 0, ("ansel brook", "brook"))
    b = probe({"x": 1.0}, 0, ("brook", "harlow"))
    names = pair_features([a, b])[2]
    assert names[0, 1] == pytest.approx(2.0 / 6.0)
    assert names[1, 0] == pytest.approx(2.0 / 6.0)


def test_reports_of_one_event_score_above_reports_of_another() -> None:
    # The kind's word ("quake") is common, so weighs little; the place weighs most.
    one = probe({"quake": 0.2, "harlow": 0.98}, 0, ("harlow",), ("6.1",))
    again = probe({"quake": 0.2, "harlow": 0.9, "rubble": 0.39}, 0, ("harlow",), ("6.1",))
    elsewhere = probe({"quake": 0.2, "veskar": 0.98}, 0, ("veskar",), ("5.4",))
    scores = pair_scores([one, again, elsewhere], PairWeights())
    assert scores[0, 1] > 0 > scores[0, 2]


def blocks(first: int, second: int, inside: float, across: float) -> np.ndarray:
    size = first + second
    scores = np.full((size, size), across)
    scores[:first, :first] = inside
    scores[first:, first:] = inside
    return scores


def test_halves_finds_two_blocks() -> None:
    assert halves(blocks(5, 4, 6.0, -3.0)) == ([0, 1, 2, 3, 4], [5, 6, 7, 8])


def test_halves_keeps_an_odd_pair_with_its_story() -> None:
    # Documents 8 and 9 agree with each other, and weakly with the first event: cutting
    # them off alone would leave the two events together.
    scores = blocks(4, 4, 6.0, -4.0)
    scores = np.pad(scores, ((0, 2), (0, 2)), constant_values=-4.0)
    scores[8:, 8:] = 6.0
    scores[8:, :4] = scores[:4, 8:] = 1.0
    first, second = halves(scores) or ([], [])
    assert {tuple(first), tuple(second)} == {(0, 1, 2, 3, 8, 9), (4, 5, 6, 7)}


def test_halves_needs_four_documents() -> None:
    assert halves(blocks(2, 1, 6.0, -3.0)) is None


def test_average_link_is_the_mean_across_groups() -> None:
    scores = np.array([[0.0, 1.0, 3.0], [1.0, 0.0, 5.0], [3.0, 5.0, 0.0]])
    assert average_link(scores, [0, 1], [2]) == pytest.approx(4.0)


def test_spread_keeps_the_ends_and_at_most_the_limit() -> None:
    members = [f"d{i}" for i in range(100)]
    kept = spread(members, 10)
    assert len(kept) == 10 and kept[0] == "d0" and kept[-1] == "d99"
    assert spread(members[:3], 10) == ["d0", "d1", "d2"]


def test_evidence_reads_each_document_once_and_needs_all_of_them() -> None:
    documents = {name: Document(id=name, text=name) for name in ("a", "b", "c")}
    read: list[str] = []

    def reader(docs: Sequence[Document]) -> list[Probe]:
        batch = [d.id for d in docs]
        read.extend(batch)
        return [probe({name: 1.0}, 0) for name in batch]

    evidence = Evidence(documents, reader)
    assert evidence.pair(["a"], ["b", "c"]) is not None
    assert evidence.pair(["c"], ["a"]) is not None
    assert read == ["a", "b", "c"]
    assert evidence.pair(["a"], ["missing"]) is None
