import random
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta

import numpy as np

from newsdesk.cluster.story import (
    Probe,
    StoryProfile,
    Weights,
    fit,
    fit_above,
    fit_ceiling,
    fit_rest,
    lexical_ceiling,
    time_signals,
)
from newsdesk.embed import normalise_rows

WORDS = [f"w{i}" for i in range(30)]
T0 = datetime(2026, 11, 2, tzinfo=UTC)


def random_probe(rng: random.Random) -> Probe:
    terms = {w: rng.random() for w in rng.sample(WORDS, rng.randint(0, 8))}
    norm = sum(v * v for v in terms.values()) ** 0.5
    vector = np.array([[rng.gauss(0, 1) for _ in range(8)]], dtype=np.float32)
    return Probe(
        terms={t: v / norm for t, v in terms.items()},
        dense=normalise_rows(vector)[0],
        entities={w: 1 + 3 * rng.random() for w in rng.sample(WORDS, rng.randint(0, 4))},
        numbers=frozenset(rng.sample(WORDS, rng.randint(0, 3))),
        year=rng.choice([None, 2019, 2021, 2026]),
        published=rng.choice([None, T0 + timedelta(hours=rng.uniform(0, 400))]),
    )


def random_pairs(seed: int, count: int = 300) -> Iterator[tuple[Probe, StoryProfile, float]]:
    """Random documents and stories of one to four documents, with their dense cosine."""
    rng = random.Random(seed)
    for _ in range(count):
        story = StoryProfile("s", 8)
        for _ in range(rng.randint(1, 4)):
            story.add(random_probe(rng), ["d"])
        probe = random_probe(rng)
        yield probe, story, float(probe.dense @ story.centroid())


def test_the_bounds_are_never_below_the_fit() -> None:
    weights = Weights()
    for probe, story, dense in random_pairs(4):
        score = fit(probe, story, dense, weights)
        assert fit_rest(probe, story, dense, weights) + lexical_ceiling(weights) >= score
        assert fit_ceiling(probe, story, dense, weights) >= score


def test_a_probe_identical_to_its_story_has_the_bound_reached_up_to_the_lexical_gap() -> None:
    rng = random.Random(5)
    probe = random_probe(rng)
    story = StoryProfile("s", 8)
    story.add(probe, ["d"])
    weights = Weights()
    dense = float(probe.dense @ story.centroid())
    bound = fit_rest(probe, story, dense, weights) + lexical_ceiling(weights)
    gap = bound - fit(probe, story, dense, weights)
    expected = weights.lexical * (1.0 - story.lexical_cosine(probe.terms))
    assert abs(gap - expected) < 1e-5


def test_the_strongest_terms_are_kept_strongest_first_ties_by_term() -> None:
    story = StoryProfile("s", 2)
    many = {f"t{i:04d}": float(i % 7) for i in range(900)}
    story.add(Probe(many, np.zeros(2, dtype=np.float32), {}, frozenset(), None, None), ["d"])
    expected = sorted(many.items(), key=lambda kv: (-kv[1], kv[0]))[:400]
    assert list(story.terms.items()) == expected


def test_the_centroid_follows_every_added_document() -> None:
    story = StoryProfile("s", 2)
    east = np.array([1.0, 0.0], dtype=np.float32)
    north = np.array([0.0, 1.0], dtype=np.float32)
    story.add(Probe({}, east, {}, frozenset(), None, None), ["a"])
    assert np.allclose(story.centroid(), east)
    story.add(Probe({}, north, {}, frozenset(), None, None), ["b"])
    assert np.allclose(story.centroid(), [2**-0.5, 2**-0.5])


def test_fit_above_is_the_fit_or_none_only_below_the_bar() -> None:
    rng = random.Random(6)
    weights = Weights()
    for probe, story, dense in random_pairs(7):
        score = fit(probe, story, dense, weights)
        bar = rng.uniform(-1.0, 3.0)
        found = fit_above(probe, story, dense, weights, bar)
        assert found == score if found is not None else score < bar


def test_given_time_signals_change_nothing() -> None:
    rng = random.Random(7)
    weights = Weights()
    for _ in range(100):
        story = StoryProfile("s", 8)
        story.add(random_probe(rng), ["d"])
        probe = random_probe(rng)
        time = time_signals(probe, story, weights)
        assert (time is None) == (probe.published is None or story.latest is None)
        assert fit_rest(probe, story, 0.3, weights, time) == fit_rest(probe, story, 0.3, weights)
        assert fit_ceiling(probe, story, 0.3, weights, time) == fit_ceiling(
            probe, story, 0.3, weights
        )
