"""One pipeline run per database at a time.

Two `newsdesk run --once` on one database would both write and publish every story (or
one dies on a unique constraint). A run holds a lock for the whole pass: on SQLite an
exclusive ``flock`` on a file beside the database, on PostgreSQL a session advisory lock.
Both go away with the process, however it ends (``kill -9`` included), so a crash never
leaves the database locked. A second run does not wait: it is told, in one line.
"""

from __future__ import annotations

import fcntl
import os
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from sqlalchemy import text
from sqlalchemy.engine import make_url

from newsdesk.store.db import Store

# Any fixed number: the key of the pipeline's advisory lock on PostgreSQL.
ADVISORY_KEY = 0x6E657773  # "news"


class PipelineBusyError(RuntimeError):
    """Another run holds this database's pipeline lock."""


@contextmanager
def pipeline_lock(store: Store) -> Iterator[None]:
    """Hold the database's pipeline lock while the block runs, or raise PipelineBusyError."""
    url = make_url(store.url)
    if url.get_backend_name() == "sqlite":
        database = url.database or ""
        if database in ("", ":memory:"):
            yield  # a private in-memory database: nobody else can run on it
            return
        with _file_lock(Path(database).with_name(Path(database).name + ".pipeline-lock")):
            yield
        return
    with store.engine.connect() as connection:
        taken = connection.execute(text("SELECT pg_try_advisory_lock(:key)"), {"key": ADVISORY_KEY})
        if not taken.scalar():
            raise PipelineBusyError(
                "another newsdesk run is working on this database; try again when it ends"
            )
        try:
            yield
        finally:
            connection.execute(text("SELECT pg_advisory_unlock(:key)"), {"key": ADVISORY_KEY})
            connection.commit()


@contextmanager
def _file_lock(path: Path) -> Iterator[None]:
    descriptor = os.open(path, os.O_RDWR | os.O_CREAT, 0o600)
    try:
        try:
            fcntl.flock(descriptor, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            holder = os.pread(descriptor, 32, 0).decode("ascii", "replace").strip()
            raise PipelineBusyError(
                f"another newsdesk run (pid {holder or 'unknown'}) is working on this "
                "database; try again when it ends"
            ) from None
        os.ftruncate(descriptor, 0)
        os.pwrite(descriptor, str(os.getpid()).encode("ascii"), 0)
        yield
    finally:
        os.close(descriptor)  # closing releases the lock
