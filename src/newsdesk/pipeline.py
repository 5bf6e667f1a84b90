"""The orchestrator: the only place that knows the order of the stages.

It loads records from the store, calls the stage functions, and saves what they return.
Every stage commits in small units (a feed, a story), so a killed process loses at most
the unit in flight, and running again picks up where it stopped without duplicates.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterable
from dataclasses import asdict, dataclass, field
from datetime import timedelta

import anyio
import httpx
from sqlalchemy.orm import Session

from newsdesk.cluster import ClusterConfig, PastSplit, cluster_stream
from newsdesk.dedupe import NearDuplicateIndex
from newsdesk.embed import get_embedder
from newsdesk.ingest import (
    Fetcher,
    ImportFailure,
    RobotsCache,
    SourceJob,
    next_poll_after_failure,
    poll_source,
    summarise_errors,
)
from newsdesk.operations import publish_versions
from newsdesk.pipeline_intake import Intake
from newsdesk.publish import ReleaseRules
from newsdesk.records import Document, Story
from newsdesk.settings import Settings
from newsdesk.store import Store, repo
from newsdesk.store.base import utcnow
from newsdesk.store.lock import pipeline_lock
from newsdesk.tasks.queue import (
    Job,
    JobSink,
    NoQueue,
    cluster_job,
    ingest_job,
    publish_job,
    write_job,
)
from newsdesk.verify import is_publishable, make_judge, verify_article
from newsdesk.write import (
    DraftRejectedError,
    Writer,
    WriterUnavailableError,
    describe_changes,
    make_writer,
)

Progress = Callable[[str, int, int], None]
STAGES = ("ingest", "cluster", "write", "publish")
"""The order of the stages: a full pass runs them so, and the worker queues work so."""


@dataclass
class StageResult:
    stage: str
    items: int = 0
    seconds: float = 0.0
    errors: list[str] = field(default_factory=list)
    failed_sources: int = 0
    """Sources whose poll failed (ingest only)."""


def describe_error(error: BaseException) -> str:
    """Plain words for an error: its message, or its type when it has none."""
    return str(error) or type(error).__name__


def cluster_config(settings: Settings) -> ClusterConfig:
    """The clusterer's settings from NEWSDESK_CLUSTER_*."""
    return ClusterConfig(
        threshold=settings.cluster_threshold,
        window=timedelta(hours=settings.cluster_window_hours),
        merge_threshold=settings.cluster_merge_threshold,
        split_threshold=settings.cluster_split_threshold,
    )


def backlog(session: Session, stages: Iterable[str] = STAGES) -> list[Job]:
    """The units of work waiting, stage by stage in STAGES order: due sources, new
    documents, stories to write, versions to publish (one job each for the worker)."""
    waiting: dict[str, Callable[[], list[Job]]] = {
        "ingest": lambda: [ingest_job(s.id) for s in repo.due_sources(session, utcnow())],
        "cluster": lambda: [cluster_job()] if repo.unassigned_documents(session) else [],
        "write": lambda: [write_job(s) for s in repo.stories_needing_article(session)],
        "publish": lambda: [publish_job()] if repo.unpublished_versions(session) else [],
    }
    wanted = set(stages)
    return [job for stage in STAGES if stage in wanted for job in waiting[stage]()]


def _ignore_progress(stage: str, done: int, total: int) -> None:
    return None


