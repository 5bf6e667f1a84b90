"""Deferring jobs in the same transaction as the rows they refer to.

procrastinate keeps its queue in PostgreSQL. Calling its `procrastinate_defer_jobs_v1`
SQL function through the SQLAlchemy session that stores the data makes the job and the
data commit (or roll back) together. A job whose queueing lock is already waiting is
skipped inside a savepoint, so the surrounding transaction carries on.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any, Protocol

from sqlalchemy import text
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

QUEUE = "newsdesk"

_DEFER = text(
    "SELECT procrastinate_defer_jobs_v1(ARRAY[ROW(:queue, :task, :priority, :lock, "
    ":queueing_lock, CAST(:args AS jsonb), NULL)::procrastinate_job_to_defer_v1])"
)


@dataclass(frozen=True)
class Job:
    task: str
    args: dict[str, Any]
    lock: str | None = None
    queueing_lock: str | None = None
    priority: int = 0


class JobSink(Protocol):
    """Where the pipeline announces follow-up work; embedded mode ignores it."""

    def defer(self, session: Session, job: Job) -> None: ...


class NoQueue:
    """Embedded mode: the orchestrator runs every stage itself, nothing to defer."""

    def defer(self, session: Session, job: Job) -> None:
        return None


class ProcrastinateQueue:
    def defer(self, session: Session, job: Job) -> None:
        params = {
            "queue": QUEUE,
            "task": job.task,
            "priority": job.priority,
            "lock": job.lock,
            "queueing_lock": job.queueing_lock,
            "args": json.dumps(job.args),
        }
        try:
            with session.begin_nested():
                session.execute(_DEFER, params)
        except IntegrityError:
            # The same queueing lock is already waiting: that job will see our rows too.
            return


# Task names are "namespace:name" as app.py registers its blueprint under "newsdesk".


def cluster_job() -> Job:
    return Job("newsdesk:cluster", {}, lock="cluster", queueing_lock="cluster")


def write_job(story_id: str) -> Job:
    return Job(
        "newsdesk:write_story",
        {"story_id": story_id},
        lock=f"story:{story_id}",
        queueing_lock=f"write:{story_id}",
    )


def publish_job() -> Job:
    return Job("newsdesk:publish", {}, lock="publish", queueing_lock="publish")


def ingest_job(source_id: int) -> Job:
    return Job(
        "newsdesk:ingest_source",
        {"source_id": source_id},
        lock=f"source:{source_id}",
        queueing_lock=f"ingest:{source_id}",
    )
