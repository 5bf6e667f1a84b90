"""Time `make demo`'s pipeline from an empty database to published stories, stage by stage.

Runs the real stages against the bundled sample wire on loopback, several times, each on
a fresh SQLite file, and prints a Markdown table (median and spread) for BENCHMARKS.md.
"""

from __future__ import annotations

import argparse
import platform
import statistics
import tempfile
import time
from pathlib import Path

from newsdesk.pipeline import STAGES, Pipeline
from newsdesk.samplewire import start_wire_server
from newsdesk.settings import Settings
from newsdesk.store import Store, migrate, repo


def run_once(base: Path) -> dict[str, float]:
    url = f"sqlite:///{base / 'bench.db'}"
    started = time.perf_counter()
    migrate(url)
    timings = {"migrate": time.perf_counter() - started}
    store = Store(url)
    with start_wire_server() as wire:
        with store.session() as session:
            for feed in wire.feed_urls():
                repo.add_source(session, feed, allow_private=True)
        pipeline = Pipeline(store, Settings(data_dir=base))
        for stage in STAGES:
            result = getattr(pipeline, stage)()
            timings[stage] = result.seconds
    with store.session() as session:
        timings["stories"] = len(repo.list_published(session, limit=1000))
        timings["documents"] = repo.count_documents(session)
    store.close()
    timings["total"] = time.perf_counter() - started
    return timings


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args()
    runs = []
    for _ in range(args.runs):
        with tempfile.TemporaryDirectory() as folder:
            runs.append(run_once(Path(folder)))
    print(f"pipeline on the sample wire, {args.runs} runs, Python {platform.python_version()}")
    print(f"documents: {runs[0]['documents']:.0f}, published stories: {runs[0]['stories']:.0f}\n")
    print("| stage | median s | min s | max s |")
    print("|---|---|---|---|")
    for name in ["migrate", *STAGES, "total"]:
        values = [r[name] for r in runs]
        print(
            f"| {name} | {statistics.median(values):.3f} | {min(values):.3f} | {max(values):.3f} |"
        )


if __name__ == "__main__":
    main()
