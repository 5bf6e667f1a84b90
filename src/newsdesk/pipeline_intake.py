"""New documents into the store, for the pipeline's ingest stage (pipeline.py polls the
sources and reads the files; this stores what they bring): exact copies are dropped,
near-duplicates linked to their original, and each batch that adds a document defers a
clustering job in its own transaction.
"""

from __future__ import annotations

import time
from datetime import timedelta

from sqlalchemy.orm import Session

from newsdesk.dedupe import NearDuplicateIndex, drop_exact_duplicates
from newsdesk.records import Document
from newsdesk.settings import Settings
from newsdesk.store import repo
from newsdesk.store.base import utcnow
from newsdesk.store.db import Store
from newsdesk.tasks.queue import JobSink, cluster_job


class Intake:
    def __init__(self, store: Store, settings: Settings, queue: JobSink) -> None:
        self.store = store
        self.settings = settings
        self.queue = queue
        self._index: NearDuplicateIndex | None = None  # see index()
        self._built = 0.0

    def index(self) -> NearDuplicateIndex:
        """Originals of the near-duplicate window, to which new documents are compared.

        Built from the store once and then kept up to date in memory (new originals join
        it as they are stored); rebuilt daily so that old documents leave the window.
        """
        if self._index is None or time.monotonic() - self._built > 86_400:
            window = timedelta(hours=self.settings.near_duplicate_window_hours)
            index = NearDuplicateIndex(self.settings.near_duplicate_threshold, window)
            now = utcnow()
            with self.store.session() as session:
                since = repo.stream_time(session, now) - window
                for document in repo.originals_since(session, since, now - window):
                    index.add(document)
            self._index, self._built = index, time.monotonic()
        return self._index

    def commit(
        self, documents: list[Document], index: NearDuplicateIndex, source_id: int | None = None
    ) -> int:
        """Store a batch in its own transaction, with a clustering job if any is new."""
        with self.store.session() as session:
            added = self.add(session, documents, source_id, index)
            if added:
                self.queue.defer(session, cluster_job())
            return added

    def add(
        self,
        session: Session,
        documents: list[Document],
        source_id: int | None,
        index: NearDuplicateIndex,
    ) -> int:
        """Add new documents: exact copies dropped, near-duplicates linked to their original."""
        added = 0
        ordered = sorted(documents, key=lambda d: (d.published is None, d.published or utcnow()))
        for document in drop_exact_duplicates(ordered):
            if repo.document_exists(session, document):
                continue
            placement = index.place(document)
            if placement.demoted is not None:
                repo.demote_original(session, placement.demoted, document.id)
            added += repo.add_document(session, placement.document, source_id=source_id)
        return added

    def is_known_url(self, url: str) -> bool:
        with self.store.session() as session:
            return repo.is_known_url(session, url)
