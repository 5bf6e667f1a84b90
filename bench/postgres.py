"""The benchmarks' PostgreSQL: the test server of scripts/start-test-postgres.sh."""

from __future__ import annotations

import subprocess
import uuid
from pathlib import Path

from sqlalchemy import create_engine, make_url, text

ROOT = Path(__file__).resolve().parent.parent


def start_server() -> str:
    """Start (or reuse) the loopback PostgreSQL 16 + pgvector; returns its admin URL."""
    return subprocess.run(
        [str(ROOT / "scripts" / "start-test-postgres.sh")],
        check=True,
        capture_output=True,
        text=True,
        cwd=ROOT,
    ).stdout.strip()


def fresh_database(server: str) -> str:
    """The URL of a new, empty database on ``server``."""
    name = f"bench_{uuid.uuid4().hex[:12]}"
    admin = create_engine(server, isolation_level="AUTOCOMMIT")
    with admin.connect() as connection:
        connection.execute(text(f'CREATE DATABASE "{name}"'))
    admin.dispose()
    return make_url(server).set(database=name).render_as_string(hide_password=False)
