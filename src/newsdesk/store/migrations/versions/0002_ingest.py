"""ingest: source polling state (validators, failures, backoff, pause) and document metadata

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-26
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0002"
down_revision: str | None = "0001"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("sources") as batch:
        batch.add_column(sa.Column("etag", sa.String(length=512), nullable=True))
        batch.add_column(sa.Column("last_modified", sa.String(length=64), nullable=True))
        batch.add_column(sa.Column("failures", sa.Integer(), nullable=False, server_default="0"))
        batch.add_column(sa.Column("next_poll_at", sa.DateTime(timezone=True), nullable=True))
        batch.add_column(
            sa.Column("paused", sa.Boolean(), nullable=False, server_default=sa.false())
        )
    with op.batch_alter_table("documents") as batch:
        batch.add_column(sa.Column("duplicate_of", sa.String(length=64), nullable=True))
        batch.add_column(sa.Column("author", sa.String(length=512), nullable=True))
        batch.add_column(sa.Column("updated", sa.DateTime(timezone=True), nullable=True))
        batch.add_column(sa.Column("image_url", sa.String(length=2048), nullable=True))
        batch.add_column(sa.Column("extractor", sa.String(length=32), nullable=True))
        batch.create_index(batch.f("ix_documents_duplicate_of"), ["duplicate_of"], unique=False)


def downgrade() -> None:
    with op.batch_alter_table("documents") as batch:
        batch.drop_index(batch.f("ix_documents_duplicate_of"))
        batch.drop_column("extractor")
        batch.drop_column("image_url")
        batch.drop_column("updated")
        batch.drop_column("author")
        batch.drop_column("duplicate_of")
    with op.batch_alter_table("sources") as batch:
        batch.drop_column("paused")
        batch.drop_column("next_poll_at")
        batch.drop_column("failures")
        batch.drop_column("last_modified")
        batch.drop_column("etag")