class Pipeline:
    def __init__(
        self,
        store: Store,
        settings: Settings,
        progress: Progress | None = None,
        queue: JobSink | None = None,
    ):
        self.store = store
        self.settings = settings
        self.progress = progress or _ignore_progress
        # Distributed mode: follow-up jobs are deferred in the transaction of each unit.
        self.queue: JobSink = queue or NoQueue()
        self._robots = RobotsCache(settings.robots_ttl_s)  # kept between polls
        self._intake = Intake(store, settings, self.queue)  # keeps its near-duplicate index
        self.judge = make_judge(settings)  # None unless NEWSDESK_VERIFY_JUDGE is set

    def run(self) -> list[StageResult]:
        """One full pass: ingest, cluster, write (with verify), publish; one pass per
        database at a time (``PipelineBusyError`` when another holds it)."""
        steps = {
            "ingest": self.ingest,
            "cluster": self.cluster,
            "write": self.write,
            "publish": self.publish,
        }
        with pipeline_lock(self.store):
            return [steps[stage]() for stage in STAGES]

    # --- ingest ------------------------------------------------------------

    def ingest(self) -> StageResult:
        result = StageResult("ingest")
        started = time.perf_counter()
        anyio.run(self._ingest_all, result)
        result.seconds = time.perf_counter() - started
        return result

    def import_documents(
        self, items: Iterable[Document | ImportFailure], batch: int = 50
    ) -> StageResult:
        """Store documents read from local files, committing every ``batch`` of them."""
        result = StageResult("import")
        started = time.perf_counter()
        index = self._intake.index()
        pending: list[Document] = []
        for item in items:
            if isinstance(item, ImportFailure):
                result.errors.append(str(item))
            else:
                pending.append(item)
            if len(pending) >= batch:
                result.items += self._intake.commit(pending, index)
                pending = []
        result.items += self._intake.commit(pending, index)
        result.seconds = time.perf_counter() - started
        return result

    def ingest_one(self, source_id: int) -> StageResult:
        """Poll one source now, unless it is paused or unknown (a worker task's unit)."""
        result = StageResult("ingest")
        started = time.perf_counter()
        with self.store.session() as session:
            row = repo.get_source(session, source_id)
            jobs = [] if row is None or row.paused else [SourceJob.of(row)]
        anyio.run(self._ingest_jobs, jobs, result)
        result.seconds = time.perf_counter() - started
        return result

    async def _ingest_all(self, result: StageResult) -> None:
        with self.store.session() as session:
            due = [SourceJob.of(row) for row in repo.due_sources(session, utcnow())]
        await self._ingest_jobs(due, result)

    async def _ingest_jobs(self, due: list[SourceJob], result: StageResult) -> None:
        index = self._intake.index()
        done = [0]
        self.progress("ingest", 0, len(due))
        public = Fetcher(self.settings, robots=self._robots)
        limiter = anyio.CapacityLimiter(self.settings.ingest_sources_at_once)

        async def poll(job: SourceJob) -> None:
            async with limiter:
                if job.allow_private:
                    async with self._private_fetcher(job.url) as fetcher:
                        added = await self._ingest_source(job, fetcher, result, index)
                else:
                    added = await self._ingest_source(job, public, result, index)
            result.items += added  # not `+= await`: that would read the total before awaiting
            done[0] += 1
            self.progress("ingest", done[0], len(due))

        async with public, anyio.create_task_group() as group:
            for job in due:
                group.start_soon(poll, job)

    def _private_fetcher(self, url: str) -> Fetcher:
        """A source added with --allow-private is the operator's own server: its own host
        and port may be private (and need no politeness delay); every other address its
        redirects or links reach is guarded as usual."""
        target = httpx.URL(url)
        port = target.port or (443 if target.scheme == "https" else 80)
        settings = self.settings.model_copy(update={"fetch_host_delay_s": 0.0})
        origin = frozenset({(target.host.lower(), port)})
        return Fetcher(settings, robots=self._robots, trusted=origin)

    async def _ingest_source(
        self, job: SourceJob, fetcher: Fetcher, result: StageResult, index: NearDuplicateIndex
    ) -> int:
        """Poll one source, committing its documents in batches as they are fetched (a
        killed run keeps them); the source's state is saved with the last batch."""
        added = [0]

        def store_batch(documents: list[Document]) -> None:
            added[0] += self._intake.commit(documents, index, job.id)

        try:
            poll = await poll_source(
                job.kind,
                job.url,
                fetcher,
                self._intake.is_known_url,
                etag=job.etag,
                last_modified=job.last_modified,
                sink=store_batch,
            )
        except Exception as error:  # a failing source is recorded, never fatal
            self._ingest_failure(job, error, result)
            return added[0]
        result.errors.extend(poll.errors)
        with self.store.session() as session:  # the last batch and the source's state
            added[0] += self._intake.add(session, poll.documents, job.id, index)
            repo.record_poll_success(
                session,
                job.id,
                title=poll.title,
                items=added[0],
                etag=poll.etag,
                last_modified=poll.last_modified,
                note=summarise_errors(poll.errors),
            )
            if added[0]:
                self.queue.defer(session, cluster_job())
        return added[0]

    def _ingest_failure(self, job: SourceJob, error: Exception, result: StageResult) -> None:
        message = describe_error(error)
        result.errors.append(f"{job.url}: {message}")
        result.failed_sources += 1
        retry_at = next_poll_after_failure(job.failures, error, self.settings, utcnow())
        with self.store.session() as session:
            row = repo.record_poll_failure(
                session,
                job.id,
                error=message,
                next_poll_at=retry_at,
                pause_after=self.settings.source_pause_after,
            )
            if row.paused:
                result.errors.append(f"{job.url}: paused after {row.failures} failures in a row")

    # --- cluster -----------------------------------------------------------

    def cluster(self) -> StageResult:
        """Assign new documents to open stories, then merge/split and close idle stories."""
        result = StageResult("cluster")
        started = time.perf_counter()
        with self.store.session() as session:
            new = repo.unassigned_documents(session)
            if new:
                self.progress("cluster", 0, len(new))
                changed = self._cluster_new(session, new)
                for story_id in sorted(changed):
                    self.queue.defer(session, write_job(story_id))
                result.items = len(new)
                self.progress("cluster", len(new), len(new))
        result.seconds = time.perf_counter() - started
        return result

    def _cluster_new(self, session: Session, new: list[Document]) -> set[str]:
        """One clustering run in one transaction: a killed run leaves nothing half-done,
        and the re-run replays the same stream to the same stories. Returns the stories
        to write again."""
        config = cluster_config(self.settings)
        earliest = min((d.published for d in new if d.published is not None), default=None)
        late_since = None if earliest is None else earliest - config.window
        existing = repo.open_story_documents(session, late_since)
        seeded = {doc.id for docs in existing.values() for doc in docs}
        background = (
            []
            if late_since is None
            else repo.clustered_since(session, late_since - config.window, seeded)
        )
        run = cluster_stream(
            new,
            existing=existing,
            background=background,
            splits=[PastSplit(*split) for split in repo.open_splits(session)],
            now=repo.stream_time(session, utcnow()),
            config=config,
            embedder=get_embedder(self.settings.cluster_embedder),
        )
        repo.assign_documents(session, run.assignments)
        for move in run.moves:
            repo.apply_move(session, **asdict(move))
        repo.close_stories(session, run.closed)
        return run.changed()

    # --- write + verify ----------------------------------------------------

    def write(self) -> StageResult:
        result = StageResult("write")
        started = time.perf_counter()
        with self.store.session() as session:
            pending = repo.stories_needing_article(session)
        self.progress("write", 0, len(pending))
        writer = make_writer(self.settings, judge=self.judge) if pending else None
        for done, story_id in enumerate(pending, start=1):
            assert writer is not None
            try:
                outcome = self._write_story(story_id, writer)
                if outcome == "written":
                    result.items += 1
                else:
                    result.errors.append(f"{story_id}: {outcome}")
            except ValueError as error:
                result.errors.append(f"{story_id}: {error}")
            self.progress("write", done, len(pending))
        result.seconds = time.perf_counter() - started
        return result

    def _write_story(self, story_id: str, writer: Writer) -> str:
        """Write, check and save one version; returns "written" or what happened instead.

        The writer runs outside any transaction: a model call may take minutes. A writer
        that cannot answer leaves the story pending until its retry time; a draft that
        fails the checker is held. Either way nothing partial is saved.
        """
        with self.store.session() as session:
            documents = repo.documents_by_story(session, [story_id]).get(story_id, [])
            version = repo.next_version(session, story_id)
            previous = repo.latest_version(session, story_id)
            attempts = repo.write_state(session, story_id).attempts
        try:
            draft = writer(Story(id=story_id, documents=documents), version)
        except WriterUnavailableError as error:
            return self._postpone(story_id, describe_error(error), attempts)
        except DraftRejectedError as error:
            return self._hold(story_id, describe_error(error))
        # A sentence resting on another passage than its own is published only where
        # the desk reviews flagged versions first.
        reviewed = self.settings.review_policy != "none"
        article = verify_article(draft, documents, self.judge, keep_flagged=reviewed)
        if not is_publishable(article):
            return self._hold(story_id, "nothing survived verification")
        if previous is not None:
            article.changes = describe_changes(previous, article)
        with self.store.session() as session:
            repo.save_article(session, article)
            repo.record_write_outcome(session, story_id, "written")
            self.queue.defer(session, publish_job())
        return "written"

    def write_one(self, story_id: str) -> str:
        """Write one story now (a worker's unit of work); returns what happened."""
        try:
            return self._write_story(story_id, make_writer(self.settings, judge=self.judge))
        except ValueError as error:
            return f"not written: {error}"

    def _postpone(self, story_id: str, error: str, attempts: int) -> str:
        delay = min(self.settings.write_retry_s * 2**attempts, self.settings.write_retry_max_s)
        retry_at = utcnow() + timedelta(seconds=delay)
        with self.store.session() as session:
            repo.record_write_pending(session, story_id, error=error, retry_at=retry_at)
        return f"pending: {error}; retry at {retry_at:%Y-%m-%d %H:%M:%S} UTC"

    def _hold(self, story_id: str, reason: str) -> str:
        retry_at = utcnow() + timedelta(seconds=self.settings.write_retry_max_s)
        with self.store.session() as session:
            repo.record_write_outcome(session, story_id, "held", reason, retry_at)
        return f"held: {reason}"

    # --- publish -----------------------------------------------------------

    def publish(self) -> StageResult:
        """Publish what the review policy and the source count let out (the others wait on
        the desk), and refresh the related stories around it."""
        result = StageResult("publish")
        started = time.perf_counter()
        rules = ReleaseRules(self.settings.review_policy, self.settings.min_sources)
        with self.store.session() as session:
            result.items = len(publish_versions(session, rules=rules))
        self.progress("publish", 1, 1)
        result.seconds = time.perf_counter() - started
        return result
