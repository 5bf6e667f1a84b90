"""Story clustering at scale, side by side in one run (`make bench`).

A synthetic stream (generated here, seeded) of short news reports about many invented
events is fed to the clusterer twice: once with 10,000 events open at the same time and
once with 100. Beside it, the same documents' embeddings alone are timed. Then the
related-stories index is queried at 100,000 stories. Prints a Markdown table.
"""

from __future__ import annotations

import argparse
import random
import resource
import statistics
import time
from datetime import UTC, datetime, timedelta

import numpy as np

from newsdesk.cluster import StoryClusterer
from newsdesk.embed import get_embedder, normalise_rows
from newsdesk.publish import RelatedIndex
from newsdesk.records import Document

KINDS = [
    ("earthquake", "magnitude quake tremor rubble rescue aftershock collapsed"),
    ("flood", "river flood water levels evacuated shelters rain banks"),
    ("strike", "union workers strike pay talks picket walkout"),
    ("election", "votes ballot candidate parliament turnout count results"),
    ("fire", "blaze firefighters smoke hectares evacuated wind crews"),
    ("trial", "court judge jury verdict charges prosecutors defence"),
    ("merger", "company shares deal acquisition board investors offer"),
    ("match", "final goal team coach season fans stadium score"),
]
SYLLABLES = "ka lo ren mi sar to vel an dor is ul bre nak tho fen gar lis mor".split()


def invent_name(rng: random.Random) -> str:
    return "".join(rng.choice(SYLLABLES) for _ in range(rng.randint(2, 3))).capitalize()


def make_stream(documents: int, events: int, seed: int) -> list[Document]:
    """Reports about ``events`` events, interleaved, all within two days (all stay open).

    Each event has its own invented place, people and terms, so that events are separable
    as real ones are; reports of one event draw different subsets of them.
    """
    rng = random.Random(seed)
    facts = []
    for _ in range(events):
        kind, words = rng.choice(KINDS)
        own = [invent_name(rng) for _ in range(8)]
        facts.append((kind, words.split(), own, rng.randint(2, 900)))
    start = datetime(2026, 11, 1, tzinfo=UTC)
    stream = []
    for i in range(documents):
        kind, words, own, number = facts[rng.randrange(events)]
        a, b, c, d, e = rng.sample(own, 5)
        picked = " ".join(rng.sample(words, 3))
        text = (
            f"{a} {b}: the {kind} near {c} left {number} people affected. "
            f"{d} and {e} spoke of {picked} in {a}, {c} and {b}. "
            f"{rng.choice(own)} {rng.choice(words)} {rng.choice(own)} {rng.choice(own)}."
        )
        when = start + timedelta(seconds=i * 172800 / documents)
        stream.append(Document(id=f"d{i}", text=text, published=when))
    return stream


def time_embedding(docs: list[Document]) -> float:
    embedder = get_embedder()
    started = time.perf_counter()
    for begin in range(0, len(docs), 256):
        embedder.embed([d.text for d in docs[begin : begin + 256]])
    return len(docs) / (time.perf_counter() - started)


def time_clustering(docs: list[Document]) -> tuple[float, int]:
    clusterer = StoryClusterer(get_embedder())
    started = time.perf_counter()
    clusterer.assign(docs)
    return len(docs) / (time.perf_counter() - started), len(clusterer.stories)


def time_related(stories: int, queries: int, seed: int) -> tuple[float, float]:
    rng = np.random.default_rng(seed)
    vectors = normalise_rows(rng.standard_normal((stories, 256)).astype(np.float32))
    index = RelatedIndex([f"s{i}" for i in range(stories)], vectors)
    times = []
    for row in rng.integers(0, stories, queries):
        started = time.perf_counter()
        index.query(vectors[row : row + 1], 4)
        times.append((time.perf_counter() - started) * 1000)
    times.sort()
    return statistics.median(times), times[int(len(times) * 0.99) - 1]


def peak_mib() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--documents", type=int, default=100_000)
    parser.add_argument("--stories", type=int, default=100_000, help="for related stories")
    parser.add_argument("--seed", type=int, default=7)
    args = parser.parse_args()
    get_embedder().embed(["warm up"])
    many = make_stream(args.documents, 10_000, args.seed)
    few = make_stream(args.documents, 100, args.seed + 1)
    embed_rate = time_embedding(many)
    many_rate, many_open = time_clustering(many)
    few_rate, few_open = time_clustering(few)
    memory = peak_mib()
    median_ms, p99_ms = time_related(args.stories, 1000, args.seed)
    print(f"synthetic stream: {args.documents} documents, wordllama-l2-256, seed {args.seed}\n")
    print("| measure | value |")
    print("|---|---|")
    print(f"| embeddings alone, docs/s | {embed_rate:.0f} |")
    print(f"| clusterer, 10,000 events ({many_open} open stories), docs/s | {many_rate:.0f} |")
    print(
        f"| clusterer, 100 events ({few_open} open stories at the end), docs/s | {few_rate:.0f} |"
    )
    print(f"| ratio 10,000-event / embeddings alone (goal >= 0.5) | {many_rate / embed_rate:.2f} |")
    print(
        f"| ratio 10,000-event rate / 100-event rate (goal >= 0.8) | {many_rate / few_rate:.2f} |"
    )
    print(f"| peak resident memory of the run, MiB | {memory:.0f} |")
    print(f"| related stories at {args.stories} stories, median ms | {median_ms:.2f} |")
    print(f"| related stories at {args.stories} stories, p99 ms | {p99_ms:.2f} |")


if __name__ == "__main__":
    main()
