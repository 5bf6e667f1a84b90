"""Fit the correction pass's document-pair weights (`PairWeights`) on the odd ECB+ topics.

    .venv/bin/python bench/fit_cluster_pairs.py ../shared/eval/events/ecbplus-dev.jsonl

Pairs: every pair of documents within one odd topic (same event or the topic's other
event: the hard negatives), plus 3,000 pairs across odd topics (seeded). The even topics
are never read here, so that `newsdesk eval clustering ... --topics even` stays an honest
held-out estimate. Prints the fitted weights and the within-topic pair AUC on both halves
(the even AUC is printed only as a check, never used to choose anything). The printed
date_gap is not the one used: few pairs are dated on both sides, so `PairWeights.date_gap`
was chosen by a grid on the odd topics' B-cubed F1 (BENCHMARKS.md).
"""

from __future__ import annotations

import argparse
import random
from pathlib import Path

import numpy as np
from numpy.typing import NDArray
from sklearn.linear_model import LogisticRegression
from sklearn.metrics import roc_auc_score

from newsdesk.cluster import StoryClusterer
from newsdesk.cluster.linkage import pair_features
from newsdesk.embed import get_embedder
from newsdesk.evaluation.clustering import LabelledDocument, load_labelled, select_topics

CROSS_TOPIC_PAIRS = 3000


def collect_pairs(
    items: list[LabelledDocument], seed: int, cross: int
) -> tuple[NDArray[np.float64], NDArray[np.bool_], NDArray[np.bool_]]:
    """(features, same event, within one topic) for the chosen pairs of ``items``."""
    clusterer = StoryClusterer(get_embedder())
    documents = [item.document for item in items]
    clusterer.probes(documents)  # term statistics of the whole half, as at the end of a stream
    matrices = np.stack(pair_features(clusterer.probes(documents, count=False)), axis=-1)
    rng = random.Random(seed)
    pairs = [
        (i, j)
        for i in range(len(items))
        for j in range(i + 1, len(items))
        if items[i].topic == items[j].topic
    ]
    while cross > 0:
        i, j = rng.sample(range(len(items)), 2)
        if items[i].topic != items[j].topic:
            pairs.append((i, j))
            cross -= 1
    features = np.array([matrices[i, j] for i, j in pairs])
    same = np.array([items[i].event == items[j].event for i, j in pairs])
    within = np.array([items[i].topic == items[j].topic for i, j in pairs])
    return features, same, within


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("path", type=Path)
    args = parser.parse_args()
    labelled = load_labelled(args.path)
    features, same, _ = collect_pairs(select_topics(labelled, "odd"), 0, CROSS_TOPIC_PAIRS)
    model = LogisticRegression(C=10.0, max_iter=1000).fit(features, same)
    names = ("lexical", "dense", "entities", "numbers", "year_gap", "date_gap")
    for name, value in zip(names, model.coef_[0], strict=True):
        print(f"{name} = {value:.2f}")
    print(f"bias = {model.intercept_[0]:.2f}")
    for half in ("odd", "even"):
        features, same, within = collect_pairs(select_topics(labelled, half), 0, 0)
        auc = roc_auc_score(same[within], model.decision_function(features[within]))
        print(f"within-topic pair AUC, {half} topics: {auc:.3f}")


if __name__ == "__main__":
    main()
