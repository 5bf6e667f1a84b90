"""writer status of a story: pending after a failed LLM call, with the time of the retry

Revision ID: 0005
Revises: 0003
Create Date: 2026-11-26
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0005"
down_revision: str | None = "0003"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("stories") as batch:
        batch.add_column(sa.Column("write_status", sa.String(length=16), nullable=True))
        batch.add_column(sa.Column("write_error", sa.Text(), nullable=True))
        batch.add_column(
            sa.Column("write_attempts", sa.Integer(), nullable=False, server_default="0")
        )
        batch.add_column(sa.Column("write_retry_at", sa.DateTime(timezone=True), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("stories") as batch:
        batch.drop_column("write_retry_at")
        batch.drop_column("write_attempts")
        batch.drop_column("write_error")
        batch.drop_column("write_status")
