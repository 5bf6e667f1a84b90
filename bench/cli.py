"""Command-line start-up and `newsdesk extract DIR` as a whole process.

1. `newsdesk --help`: wall time of the process (goal: under 0.5 s).
2. `newsdesk extract DIR > /dev/null` on the scrapinghub pages, start-up included, in one
   process (`-j 1`) and with one process per CPU (the default), against trafilatura's own
   in-process loop over the same files (read, inflate, extract), timed after its import:
   the pages/second ratios (goal: at least 0.9).

The two are run alternately; medians are printed as Markdown for BENCHMARKS.md. Skips the
second part (exit 0) when ../shared/eval is absent.
"""

from __future__ import annotations

import argparse
import gzip
import os
import statistics
import subprocess
import sys
import time
from pathlib import Path

DEFAULT = Path(__file__).resolve().parents[2] / "shared" / "eval" / "extraction" / "scrapinghub"
NEWSDESK = str(Path(sys.executable).with_name("newsdesk"))


def process_seconds(args: list[str]) -> float:
    started = time.perf_counter()
    subprocess.run([NEWSDESK, *args], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    return time.perf_counter() - started


def trafilatura_seconds(pages: list[Path]) -> float:
    import trafilatura

    started = time.perf_counter()
    for page in pages:
        trafilatura.extract(gzip.decompress(page.read_bytes()).decode("utf-8", "replace"))
    return time.perf_counter() - started


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("path", type=Path, nargs="?", default=DEFAULT)
    parser.add_argument("--repeats", type=int, default=3)
    args = parser.parse_args()
    helps = sorted(process_seconds(["--help"]) for _ in range(7))
    print("| measure | median | range |")
    print("|---|---|---|")
    spread = f"{helps[0]:.2f}-{helps[-1]:.2f}"
    print(f"| `newsdesk --help`, s | {statistics.median(helps):.2f} | {spread} |")
    folder = args.path / "html"
    if not folder.is_dir():
        print(f"extract benchmark skipped: no pages at {folder}")
        return
    pages = sorted(folder.glob("*.html.gz"))
    trafilatura_seconds(pages[:5])  # import and warm-up outside the timing
    single: list[float] = []
    default: list[float] = []
    theirs: list[float] = []
    for _ in range(args.repeats):
        single.append(len(pages) / process_seconds(["extract", "-j", "1", str(folder)]))
        default.append(len(pages) / process_seconds(["extract", str(folder)]))
        theirs.append(len(pages) / trafilatura_seconds(pages))
    rows = [
        (f"`newsdesk extract -j 1 DIR`, pages/s ({len(pages)} pages, whole process)", single),
        (f"`newsdesk extract DIR` ({os.cpu_count()} CPUs), pages/s", default),
        ("trafilatura in-process loop, pages/s", theirs),
    ]
    for label, speeds in rows:
        print(
            f"| {label} | {statistics.median(speeds):.1f} | {min(speeds):.1f}-{max(speeds):.1f} |"
        )
    for label, speeds in (("-j 1", single), ("default", default)):
        ratios = sorted(a / b for a, b in zip(speeds, theirs, strict=True))
        spread = f"{ratios[0]:.2f}-{ratios[-1]:.2f}"
        print(f"| ratio to trafilatura, {label} | {statistics.median(ratios):.2f} | {spread} |")


if __name__ == "__main__":
    main()
