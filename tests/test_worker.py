"""Distributed mode with real processes: workers on PostgreSQL, one killed mid-job."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from sqlalchemy import create_engine, text

from newsdesk.samplewire import load_wire, start_wire_server
from newsdesk.store import Store, migrate, repo
from newsdesk.store import desk as review
from newsdesk.tasks.app import conninfo, enqueue_backlog

pytestmark = pytest.mark.postgresql_only

WORKER = [sys.executable, "-m", "newsdesk", "worker", "--heartbeat", "1", "--stalled-after", "4"]


def test_conninfo_needs_postgresql() -> None:
    assert conninfo("postgresql+psycopg://u:p@h:5/db") == "postgresql://u:p@h:5/db"
    with pytest.raises(ValueError, match="PostgreSQL"):
        conninfo("sqlite:///data/newsdesk.db")


@pytest.fixture
def workers(database_url: str, tmp_path: Path) -> Iterator[Callable[[], subprocess.Popen[bytes]]]:
    env = {**os.environ, "NEWSDESK_DATABASE_URL": database_url, "NEWSDESK_DATA_DIR": str(tmp_path)}
    started: list[subprocess.Popen[bytes]] = []

    def start() -> subprocess.Popen[bytes]:
        log = (tmp_path / f"worker{len(started)}.log").open("wb")
        process = subprocess.Popen(WORKER, env=env, stdout=log, stderr=subprocess.STDOUT)
        started.append(process)
        return process

    yield start
    for process in started:
        if process.poll() is None:
            process.send_signal(signal.SIGTERM)
    for process in started:
        try:
            process.wait(timeout=15)
        except subprocess.TimeoutExpired:
            process.kill()


def test_a_killed_worker_loses_nothing_and_duplicates_nothing(
    database_url: str, workers: Callable[[], subprocess.Popen[bytes]]
) -> None:
    migrate(database_url)
    store = Store(database_url)
    engine = create_engine(database_url)

    def scalar(sql: str) -> int:
        with engine.connect() as connection:
            return int(connection.execute(text(sql)).scalar() or 0)

    expected = len(load_wire())
    with start_wire_server(page_delay_s=0.3) as wire:
        with store.session() as session:
            for feed in wire.feed_urls():
                repo.add_source(session, feed, allow_private=True)
        assert enqueue_backlog(store) == len(wire.feed_urls())
        victim = workers()
        _wait_for(lambda: scalar(_DOING_WORK) >= 1, "the first worker to start a job", 60)
        victim.send_signal(signal.SIGKILL)  # mid-job: its transaction never commits
        victim.wait()
        workers(), workers(), workers()
        _wait_for(lambda: _drained(store, scalar), "the backlog to be done", 180)

    assert scalar("SELECT count(*) FROM documents") == expected
    assert scalar("SELECT count(DISTINCT url) FROM documents") == expected
    assert scalar("SELECT count(*) FROM story_documents") == expected
    assert scalar("SELECT count(*) FROM procrastinate_jobs WHERE status = 'failed'") == 0
    with store.session() as session:
        stories = repo.documents_by_story(session)
        # Feeds arrive in any order, each with days of reports. Every story holds one
        # event's reports and each event is published once: a follow-up that the
        # clusterer split off (one outlet) waits on the desk instead.
        event_of = {a.slug: a.story for a in load_wire()}
        events = {s: {event_of[_slug(d.url)] for d in docs} for s, docs in stories.items()}
        assert all(len(found) == 1 for found in events.values()), events
        published = {s.id for s in repo.list_published(session, limit=100)}
        assert sorted(e for s in published for e in events[s]) == sorted(set(event_of.values()))
        waiting = {r.story_id for r in review.review_queue(session)}
        assert set(stories) - published <= waiting
    # A job done twice would leave two identical versions of one story.
    assert scalar(_REPEATED_VERSIONS) == 0
    store.close()
    engine.dispose()


_DOING_WORK = (
    "SELECT count(*) FROM procrastinate_jobs WHERE status = 'doing' "
    "AND task_name = 'newsdesk:ingest_source'"
)
_WAITING_WORK = (
    "SELECT count(*) FROM procrastinate_jobs WHERE status IN ('todo', 'doing') "
    "AND task_name NOT IN ('newsdesk:retry_stalled', 'newsdesk:poll_sources')"
)
_REPEATED_VERSIONS = (
    "SELECT count(*) FROM articles a JOIN articles b ON a.story_id = b.story_id "
    "AND b.version = a.version + 1 AND CAST(a.body AS text) = CAST(b.body AS text)"
)


def _drained(store: Store, scalar: Callable[[str], int]) -> bool:
    if scalar(_WAITING_WORK):
        return False
    with store.session() as session:
        # A story waiting for a second outlet is parked, not pending work.
        waiting = {r.story_id for r in review.review_queue(session) if r.state == review.WAITING}
        unpublished = [v for v in repo.unpublished_versions(session) if v[0] not in waiting]
        return not (
            repo.unassigned_documents(session)
            or repo.stories_needing_article(session)
            or unpublished
            or repo.count_documents(session) < len(load_wire())
        )


def _slug(url: str | None) -> str:
    return (url or "").rsplit("/", 1)[-1].removesuffix(".html")


def _wait_for(condition: Callable[[], bool], what: str, seconds: float) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if condition():
            return
        time.sleep(0.2)
    raise AssertionError(f"timed out waiting for {what}")
