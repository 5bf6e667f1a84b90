"""Time the extractive writer on stories of 20 documents, on one core.

Goal: under 1 second per 20-document story. The stories are real news: ECB+ clusters
read by path from the evaluation data (never copied), cut to their first 20 documents;
the two events of an ECB+ topic are also joined into one story where together they have
20 documents (what a clusterer that merges them would hand the writer). Without the
evaluation data the bundled sample wire's 52 articles are used, 20 at a time.

The process is pinned to one CPU and numpy's thread pools to one thread before numpy is
imported. Prints a Markdown table for BENCHMARKS.md.
"""

from __future__ import annotations

import os

for _name in ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS"):
    os.environ[_name] = "1"

import argparse  # noqa: E402
import platform  # noqa: E402
import statistics  # noqa: E402
import time  # noqa: E402
from collections import defaultdict  # noqa: E402
from pathlib import Path  # noqa: E402

from newsdesk.evaluation.writing import load_stories  # noqa: E402
from newsdesk.records import Document, Story  # noqa: E402
from newsdesk.samplewire import load_wire  # noqa: E402
from newsdesk.write import write_article  # noqa: E402

SIZE = 20
ECBPLUS = Path(__file__).resolve().parents[1] / ".." / "shared" / "eval" / "events"
DEFAULT = ECBPLUS / "ecbplus-dev.jsonl"


def ecbplus_stories(path: Path) -> list[Story]:
    """Events with 20+ documents, and topics whose two events have 20+ together."""
    events = [item.story for item in load_stories(path)]
    stories = [
        Story(id=s.id, documents=s.documents[:SIZE]) for s in events if len(s.documents) >= SIZE
    ]
    by_topic: dict[str, list[Document]] = defaultdict(list)
    for story in events:
        by_topic[story.id.rstrip("abcdefghijklmnopqrstuvwxyz") or story.id].extend(story.documents)
    for topic, documents in sorted(by_topic.items()):
        if len(documents) >= SIZE and len({d.id for d in documents}) >= SIZE:
            stories.append(Story(id=f"topic-{topic}", documents=documents[:SIZE]))
    return stories


def sample_wire_stories() -> list[Story]:
    articles = load_wire()
    documents = [
        Document(
            id=a.slug,
            source=a.outlet.name,
            title=a.title,
            published=a.published,
            text="\n\n".join(a.paragraphs),
        )
        for a in articles
    ]
    return [
        Story(id=f"wire-{k}", documents=documents[k : k + SIZE])
        for k in range(0, len(documents) - SIZE + 1, SIZE)
    ]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("path", nargs="?", type=Path, default=DEFAULT)
    parser.add_argument("--repeat", type=int, default=3, help="timed runs of each story")
    args = parser.parse_args()
    if hasattr(os, "sched_setaffinity"):
        os.sched_setaffinity(0, {min(os.sched_getaffinity(0))})
    if args.path.is_file():
        stories, origin = ecbplus_stories(args.path), f"ECB+ ({args.path.name})"
    else:
        stories, origin = sample_wire_stories(), "sample wire"
    write_article(stories[0])  # warm-up: imports and first-call costs are not the writer's
    seconds = []
    for story in stories:
        runs = []
        for _ in range(args.repeat):
            started = time.perf_counter()
            write_article(story)
            runs.append(time.perf_counter() - started)
        seconds.append(statistics.median(runs))
    seconds.sort()
    words = statistics.mean(sum(len(d.text.split()) for d in s.documents) for s in stories)
    print(
        f"python {platform.python_version()}, 1 core, {origin}: {len(stories)} stories of "
        f"{SIZE} documents, {words:.0f} words each on average; median of {args.repeat} runs"
    )
    print()
    print("| measure | seconds per story |")
    print("|---|---|")
    print(f"| median | {statistics.median(seconds):.3f} |")
    print(f"| 90th percentile | {seconds[int(0.9 * (len(seconds) - 1))]:.3f} |")
    print(f"| max | {seconds[-1]:.3f} |")


if __name__ == "__main__":
    main()
