"""Run the peer projects' test feeds through newsdesk's parse_feed, against feedparser.

Issue 20 asks for the peer projects' test data to be re-run through newsdesk: bundled in
the tests where the licence allows, else through this script. The two peers:

- feedparser (BSD-2-Clause). Its sdist on PyPI carries its whole test suite: about 2,200
  feeds under tests/, and the date strings of tests/runtests.py. 68 of the feeds, and the
  date strings, are bundled in tests/fixtures/peer/feedparser/ and checked by
  tests/test_peer_feeds.py on every test run. This script checks all of them, with the
  comparison of that test module (``compare``: the same rules, the same deliberate
  differences), so that the two never disagree on what a match is.
- rss-parser (MIT, npm). Its test feeds (test/input/, about 40) are in its git repository
  (github.com/rbren/rss-parser) only, and many are copies of news sites' feeds (the
  Guardian, Reddit) that its MIT licence cannot cover. The npm tarball holds the library,
  its README and its browser build, no feed (3.13.0: 17 files). Only package registries
  are used here, so the script opens the tarball and reports the feeds it holds: none.

What it does: downloads ``feedparser==<the installed version>`` as an sdist with pip
(``pip download --no-deps --no-binary :all:``) and, when npm is on PATH, runs ``npm pack
rss-parser``, both into a temporary folder (or --workdir); --feedparser-sdist and
--rss-parser-tgz take files already downloaded instead. Each feed is parsed by
``parse_feed`` and by ``feedparser.parse`` on the same bytes and HTTP headers (feedparser's
test files declare theirs in their "Header:" lines). It prints a table: feeds, feeds
parse_feed read, feeds that match feedparser (titles, links, dates), feeds that differ by
design, with the reason, and every mismatch. Each date string of runtests.py is read in
an RSS item by both, and the ones they read differently are listed.

Run it from the repository root with the development environment (it imports the test
module, hence pytest and time-machine)::

    .venv/bin/python scripts/peer-feeds.py [--workdir DIR]
        [--feedparser-sdist FILE] [--rss-parser-tgz FILE]

It exits with 1 when there is a mismatch, else 0. It takes about 15 s after the
downloads (the first date only dateparser reads loads all its languages). feedparser's
compression tests (tests/compression/) are not feeds for parse_feed, which gets bodies
the fetcher has already decoded, and are left out.
"""

from __future__ import annotations

import argparse
import ast
import importlib
import importlib.metadata
import shutil
import subprocess
import sys
import tarfile
import tempfile
import time
from collections import Counter
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from types import ModuleType

ROOT = Path(__file__).resolve().parent.parent
FEED_SUFFIXES = (".xml", ".rss", ".atom", ".rdf", ".feed")


@dataclass
class Tally:
    """What one peer's feeds came to."""

    name: str
    feeds: int = 0
    read: int = 0
    match: int = 0
    by_design: Counter[str] = field(default_factory=Counter)
    mismatches: list[str] = field(default_factory=list)


def main() -> int:
    args = parse_arguments()
    peer = comparison_module()
    with tempfile.TemporaryDirectory(prefix="peer-feeds-") as scratch:
        workdir = Path(args.workdir or scratch)
        workdir.mkdir(parents=True, exist_ok=True)
        sdist = Path(args.feedparser_sdist) if args.feedparser_sdist else fetch_feedparser(workdir)
        tgz = Path(args.rss_parser_tgz) if args.rss_parser_tgz else fetch_rss_parser(workdir)
        started = time.monotonic()
        tallies = [run_feedparser_feeds(peer, sdist)]
        if tgz is not None:
            tallies.append(run_rss_parser_feeds(peer, tgz))
        date_count, date_lines = run_date_strings(peer, sdist)
    report(peer, tallies, date_count, date_lines, time.monotonic() - started)
    return 1 if any(t.mismatches for t in tallies) or date_lines else 0


def parse_arguments() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--workdir", help="keep the downloads here (default: a temporary folder)")
    parser.add_argument("--feedparser-sdist", help="a feedparser-*.tar.gz already downloaded")
    parser.add_argument("--rss-parser-tgz", help="an rss-parser-*.tgz already downloaded")
    return parser.parse_args()


def comparison_module() -> ModuleType:
    """tests/test_peer_feeds.py, whose ``compare`` decides what a match is."""
    sys.path.insert(0, str(ROOT / "tests"))
    return importlib.import_module("test_peer_feeds")


def fetch_feedparser(workdir: Path) -> Path:
    version = importlib.metadata.version("feedparser")
    command = [sys.executable, "-m", "pip", "download", "--no-deps", "--no-binary", ":all:"]
    command += [f"feedparser=={version}", "--dest", str(workdir)]
    run(command, workdir)
    return workdir / f"feedparser-{version}.tar.gz"


def fetch_rss_parser(workdir: Path) -> Path | None:
    npm = shutil.which("npm")
    if npm is None:
        print("npm is not on PATH: rss-parser is not checked", file=sys.stderr)
        return None
    output = run([npm, "pack", "rss-parser"], workdir)
    return workdir / output.strip().splitlines()[-1]


