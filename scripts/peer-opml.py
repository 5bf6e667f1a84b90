"""Read listparser's OPML test files with newsdesk's parse_opml.

listparser (MIT) is the OPML reader other feed readers use; its test files are real
subscription lists, hand-made and exported by other programs, many of them damaged on
purpose. Its sdist 0.18 on PyPI carries them (0.20's does not). Each file that holds an
``<opml`` element is parsed; a file counts as read when parse_opml returns its sources,
and as complete when every http(s) feed URL of its "Expect" lines (listparser's own
checks, ``feeds[N]['url'] == '...'``) is among them.

    .venv/bin/python scripts/peer-opml.py [--sdist FILE]

Downloads the sdist with pip into a temporary folder unless --sdist names it. Exits with 1
when a file that names a feed is refused or misses one. A file that lists no feed at all
may be refused: there is nothing in it to subscribe to.
"""

from __future__ import annotations

import argparse
import re
import subprocess
import sys
import tempfile
import zipfile
from pathlib import Path

from newsdesk.ingest.opml import OPMLError, parse_opml

VERSION = "0.18"
_EXPECTED_URL = re.compile(r"\[.feeds.\]\[\d+\]\[.url.\] == .(https?://[^'\"]+).")


def download(folder: Path) -> Path:
    command = [sys.executable, "-m", "pip", "download", "--no-deps", "--no-binary", ":all:"]
    command += ["--dest", str(folder), f"listparser=={VERSION}"]
    subprocess.run(command, check=True, capture_output=True)
    return next(folder.glob("listparser-*"))


def opml_files(sdist: Path, folder: Path) -> list[tuple[str, bytes]]:
    with zipfile.ZipFile(sdist) as archive:
        names = sorted(n for n in archive.namelist() if "/tests/" in n and n.endswith(".xml"))
        files = [(name.split("/tests/", 1)[1], archive.read(name)) for name in names]
    return [(name, body) for name, body in files if re.search(rb"<opml", body, re.I)]


def check(name: str, body: bytes) -> tuple[str, str]:
    """("read", ""), ("refused", why) for a file that names no feed, or ("problem", why)."""
    expected = _EXPECTED_URL.findall(body.decode("utf-8", "replace"))
    try:
        found = {source.url for source in parse_opml(body, name)}
    except OPMLError as error:
        return ("problem" if expected else "refused"), f"refused: {error}"
    missing = [url for url in expected if url not in found]
    return ("problem", f"missing {missing}") if missing else ("read", "")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--sdist", type=Path)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as temporary:
        sdist = args.sdist or download(Path(temporary))
        files = opml_files(sdist, Path(temporary))
    results = [(name, *check(name, body)) for name, body in files]
    counts = {kind: sum(r[1] == kind for r in results) for kind in ("read", "refused", "problem")}
    print(
        f"listparser {VERSION}: {len(files)} OPML files: {counts['read']} read with every "
        f"expected feed, {counts['refused']} refused (they name no feed), "
        f"{counts['problem']} problems"
    )
    for name, kind, why in results:
        if kind != "read":
            print(f"  {kind}: {name}: {why}")
    return 1 if counts["problem"] else 0


if __name__ == "__main__":
    raise SystemExit(main())
