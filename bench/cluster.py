"""Story clustering at scale, side by side in one run (`make bench`).

A synthetic stream (generated here, seeded) of short news reports about many invented
events is fed to the clusterer twice: once with about 10,000 stories open at the same time
and once with about 100. Beside it, the same documents' embeddings alone are timed. Then
the related-stories index is queried at 100,000 stories. Prints a Markdown table.

The goal is stated in open stories, not events: the clusterer (streaming only, as here)
joins some reports of two different same-kind events (two-sentence template reports with
invented names), about one event in six at this density, so the large stream has 12,000
events to keep about 10,000 stories open. The run prints how many it kept, and whether
that is within 10% of the target.
"""

from __future__ import annotations

import argparse
import random
import re
import resource
import statistics
import time
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

import numpy as np

from newsdesk.cluster import StoryClusterer
from newsdesk.cluster.features import clean_text
from newsdesk.cluster.stream import BATCH
from newsdesk.embed import WordLlamaEmbedder, get_embedder, normalise_rows
from newsdesk.nearest import RelatedIndex
from newsdesk.records import Document

MANY_EVENTS = 12_000  # about 10,000 open stories at the end (see the module docstring)
FEW_EVENTS = 100

KINDS = [
    ("earthquake", "magnitude quake tremor rubble rescue aftershock collapsed"),
    ("flood", "river flood water levels evacuated shelters rain banks"),
    ("strike", "union workers strike pay talks picket walkout"),
    ("election", "votes ballot candidate parliament turnout count results"),
    ("fire", "blaze firefighters smoke hectares evacuated wind crews"),
    ("trial", "court judge jury verdict charges prosecutors defence"),
    ("merger", "company shares deal acquisition board investors offer"),
    ("match", "final goal team coach season fans stadium score"),
    ("outage", "power grid blackout engineers cables homes restored"),
    ("crash", "train derailed passengers carriages signal inquiry injured"),
    ("storm", "gusts roofs ferries cancelled coastal warning damage"),
    ("protest", "marchers square police banners demands crowd rally"),
]
# Invented syllables: 25 onsets x 9 vowels x 10 codas = 2,250 of them, so names of two or
# three syllables number in the millions and each event can have its own.
ONSETS = "b br c d dr f g gr h j k kl l m n p pr qu r s st t tr v w".split()
VOWELS = "a e i o u ai ea ou y".split()
CODAS = ["", "", "n", "r", "s", "l", "m", "th", "x", "nd"]
MONTHS = (
    "January February March April May June July August September October November December"
).split()
# Report shapes: each document of an event uses two of them, so reports differ in form.
TEMPLATES = [
    "{p1} said the {kind} near {place} affected {n} people; {org} began {w1} {w5}.",
    "In {place}, {org} confirmed {n} {kw1} after the {kind} on {date}; {p2} described {w2}.",
    "{p2} of {org} told reporters that {w3} {w6} continued in {place} since {date}.",
    "{region}: {n} counted, {p1} and {p3} visited {place} to see {w1} {w7}.",
    "The {kind} at {place} on {date}: {p3} reported {w2} and {w4} {kw2}.",
    "{p1} warned that {w4} {w8} near {region} could delay {kw3} for {n} residents.",
    "{w5} {w6} at {place} remained {kw2}, {p2} ({org}) added on {date}.",
    "Why {w7} matters for {region}: {p3} on {w3}, {kw1} and the {n} figure.",
    "{org} and {p1} dispute {w8}; {place} waits as {kw3} {w2} goes on.",
    "After {date}, {p2} expects {w6} across {region}, with {n} {kw1} {w4}.",
]


@dataclass(frozen=True)
class Event:
    """One invented event: its kind and the names, places and figures only it has."""

    kind: str
    words: tuple[str, ...]
    people: tuple[str, ...]
    place: str
    region: str
    org: str
    own_words: tuple[str, ...]
    number: int
    date: str
    start: float  # seconds from the stream's start


class Inventor:
    """Invented words, never the same twice in one stream."""

    def __init__(self, rng: random.Random) -> None:
        self.rng = rng
        self.used: set[str] = set()

    def word(self, syllables: tuple[int, int] = (2, 3)) -> str:
        while True:
            count = self.rng.randint(*syllables)
            word = "".join(
                self.rng.choice(ONSETS) + self.rng.choice(VOWELS) + self.rng.choice(CODAS)
                for _ in range(count)
            )
            if word not in self.used:
                self.used.add(word)
                return word

    def name(self) -> str:
        return self.word().capitalize()


def load_common_words() -> list[str]:
    """Whole lower-case words (5-12 letters) from the embedding model's own vocabulary.

    Invented pseudo-words all look alike to the embedding (a shared "unknown word"
    direction: median cosine 0.38 between texts made only of them, 0.10 for texts of
    vocabulary words), which would make distinct events falsely similar; so each event's
    distinctive terms are drawn from this list at run time, and only names are invented.
    """
    embedder = get_embedder()
    if not isinstance(embedder, WordLlamaEmbedder):
        raise TypeError(f"the benchmark expects the WordLlama embedder, got {embedder.name}")
    tokenizer = embedder._model.tokenizer
    return sorted(
        {
            token[1:]
            for token in tokenizer.get_vocab()
            if token[:1] in "\u0120\u2581" and re.fullmatch(r"[a-z]{5,12}", token[1:])
        }
    )


