"""Fit the clusterer's document-to-story weights (`Weights`) on the odd ECB+ topics only.

    .venv/bin/python bench/fit_cluster_weights.py ../shared/eval/events/ecbplus-dev.jsonl

The odd-topic documents are read in file order, as a stream, with the term statistics
growing as the clusterer's do; each document is compared with every gold story built
from the documents before it (the right story, the other event of its topic, and the
rest), each signal of `fit` measured alone. A logistic regression on those pairs gives
the weights; they are scaled so that the join threshold 1.1 is where the model says
even odds. The even topics are never read. (ECB+ has no dates, so `day_gap` and `recent`
are not fitted here.)
"""

from __future__ import annotations

import argparse
from pathlib import Path

import numpy as np
from sklearn.linear_model import LogisticRegression

from newsdesk.cluster import StoryClusterer
from newsdesk.cluster.story import StoryProfile, Weights, fit
from newsdesk.embed import get_embedder
from newsdesk.evaluation.clustering import load_labelled, select_topics

SIGNALS = ("lexical", "dense", "entities", "numbers", "year_gap")
JOIN_THRESHOLD = 1.1


def signal_weights(name: str) -> Weights:
    """Weights that keep one signal of `fit` (the year gap enters as a penalty of 1)."""
    zero = dict.fromkeys((*SIGNALS, "day_gap", "recent"), 0.0)
    return Weights(**{**zero, name: 1.0})


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("path", type=Path)
    args = parser.parse_args()
    items = select_topics(load_labelled(args.path), "odd")
    clusterer = StoryClusterer(get_embedder())
    stories: dict[str, StoryProfile] = {}
    rows, labels = [], []
    for item in items:
        probe = clusterer.probes([item.document])[0]
        for event, story in sorted(stories.items()):
            dense = float(probe.dense @ story.centroid())
            rows.append([fit(probe, story, dense, signal_weights(n)) for n in SIGNALS])
            labels.append(event == item.event)
        story = stories.setdefault(item.event, StoryProfile(item.event, clusterer.embedder.dim))
        story.add(probe, [item.document.id])
    model = LogisticRegression(C=10.0, max_iter=1000).fit(np.array(rows), np.array(labels))
    scale = JOIN_THRESHOLD / -model.intercept_[0]
    for name, value in zip(SIGNALS, model.coef_[0], strict=True):
        # The year gap is measured as minus the gap, so its weight is the penalty's.
        print(f"{name} = {value * scale:.2f}")
    print(f"({len(labels)} document-story pairs, {sum(labels)} right story)")


if __name__ == "__main__":
    main()
