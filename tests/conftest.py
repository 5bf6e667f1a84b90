"""Shared fixtures: a real, migrated database for every test that needs one, and a real
HTTP server on loopback for the fetch tests (anyio tests run on asyncio).

By default that is a SQLite file in the test's temporary folder. With
NEWSDESK_TEST_DATABASE_URL set to a PostgreSQL server URL (as `.ci/run` does for its
second pass), every test gets a fresh database of its own on that server instead.

With NEWSDESK_TEST_SHIFT_DAYS=N the whole run's clock is N days ahead (time-machine), while
the sample wire keeps the dates it has today: tests/test_any_date.py runs the pipeline
tests that way, so that no test depends on the age of its fixture data.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from datetime import timedelta
from pathlib import Path

import pytest
import time_machine

from loopback_server import LoopbackServer
from newsdesk.samplewire.wire import recent_newest
from newsdesk.store import Store, migrate
from testdb import create_database_url, drop_database_url, is_postgresql


def pytest_configure(config: pytest.Config) -> None:
    config.addinivalue_line("markers", "sqlite_only: checks a SQLite-specific behaviour")
    config.addinivalue_line("markers", "postgresql_only: needs the PostgreSQL test server")


@pytest.fixture(autouse=True, scope="session")
def shifted_clock() -> Iterator[None]:
    days = float(os.environ.get("NEWSDESK_TEST_SHIFT_DAYS") or 0)
    if not days:
        yield
        return
    wire_newest = recent_newest()  # fixed before the jump: the wire ages by ``days``
    with time_machine.travel(wire_newest + timedelta(days=days, hours=3), tick=True):
        yield


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    # .ci/run runs the suite twice, so each of these runs in exactly one of the passes.
    unwanted = "sqlite_only" if is_postgresql() else "postgresql_only"
    skip = pytest.mark.skip(reason=f"{unwanted}: runs in the other pass of .ci/run")
    for item in items:
        if item.get_closest_marker(unwanted):
            item.add_marker(skip)


@pytest.fixture
def database_url(tmp_path: Path) -> Iterator[str]:
    """The URL of an empty, not yet migrated database, removed after the test."""
    url = create_database_url(tmp_path)
    yield url
    drop_database_url(url)


@pytest.fixture
def store(database_url: str) -> Iterator[Store]:
    """A real, migrated database."""
    migrate(database_url)
    opened = Store(database_url)
    yield opened
    opened.close()


@pytest.fixture
def anyio_backend() -> str:
    return "asyncio"


@pytest.fixture
def server() -> Iterator[LoopbackServer]:
    """An HTTP server on loopback with no routes yet (a test module may give its own)."""
    with LoopbackServer() as running:
        yield running