def invent_events(count: int, span: float, rng: random.Random) -> list[Event]:
    inventor = Inventor(rng)
    common = load_common_words()
    events = []
    for _ in range(count):
        kind, words = rng.choice(KINDS)
        events.append(
            Event(
                kind=kind,
                words=tuple(words.split()),
                people=tuple(f"{inventor.name()} {inventor.name()}" for _ in range(3)),
                place=inventor.name(),
                region=inventor.name(),
                org=f"the {inventor.name()} {rng.choice(['Council', 'Agency', 'Group'])}",
                own_words=tuple(rng.sample(common, 8)),
                number=rng.randint(12, 99_999),
                date=f"{rng.randint(1, 28)} {rng.choice(MONTHS)}",
                start=rng.uniform(0, span),
            )
        )
    return events


def write_report(event: Event, rng: random.Random) -> str:
    p1, p2, p3 = rng.sample(event.people, 3)
    w1, w2, w3, w4, w5, w6, w7, w8 = rng.sample(event.own_words, 8)
    kw1, kw2, kw3 = rng.sample(event.words, 3)
    fields = {
        "kind": event.kind,
        "place": event.place,
        "region": event.region,
        "org": event.org,
        "n": f"{event.number:,}",
        "date": event.date,
        "p1": p1,
        "p2": p2,
        "p3": p3,
        "w1": w1,
        "w2": w2,
        "w3": w3,
        "w4": w4,
        "w5": w5,
        "w6": w6,
        "w7": w7,
        "w8": w8,
        "kw1": kw1,
        "kw2": kw2,
        "kw3": kw3,
    }
    return " ".join(t.format(**fields) for t in rng.sample(TEMPLATES, 2))


def make_stream(documents: int, events: int, seed: int) -> list[Document]:
    """``documents`` reports about ``events`` invented events, interleaved in time order.

    Events start at random over three days and each is reported for up to half a day
    after its start, so the whole stream (3.5 days) lies inside the clusterer's 96-hour
    window: every event stays open, and the open stories at the end should number
    about ``events``.
    """
    rng = random.Random(seed)
    span, coverage = 3 * 86400.0, 43200.0
    chosen = invent_events(events, span, rng)
    # Every event gets at least one report, the rest go to events at random.
    picks = list(range(events)) + [rng.randrange(events) for _ in range(documents - events)]
    timed = sorted((chosen[e].start + rng.uniform(0, coverage), e) for e in picks)
    start = datetime(2026, 11, 1, tzinfo=UTC)
    return [
        Document(
            id=f"d{i}",
            text=write_report(chosen[e], rng),
            published=start + timedelta(seconds=offset),
        )
        for i, (offset, e) in enumerate(timed)
    ]


def time_embedding(docs: list[Document]) -> float:
    """The same texts the clusterer embeds (title and text, links removed), in its batches."""
    embedder = get_embedder()
    started = time.perf_counter()
    for begin in range(0, len(docs), BATCH):
        embedder.embed([clean_text(d) for d in docs[begin : begin + BATCH]])
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
    many = make_stream(args.documents, MANY_EVENTS, args.seed)
    few = make_stream(args.documents, FEW_EVENTS, args.seed + 1)
    embed_rate = time_embedding(many)
    many_rate, many_open = time_clustering(many)
    few_rate, few_open = time_clustering(few)
    memory = peak_mib()
    median_ms, p99_ms = time_related(args.stories, 1000, args.seed)
    print(f"synthetic stream: {args.documents} documents, wordllama-l2-256, seed {args.seed}")
    for events, target, opened in ((MANY_EVENTS, 10_000, many_open), (FEW_EVENTS, 100, few_open)):
        verdict = "holds" if abs(opened - target) <= 0.1 * target else "DOES NOT HOLD"
        print(f"{events} events: {opened} open stories at the end, target {target} ({verdict})")
    print()
    print("| measure | value |")
    print("|---|---|")
    print(f"| embeddings alone, docs/s | {embed_rate:.0f} |")
    print(f"| clusterer, {many_open} open stories, docs/s | {many_rate:.0f} |")
    print(f"| clusterer, {few_open} open stories, docs/s | {few_rate:.0f} |")
    print(
        f"| ratio ~10,000 stories / embeddings alone (goal >= 0.5) | {many_rate / embed_rate:.2f} |"
    )
    print(f"| ratio ~10,000 stories / ~100 stories (goal >= 0.8) | {many_rate / few_rate:.2f} |")
    print(f"| peak resident memory of the run, MiB | {memory:.0f} |")
    print(f"| related stories at {args.stories} stories, median ms | {median_ms:.2f} |")
    print(f"| related stories at {args.stories} stories, p99 ms | {p99_ms:.2f} |")


if __name__ == "__main__":
    main()
