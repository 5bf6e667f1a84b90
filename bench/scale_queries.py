"""Query latency at scale on PostgreSQL: search and related stories with 1,000,000
synthetic documents in 100,000 stories (10 documents each, one published article each).

The rows are generated inside PostgreSQL (generate_series over a fixed word list, random
unit vectors), then the real code paths are timed: `search_index.search` (tsvector + GIN)
and `neighbours.nearest_finder` (pgvector HNSW).

    .venv/bin/python bench/scale_queries.py [--documents 1000000] [--queries 200]
"""

from __future__ import annotations

import argparse
import random
import statistics
import time

import numpy as np
from postgres import fresh_database, start_server
from sqlalchemy import create_engine, text

from newsdesk.store import Store, migrate
from newsdesk.store.neighbours import nearest_finder
from newsdesk.store.site.search_index import search

WORDS = (
    "harbour bridge council flood rail strike election storm court ferry mayor budget "
    "police river school hospital port wildfire minister union airport market museum "
    "factory festival bank rate tax quake tunnel dam road village coast island farm "
    "vote trial verdict deal merger fire rescue crew engine cargo tide bay valley"
).split()
MODEL = "synthetic-256"

_FILL = [
    "INSERT INTO stories (id, status, created_at, updated_at)"
    " SELECT 'story-' || g, 'open', now(), now() FROM generate_series(1, :stories) g",
    "INSERT INTO documents (id, content_hash, url, text, fetched_at)"
    " SELECT 'doc-' || g, md5(g::text) || md5((g * 7)::text), 'https://example.test/' || g,"
    "  (SELECT string_agg((CAST(:words AS text[]))[1 + ((g * 31 + i * 17) % :nwords)], ' ')"
    "     FROM generate_series(1, 40) i), now()"
    " FROM generate_series(1, :documents) g",
    "INSERT INTO story_documents (document_id, story_id, added_at)"
    " SELECT 'doc-' || g, 'story-' || (1 + (g - 1) / 10), now()"
    " FROM generate_series(1, :documents) g",
    "INSERT INTO articles (story_id, version, headline, standfirst, body, created_at,"
    "  published_at)"
    " SELECT 'story-' || g, 1, h.t, h.t,"
    "  json_build_object('story', 'story-' || g, 'sections', json_build_array("
    "   json_build_object('heading', NULL, 'paragraphs', json_build_array("
    "    json_build_array(json_build_object('text', h.t, 'citations', '[]'::json)))))),"
    "  now(), now()"
    " FROM generate_series(1, :stories) g, LATERAL (SELECT string_agg("
    "   (CAST(:words AS text[]))[1 + ((g * 13 + i * 7 + g / 97) % :nwords)], ' ') AS t"
    "   FROM generate_series(1, 12) i) h",
    "INSERT INTO story_vectors (story_id, model, vector, updated_at, embedding)"
    " SELECT 'story-' || g, :model, '\\x'::bytea, now(),"
    "  (SELECT array_agg(random() - 0.5) FROM generate_series(1, 256 + 0 * g))::vector"
    " FROM generate_series(1, :stories) g",
]


def fill(url: str, documents: int) -> float:
    started = time.perf_counter()
    params = {
        "stories": documents // 10,
        "documents": documents,
        "words": WORDS,
        "nwords": len(WORDS),
        "model": MODEL,
    }
    engine = create_engine(url)
    with engine.begin() as connection:
        connection.execute(text("SET maintenance_work_mem = '1GB'"))
        for statement in _FILL:
            connection.execute(text(statement), params)
        connection.execute(text("ANALYZE"))
    engine.dispose()
    return time.perf_counter() - started


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(share * len(ordered)))]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--documents", type=int, default=1_000_000)
    parser.add_argument("--queries", type=int, default=200)
    parser.add_argument("--reuse", help="URL of a database this script filled before")
    args = parser.parse_args()
    stories = args.documents // 10
    if args.reuse:
        url = args.reuse
        print(f"{args.documents:,} documents, {stories:,} stories: reusing {url}")
    else:
        url = fresh_database(start_server())
        migrate(url)
        seconds = fill(url, args.documents)
        print(f"{args.documents:,} documents, {stories:,} stories: filled in {seconds:.0f} s")
    rng = random.Random(2026)
    store = Store(url)
    search_ms, related_ms = [], []
    with store.session() as session:
        for _ in range(args.queries):
            words = " ".join(rng.sample(WORDS, 2))
            started = time.perf_counter()
            search(session, words, limit=20)
            search_ms.append((time.perf_counter() - started) * 1000)
        nearest = nearest_finder(session, MODEL)
        for _ in range(args.queries):
            vector = np.asarray(np.random.default_rng(rng.randrange(10**9)).random(256) - 0.5)
            started = time.perf_counter()
            nearest(vector.astype(np.float32), 4)
            related_ms.append((time.perf_counter() - started) * 1000)
    store.close()
    print("| query | median ms | p99 ms |")
    print("|---|---|---|")
    for name, values in (("search (2 words, top 20)", search_ms), ("related (top 4)", related_ms)):
        print(f"| {name} | {statistics.median(values):.1f} | {percentile(values, 0.99):.1f} |")


if __name__ == "__main__":
    main()
