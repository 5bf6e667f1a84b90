"""The site's change counter (``site_state.generation``): bumped by publishing, comments
and desk actions (and by the search triggers, see ``search_index``), read by every web
process's page cache, which drops its pages when the number changes.

``site_state`` is not a model on purpose: like the search index it is derived state, which
a copy of the database rebuilds rather than copies (migration 0006 creates it).
"""

from __future__ import annotations

from sqlalchemy import text
from sqlalchemy.orm import Session

BUMP_GENERATION = (
    "INSERT INTO site_state (id, generation) VALUES (1, 1) "
    "ON CONFLICT (id) DO UPDATE SET generation = site_state.generation + 1"
)


def bump_generation(session: Session) -> None:
    """Tell every process's page cache that what pages show has changed."""
    # An upsert (SQLite and PostgreSQL): no row is seeded, so an empty database stays empty.
    session.execute(text(BUMP_GENERATION))


def generation(session: Session) -> int:
    """The site's change counter (bumped by publishing, comments and desk actions)."""
    return session.scalar(text("SELECT max(generation) FROM site_state")) or 0
