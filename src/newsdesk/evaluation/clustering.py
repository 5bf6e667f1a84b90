"""Measure story clustering against labelled events (B-cubed precision, recall, F1).

The input is JSON Lines: one document a line with an id (``doc_id`` or ``id``), its text
(``text`` or ``sentences``), optional ``published``, the gold story label ``event``, and
optionally ``topic``. Documents are fed to the clusterer in file order, as a stream. With
``topics="odd"`` or ``"even"`` only those topics are used: settings are chosen on one half
and reported on the other, never per topic.
"""

from __future__ import annotations

import json
import random
import time
from collections import defaultdict
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Literal

from pydantic import ValidationError

from newsdesk.cluster import ClusterConfig, PastSplit, cluster_stream
from newsdesk.embed import Embedder, get_embedder
from newsdesk.records import Document

Topics = Literal["all", "odd", "even"]


class DataError(ValueError):
    """The evaluation file is not what this measure reads."""


@dataclass(frozen=True)
class LabelledDocument:
    document: Document
    event: str
    topic: int | None


@dataclass(frozen=True)
class BCubed:
    precision: float
    recall: float
    f1: float


@dataclass(frozen=True)
class ClusteringReport:
    documents: int
    gold_stories: int
    stories: int
    streaming: BCubed
    corrected: BCubed
    documents_per_second: float
    in_runs: BCubed | None = None  # as the pipeline runs it (see cluster_in_runs)
    run_size: int | None = None


def load_labelled(path: Path) -> list[LabelledDocument]:
    labelled = []
    with path.open(encoding="utf-8") as handle:
        for number, line in enumerate(handle, start=1):
            if line.strip():
                labelled.append(_parse(_json(line, number), number))
    if not labelled:
        raise DataError("no documents")
    return labelled


def _json(line: str, number: int) -> dict[str, object]:
    try:
        data = json.loads(line)
    except json.JSONDecodeError as error:
        raise DataError(f"line {number}: not JSON ({error.msg})") from error
    if not isinstance(data, dict):
        raise DataError(f"line {number}: not a JSON object")
    return data


def _parse(data: dict[str, object], number: int) -> LabelledDocument:
    if "event" not in data:
        raise DataError(f"line {number}: no 'event' label")
    record = {**data, "id": data.get("id", data.get("doc_id"))}
    try:
        document = Document.model_validate(record)
    except ValidationError as error:
        problem = error.errors()[0]
        where = ".".join(str(part) for part in problem["loc"]) or "record"
        raise DataError(f"line {number}: {where}: {problem['msg']}") from error
    topic = data.get("topic")
    return LabelledDocument(document, str(data["event"]), topic if isinstance(topic, int) else None)


def select_topics(items: Sequence[LabelledDocument], topics: Topics) -> list[LabelledDocument]:
    if topics == "all":
        return list(items)
    if any(item.topic is None for item in items):
        raise DataError(f"--topics {topics} needs a numeric 'topic' on every line")
    parity = 1 if topics == "odd" else 0
    return [item for item in items if item.topic is not None and item.topic % 2 == parity]


def bcubed(predicted: Mapping[str, str], gold: Mapping[str, str]) -> BCubed:
    """B-cubed over the documents of ``gold`` (each document weighs the same)."""
    by_predicted: dict[str, set[str]] = defaultdict(set)
    by_gold: dict[str, set[str]] = defaultdict(set)
    for doc_id in gold:
        by_predicted[predicted[doc_id]].add(doc_id)
        by_gold[gold[doc_id]].add(doc_id)
    precision = recall = 0.0
    for doc_id in gold:
        mine, theirs = by_predicted[predicted[doc_id]], by_gold[gold[doc_id]]
        shared = len(mine & theirs)
        precision += shared / len(mine)
        recall += shared / len(theirs)
    precision, recall = precision / len(gold), recall / len(gold)
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    return BCubed(round(precision, 4), round(recall, 4), round(f1, 4))


def evaluate(
    items: Sequence[LabelledDocument],
    config: ClusterConfig | None = None,
    *,
    shuffle_seed: int | None = None,
    run_size: int | None = None,
) -> ClusteringReport:
    """Cluster the documents as one stream, without and with the correction pass (and,
    with ``run_size``, in runs of that many documents as the pipeline does)."""
    ordered = list(items)
    if shuffle_seed is not None:
        random.Random(shuffle_seed).shuffle(ordered)
    documents = [item.document for item in ordered]
    gold = {item.document.id: item.event for item in ordered}
    if len(gold) != len(documents):
        raise DataError("document ids are not unique")
    embedder = get_embedder()
    embedder.embed(["warm up"])
    streaming = cluster_stream(
        documents, config=config, embedder=embedder, corrections=False
    ).assignments
    started = time.perf_counter()
    corrected = cluster_stream(documents, config=config, embedder=embedder).assignments
    seconds = time.perf_counter() - started
    final = {a.id: a.story for a in corrected}
    in_runs = None
    if run_size is not None:
        in_runs = bcubed(cluster_in_runs(documents, run_size, config, embedder), gold)
    return ClusteringReport(
        documents=len(documents),
        gold_stories=len(set(gold.values())),
        stories=len(set(final.values())),
        streaming=bcubed({a.id: a.story for a in streaming}, gold),
        corrected=bcubed(final, gold),
        documents_per_second=round(len(documents) / seconds, 1),
        in_runs=in_runs,
        run_size=run_size,
    )


def cluster_in_runs(
    documents: Sequence[Document],
    run_size: int,
    config: ClusterConfig | None,
    embedder: Embedder,
) -> dict[str, str]:
    """Story of each document when clustered the way the pipeline's cluster stage does it.

    Each run takes the next ``run_size`` documents: a fresh clusterer is seeded with the
    stories so far (term statistics rebuilt from their documents), assigns the run, and the
    correction pass then looks at the stories that changed, and at the past splits that
    are due again. Stories never close here (the pipeline closes them by stream time).
    """
    if run_size < 1:
        raise ValueError("the run size must be at least 1")
    by_id = {doc.id: doc for doc in documents}
    story_of: dict[str, str] = {}
    splits: list[PastSplit] = []
    for start in range(0, len(documents), run_size):
        stories: dict[str, list[Document]] = defaultdict(list)
        for doc_id, story_id in story_of.items():
            stories[story_id].append(by_id[doc_id])
        run = documents[start : start + run_size]
        done = cluster_stream(
            run, existing=stories, splits=splits, config=config, embedder=embedder
        )
        splits += [
            PastSplit(move.source, move.target, move.counted)
            for move in done.moves
            if move.kind == "split"
        ]
        story_of = {doc_id: done.story_of[doc_id] for doc_id in [*story_of, *(d.id for d in run)]}
    return story_of
