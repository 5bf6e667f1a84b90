"""The procrastinate tasks run by `newsdesk worker`, each one unit of the pipeline.

Every task is idempotent and commits its effect together with the follow-up jobs (see
queue.py), so a worker killed mid-job leaves no visible effect; the job is then found
stalled (its worker's heartbeat stops) and handed to another worker.
Locks: one clustering at a time (it reads the stream in order), one writer per story.
"""

from __future__ import annotations

import logging

import procrastinate
from procrastinate import Blueprint, JobContext, RetryStrategy
from procrastinate.exceptions import UniqueViolation
from procrastinate.jobs import Status

from newsdesk.pipeline import Pipeline, backlog
from newsdesk.settings import Settings
from newsdesk.store import Store
from newsdesk.tasks.queue import QUEUE, ProcrastinateQueue

log = logging.getLogger(__name__)
tasks = Blueprint()
RETRY = RetryStrategy(max_attempts=5, exponential_wait=2)
_pipeline: Pipeline | None = None
_stalled_after_s = 30.0


def conninfo(database_url: str) -> str:
    """psycopg's connection string for a SQLAlchemy URL ('postgresql+psycopg://...')."""
    scheme, _, rest = database_url.partition("://")
    if not scheme.startswith("postgresql"):
        raise ValueError(
            "the worker needs PostgreSQL: set NEWSDESK_DATABASE_URL=postgresql+psycopg://..."
        )
    return f"postgresql://{rest}"


def create_task_app(settings: Settings) -> procrastinate.App:
    connector = procrastinate.PsycopgConnector(conninfo=conninfo(settings.resolved_database_url()))
    app = procrastinate.App(connector=connector)
    app.add_tasks_from(tasks, namespace="newsdesk")
    return app


def bind_pipeline(store: Store, settings: Settings, stalled_after_s: float = 30.0) -> None:
    """Give this process's tasks the pipeline they run (one per worker process)."""
    global _pipeline, _stalled_after_s
    _pipeline = Pipeline(store, settings, queue=ProcrastinateQueue())
    _stalled_after_s = stalled_after_s


def enqueue_backlog(store: Store) -> int:
    """Queue every unit of work that is waiting, in the pipeline's stage order (see
    ``pipeline.backlog``). Safe to repeat: queueing locks drop doubles."""
    queue = ProcrastinateQueue()
    with store.session() as session:
        jobs = backlog(session)
        for job in jobs:
            queue.defer(session, job)
    return len(jobs)


def _current() -> Pipeline:
    if _pipeline is None:
        raise RuntimeError("bind_pipeline() was not called in this worker process")
    return _pipeline


@tasks.task(name="ingest_source", queue=QUEUE, retry=RETRY)
def ingest_source(source_id: int) -> None:
    result = _current().ingest_one(source_id)
    for message in result.errors:
        log.warning("ingest: %s", message)


@tasks.task(name="cluster", queue=QUEUE, retry=RETRY)
def cluster() -> None:
    _current().cluster()


@tasks.task(name="write_story", queue=QUEUE, retry=RETRY)
def write_story(story_id: str) -> None:
    outcome = _current().write_one(story_id)
    if outcome != "written":
        log.info("write %s: %s", story_id, outcome)


@tasks.task(name="publish", queue=QUEUE, retry=RETRY)
def publish() -> None:
    _current().publish()


@tasks.periodic(cron="* * * * *", periodic_id="poll")
@tasks.task(name="poll_sources", queue=QUEUE, queueing_lock="poll")
def poll_sources(timestamp: int) -> None:
    """Every minute: one ingest job per source that is due (never two for one source)."""
    pipeline = _current()
    with pipeline.store.session() as session:
        for job in backlog(session, ["ingest"]):
            pipeline.queue.defer(session, job)


@tasks.periodic(cron="* * * * * */10", periodic_id="stalled")
@tasks.task(name="retry_stalled", queue=QUEUE, pass_context=True)
async def retry_stalled(context: JobContext, timestamp: int) -> None:
    """Hand the jobs of workers that stopped sending heartbeats to the living ones."""
    manager = context.app.job_manager
    for job in await manager.get_stalled_jobs(seconds_since_heartbeat=_stalled_after_s):
        log.warning("retrying stalled job %s (%s)", job.id, job.task_name)
        try:
            await manager.retry_job(job)
        except UniqueViolation:
            # A job for the same unit of work is already waiting (same queueing lock); it
            # cannot start while this one holds the unit's lock, so end this one instead.
            log.warning("stalled job %s superseded by a waiting one; aborting it", job.id)
            await manager.finish_job(job, Status.ABORTED, delete_job=False)
