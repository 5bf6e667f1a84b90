"""pgvector: story embeddings in a vector column with an HNSW index (PostgreSQL only)

Related stories are the nearest story vectors by cosine distance; the HNSW index keeps
that query fast at hundreds of thousands of stories. Skipped where the server lacks the
extension: related stories then fall back to the exact search in Python.

Revision ID: 0008
Revises: 0007
Create Date: 2026-11-26
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0008"
down_revision: str | None = "0007"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

DIMENSIONS = 256  # newsdesk.embed's WordLlama vectors


def _has_pgvector() -> bool:
    bind = op.get_bind()
    if bind.dialect.name != "postgresql":
        return False
    query = sa.text("SELECT 1 FROM pg_available_extensions WHERE name = 'vector'")
    return bind.execute(query).scalar() is not None


def upgrade() -> None:
    if not _has_pgvector():
        return
    op.execute("CREATE EXTENSION IF NOT EXISTS vector")
    op.execute(f"ALTER TABLE story_vectors ADD COLUMN embedding vector({DIMENSIONS})")
    op.execute(
        "CREATE INDEX ix_story_vectors_embedding ON story_vectors "
        "USING hnsw (embedding vector_cosine_ops)"
    )


def downgrade() -> None:
    if op.get_bind().dialect.name != "postgresql":
        return
    op.execute("DROP INDEX IF EXISTS ix_story_vectors_embedding")
    op.execute("ALTER TABLE story_vectors DROP COLUMN IF EXISTS embedding")
