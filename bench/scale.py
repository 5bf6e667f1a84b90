"""Throughput of the pipeline (stored documents -> published articles): SQLite embedded
against PostgreSQL with 1, 2 and 4 `newsdesk worker` processes, on the same input.

Input: the ECB+ dev file (real articles, by path; nothing is copied). Each run gets a
fresh database; the clock starts once the documents are stored and stops when nothing
is left to cluster, write or publish. PostgreSQL comes from scripts/start-test-postgres.sh.

    .venv/bin/python bench/scale.py [../shared/eval/events/ecbplus-dev.jsonl] [--workers 1 2 4]
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from postgres import fresh_database, start_server

from newsdesk.pipeline import Pipeline
from newsdesk.records import Document
from newsdesk.settings import Settings
from newsdesk.store import Store, migrate, repo
from newsdesk.tasks.app import enqueue_backlog

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_INPUT = ROOT.parent / "shared" / "eval" / "events" / "ecbplus-dev.jsonl"


def load_documents(path: Path) -> list[Document]:
    with path.open(encoding="utf-8") as lines:
        return [
            Document.model_validate({"id": row["doc_id"], "sentences": row["sentences"]})
            for row in map(json.loads, lines)
        ]


def prepared_store(url: str, documents: list[Document], folder: Path) -> Store:
    migrate(url)
    store = Store(url)
    Pipeline(store, Settings(data_dir=folder)).import_documents(documents)
    return store


def finished(store: Store) -> bool:
    with store.session() as session:
        return not (
            repo.unassigned_documents(session)
            or repo.stories_needing_article(session)
            or repo.unpublished_versions(session)
        )


def run_embedded(documents: list[Document], folder: Path) -> tuple[float, int]:
    store = prepared_store(f"sqlite:///{folder / 'embedded.db'}", documents, folder)
    pipeline = Pipeline(store, Settings(data_dir=folder))
    started = time.perf_counter()
    pipeline.cluster(), pipeline.write(), pipeline.publish()
    seconds = time.perf_counter() - started
    return seconds, _published(store)


def run_workers(
    documents: list[Document], folder: Path, server: str, count: int
) -> tuple[float, int]:
    url = fresh_database(server)
    store = prepared_store(url, documents, folder)
    env = {**os.environ, "NEWSDESK_DATABASE_URL": url, "NEWSDESK_DATA_DIR": str(folder)}
    command = [sys.executable, "-m", "newsdesk", "worker", "--heartbeat", "2"]
    started = time.perf_counter()
    enqueue_backlog(store)
    workers = [
        subprocess.Popen(command, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        for _ in range(count)
    ]
    try:
        while not finished(store):
            time.sleep(0.2)
        seconds = time.perf_counter() - started
    finally:
        for worker in workers:
            worker.terminate()
        for worker in workers:
            worker.wait(timeout=30)
    return seconds, _published(store)


def _published(store: Store) -> int:
    with store.session() as session:
        count = len(repo.list_published(session, limit=100_000))
    store.close()
    return count


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("input", nargs="?", type=Path, default=DEFAULT_INPUT)
    parser.add_argument("--workers", type=int, nargs="+", default=[1, 2, 4])
    args = parser.parse_args()
    if not args.input.exists():
        sys.exit(f"{args.input} not found: pass the path of ecbplus-dev.jsonl")
    documents = load_documents(args.input)
    server = start_server()
    print(f"{len(documents)} documents; {os.cpu_count()} cores\n")
    print("| store | processes | seconds | documents/s | published stories |")
    print("|---|---|---|---|---|")
    with tempfile.TemporaryDirectory() as folder:
        seconds, stories = run_embedded(documents, Path(folder))
        print(
            f"| SQLite, embedded | 1 | {seconds:.1f} | {len(documents) / seconds:.1f} | {stories} |"
        )
        for count in args.workers:
            seconds, stories = run_workers(documents, Path(folder), server, count)
            rate = len(documents) / seconds
            print(f"| PostgreSQL, workers | {count} | {seconds:.1f} | {rate:.1f} | {stories} |")


if __name__ == "__main__":
    main()