def run(command: list[str], folder: Path) -> str:
    done = subprocess.run(command, cwd=folder, capture_output=True, text=True, check=False)
    if done.returncode != 0:
        sys.exit(f"{' '.join(command)} failed:\n{done.stdout}{done.stderr}")
    return done.stdout


def run_feedparser_feeds(peer: ModuleType, sdist: Path) -> Tally:
    """Every feed under the sdist's tests/ folder, served as its runtests.py serves it."""
    tally = Tally(f"feedparser ({sdist.name})")
    with tarfile.open(sdist) as archive:
        for member, body in feed_files(archive):
            path = member.split("/tests/", 1)[1] if "/tests/" in member else member
            check(peer, tally, peer.PeerFeed(path, body))
    return tally


def run_rss_parser_feeds(peer: ModuleType, tgz: Path) -> Tally:
    tally = Tally(f"rss-parser ({tgz.name})")
    with tarfile.open(tgz) as archive:
        for member, body in feed_files(archive):
            check(peer, tally, peer.PeerFeed(f"rss-parser/{member}", body))
    return tally


def feed_files(archive: tarfile.TarFile) -> list[tuple[str, bytes]]:
    found = []
    for member in archive.getmembers():
        if member.isfile() and member.name.lower().endswith(FEED_SUFFIXES):
            handle = archive.extractfile(member)
            if handle is not None:
                found.append((member.name, handle.read()))
    return sorted(found)


def check(peer: ModuleType, tally: Tally, feed: object) -> None:
    tally.feeds += 1
    path = getattr(feed, "path", "?")
    try:
        outcome = peer.compare(feed)
    except Exception as error:  # a crash is a finding, not the end of the run
        tally.mismatches.append(f"{path}: parse_feed raised {type(error).__name__}: {error}")
        return
    if outcome.refusal is None:
        tally.read += 1
    if outcome.problems:
        tally.mismatches.append(f"{path}: " + "; ".join(outcome.problems))
    elif outcome.design is not None:
        tally.by_design[outcome.design] += 1
    else:
        tally.match += 1


def run_date_strings(peer: ModuleType, sdist: Path) -> tuple[int, list[str]]:
    """Each date string of runtests.py in an RSS item, read by parse_feed and feedparser;
    a line for each they read differently. The clock is fixed as the test fixes it."""
    import time_machine  # a development dependency, as the test module is

    strings = runtests_date_strings(sdist)
    differing = []
    for text in strings:
        with time_machine.travel(peer.FROZEN, tick=False):
            theirs: datetime | None = peer.their_date(text)
            try:
                ours: object = peer.our_date(text)
            except Exception as error:  # a crash is a finding too
                ours = f"{type(error).__name__}: {error}"
        if ours != theirs:
            differing.append(f"{text!r}: parse_feed {ours}, feedparser {theirs}")
    return len(strings), differing


def runtests_date_strings(sdist: Path) -> list[str]:
    """The strings of runtests.py's ``date_tests`` table, and of its year-10000 test."""
    with tarfile.open(sdist) as archive:
        member = next(m for m in archive.getmembers() if m.name.endswith("/tests/runtests.py"))
        handle = archive.extractfile(member)
        source = handle.read().decode("utf-8") if handle else ""
    strings = []
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Assign) and any(
            isinstance(t, ast.Name) and t.id == "date_tests" for t in node.targets
        ):
            assert isinstance(node.value, ast.Dict)
            for rows in node.value.values:
                strings += [text for text, _ in ast.literal_eval(rows)]
        elif isinstance(node, ast.FunctionDef) and node.name == "test_year_10000_date":
            strings += [
                c.value
                for c in ast.walk(node)
                if isinstance(c, ast.Constant) and isinstance(c.value, str)
            ]
    return strings


def report(
    peer: ModuleType, tallies: list[Tally], date_count: int, date_lines: list[str], seconds: float
) -> None:
    print(f"{'peer':40} {'feeds':>6} {'read':>6} {'match':>6} {'design':>6} {'differ':>6}")
    for t in tallies:
        design = sum(t.by_design.values())
        row = f"{t.feeds:6} {t.read:6} {t.match:6} {design:6} {len(t.mismatches):6}"
        print(f"{t.name:40} {row}")
    print("\nread: parse_feed gave a feed; match: the same titles, links and dates as feedparser;")
    print("design: differs on purpose (DESIGN in tests/test_peer_feeds.py); differ: mismatches")
    for t in tallies:
        if t.feeds == 0:
            print(f"\n{t.name}: no test feed in the package")
        for kind, count in t.by_design.most_common():
            print(f"\n{t.name}, {count} by design, {kind}: {peer.DESIGN[kind]}")
        if t.mismatches:
            print(f"\n{t.name}, {len(t.mismatches)} mismatches:")
            print("\n".join(f"  {line}" for line in t.mismatches))
    alike = date_count - len(date_lines)
    print(f"\nruntests.py date strings: {date_count}, read alike: {alike}, differently:")
    print("\n".join(f"  {line}" for line in date_lines))
    print(f"\n({seconds:.1f} s)")


if __name__ == "__main__":
    sys.exit(main())
