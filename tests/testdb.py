"""Databases for tests: a SQLite file, or a fresh database on the PostgreSQL test server.

With NEWSDESK_TEST_DATABASE_URL set to a PostgreSQL server URL (as `make test-postgres`
does), every database a test asks for is a new PostgreSQL database on that server.
"""

from __future__ import annotations

import os
import uuid
from pathlib import Path

from sqlalchemy import create_engine, make_url, text

SERVER_URL = os.environ.get("NEWSDESK_TEST_DATABASE_URL", "")


def is_postgresql() -> bool:
    return SERVER_URL.startswith("postgresql")


def create_database_url(folder: Path, template: str | None = None) -> str:
    """An empty database: a new SQLite file in ``folder``, or a new PostgreSQL database
    (a copy of the PostgreSQL database named ``template``, when given)."""
    if not is_postgresql():
        return f"sqlite:///{folder / 'newsdesk.db'}"
    name = f"test_{uuid.uuid4().hex[:16]}"
    copy = f' TEMPLATE "{template}"' if template else ""
    admin = create_engine(SERVER_URL, isolation_level="AUTOCOMMIT")
    with admin.connect() as connection:
        connection.execute(text(f'CREATE DATABASE "{name}"{copy}'))
    admin.dispose()
    return make_url(SERVER_URL).set(database=name).render_as_string(hide_password=False)


def drop_database_url(url: str) -> None:
    if not url.startswith("postgresql"):
        return
    name = make_url(url).database
    admin = create_engine(SERVER_URL, isolation_level="AUTOCOMMIT")
    with admin.connect() as connection:
        connection.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
    admin.dispose()
