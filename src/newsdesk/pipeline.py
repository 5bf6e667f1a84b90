"""The orchestrator: the only place that knows the order of the stages.

It loads records from the store, calls the stage functions, and saves what they return.
Every stage commits in small units (a feed, a story), so a killed process loses at most
the unit in flight, and running again picks up where it stopped without duplicates.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import timedelta

import anyio

from newsdesk.cluster import cluster_documents
from newsdesk.dedupe import drop_exact_duplicates
from newsdesk.ingest import FeedPoll, Fetcher, poll_feed
from newsdesk.publish import find_related
from newsdesk.records import Story
from newsdesk.settings import Settings
from newsdesk.store import repo
from newsdesk.store.db import Store
from newsdesk.verify import is_publishable, verify_article
from newsdesk.write import write_article

Progress = Callable[[str, int, int], None]
STAGES = ("ingest", "cluster", "write", "publish")


@dataclass
class StageResult:
    stage: str
    items: int = 0
    seconds: float = 0.0
    errors: list[str] = field(default_factory=list)


def describe_error(error: BaseException) -> str:
    """Plain words for an error: its message, or its type when it has none."""
    return str(error) or type(error).__name__


def _ignore_progress(stage: str, done: int, total: int) -> None:
    return None


class Pipeline:
    def __init__(self, store: Store, settings: Settings, progress: Progress | None = None):
        self.store = store
        self.settings = settings
        self.progress = progress or _ignore_progress

    def run(self) -> list[StageResult]:
        """One full pass: ingest, cluster, write (with verify), publish."""
        return [self.ingest(), self.cluster(), self.write(), self.publish()]

    # --- ingest ------------------------------------------------------------

    def ingest(self) -> StageResult:
        result = StageResult("ingest")
        started = time.perf_counter()
        anyio.run(self._ingest_all, result)
        result.seconds = time.perf_counter() - started
        return result

    async def _ingest_all(self, result: StageResult) -> None:
        with self.store.session() as session:
            sources = [(s.id, s.url, s.allow_private) for s in repo.list_sources(session)]
        done = 0
        self.progress("ingest", 0, len(sources))
        public = Fetcher(self.settings)
        private = Fetcher(self.settings.model_copy(update={"allow_private_networks": True}))
        async with public, private:
            for source_id, url, allow_private in sources:
                fetcher = private if allow_private else public
                result.items += await self._ingest_source(source_id, url, fetcher, result)
                done += 1
                self.progress("ingest", done, len(sources))

    async def _ingest_source(
        self, source_id: int, url: str, fetcher: Fetcher, result: StageResult
    ) -> int:
        try:
            poll = await poll_feed(url, fetcher, self._is_known_url)
        except Exception as error:  # a failing source is recorded, never fatal
            message = describe_error(error)
            result.errors.append(f"{url}: {message}")
            with self.store.session() as session:
                repo.record_poll(session, source_id, title=None, items=0, error=message)
            return 0
        return self._save_poll(source_id, poll, result)

    def _save_poll(self, source_id: int, poll: FeedPoll, result: StageResult) -> int:
        result.errors.extend(poll.errors)
        with self.store.session() as session:
            added = sum(
                repo.add_document(session, doc, source_id=source_id)
                for doc in drop_exact_duplicates(poll.documents)
            )
            error = "; ".join(poll.errors) or None
            repo.record_poll(session, source_id, title=poll.title, items=added, error=error)
        return added

    def _is_known_url(self, url: str) -> bool:
        with self.store.session() as session:
            return repo.is_known_url(session, url)

    # --- cluster -----------------------------------------------------------

    def cluster(self) -> StageResult:
        result = StageResult("cluster")
        started = time.perf_counter()
        with self.store.session() as session:
            new = repo.unassigned_documents(session)
            if new:
                self.progress("cluster", 0, len(new))
                assignments = cluster_documents(
                    new,
                    existing=repo.documents_by_story(session),
                    threshold=self.settings.cluster_threshold,
                    window=timedelta(hours=self.settings.cluster_window_hours),
                )
                repo.assign_documents(session, assignments)
                result.items = len(assignments)
                self.progress("cluster", len(new), len(new))
        result.seconds = time.perf_counter() - started
        return result

    # --- write + verify ----------------------------------------------------

    def write(self) -> StageResult:
        result = StageResult("write")
        started = time.perf_counter()
        with self.store.session() as session:
            pending = repo.stories_needing_article(session)
        self.progress("write", 0, len(pending))
        for done, story_id in enumerate(pending, start=1):
            try:
                if self._write_story(story_id):
                    result.items += 1
                else:
                    result.errors.append(f"{story_id}: nothing survived verification; held")
            except ValueError as error:
                result.errors.append(f"{story_id}: {error}")
            self.progress("write", done, len(pending))
        result.seconds = time.perf_counter() - started
        return result

    def _write_story(self, story_id: str) -> bool:
        with self.store.session() as session:
            documents = repo.documents_by_story(session, [story_id]).get(story_id, [])
            version = repo.next_version(session, story_id)
            draft = write_article(
                Story(id=story_id, documents=documents),
                version=version,
                backend=self.settings.writer,
            )
            article = verify_article(draft, documents)
            if not is_publishable(article):
                return False
            repo.save_article(session, article)
            return True

    # --- publish -----------------------------------------------------------

    def publish(self) -> StageResult:
        result = StageResult("publish")
        started = time.perf_counter()
        with self.store.session() as session:
            pending = repo.unpublished_versions(session)
            for story_id, version in pending:
                repo.publish_version(session, story_id, version)
            result.items = len(pending)
            if pending:
                repo.replace_related(session, find_related(repo.published_articles(session)))
        self.progress("publish", 1, 1)
        result.seconds = time.perf_counter() - started
        return result
