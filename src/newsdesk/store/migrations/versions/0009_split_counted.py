"""story_moves.counted: the term statistics' size when the clusterer made the move

A split is looked at again each time the statistics have doubled since it was made
(cluster/revise.py), so the pipeline needs that size back. Moves recorded before this
revision have none and are never looked at again, as before.

Revision ID: 0009
Revises: 0008
Create Date: 2026-11-27
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0009"
down_revision: str | None = "0008"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("story_moves") as batch:
        batch.add_column(sa.Column("counted", sa.Integer(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("story_moves") as batch:
        batch.drop_column("counted")
