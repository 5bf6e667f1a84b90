"""Extraction benchmark: newsdesk's extractor against plain trafilatura on the same pages.

Reads the scrapinghub article-extraction benchmark from ../shared/eval (given by path;
never copied into the repository), runs both extractors page by page alternately, three
times, and prints precision, recall, F1 and pages/second of each with the throughput
ratio, as a Markdown table for BENCHMARKS.md. Skips (exit 0) when the data is absent.
"""

from __future__ import annotations

import argparse
import statistics
from pathlib import Path

from newsdesk.evaluation.extraction import (
    Extractor,
    extract_with_newsdesk,
    extract_with_trafilatura,
    load_benchmark,
    run_benchmark,
    warm_up,
)

DEFAULT = Path(__file__).resolve().parents[2] / "shared" / "eval" / "extraction" / "scrapinghub"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("path", type=Path, nargs="?", default=DEFAULT)
    parser.add_argument("--repeats", type=int, default=3)
    args = parser.parse_args()
    if not (args.path / "ground-truth.json").is_file():
        print(f"extraction benchmark skipped: no data at {args.path}")
        return
    pages = load_benchmark(args.path)
    extractors: dict[str, Extractor] = {
        "newsdesk": extract_with_newsdesk,
        "trafilatura": extract_with_trafilatura,
    }
    warm_up(pages, extractors)
    speeds: dict[str, list[float]] = {name: [] for name in extractors}
    ratios = []
    for _ in range(args.repeats):
        runs = {run.name: run for run in run_benchmark(pages, extractors)}
        for name, run in runs.items():
            speeds[name].append(run.pages_per_second)
        ratios.append(runs["newsdesk"].pages_per_second / runs["trafilatura"].pages_per_second)
    print(f"{len(pages)} pages, {args.repeats} runs, alternating page by page")
    print("| extractor | precision | recall | F1 | pages/s (median) |")
    print("|---|---|---|---|---|")
    for name, run in runs.items():
        scores = run.scores
        print(
            f"| {name} | {scores.precision:.4f} | {scores.recall:.4f} | {scores.f1:.4f} "
            f"| {statistics.median(speeds[name]):.1f} |"
        )
    spread = f"{min(ratios):.3f}-{max(ratios):.3f}"
    print(f"\nthroughput newsdesk/trafilatura: median {statistics.median(ratios):.3f} ({spread})")


if __name__ == "__main__":
    main()
