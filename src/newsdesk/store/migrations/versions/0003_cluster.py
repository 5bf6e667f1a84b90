"""clustering: closed and merged stories, the record of merges and splits, story vectors

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-26
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0003"
down_revision: str | None = "0002"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("stories") as batch:
        batch.add_column(sa.Column("closed_at", sa.DateTime(timezone=True), nullable=True))
        batch.add_column(sa.Column("merged_into", sa.String(length=64), nullable=True))
        batch.create_index("ix_stories_merged_into", ["merged_into"], unique=False)
    op.create_table(
        "story_moves",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(length=16), nullable=False),
        sa.Column("source_story", sa.String(length=64), nullable=False),
        sa.Column("target_story", sa.String(length=64), nullable=False),
        sa.Column("documents", sa.JSON(), nullable=False),
        sa.Column("score", sa.Float(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id"),
    )
    with op.batch_alter_table("story_moves") as batch:
        batch.create_index("ix_story_moves_source_story", ["source_story"], unique=False)
        batch.create_index("ix_story_moves_target_story", ["target_story"], unique=False)
    op.create_table(
        "story_vectors",
        sa.Column("story_id", sa.String(length=64), nullable=False),
        sa.Column("model", sa.String(length=64), nullable=False),
        sa.Column("vector", sa.LargeBinary(), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(["story_id"], ["stories.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("story_id"),
    )


def downgrade() -> None:
    op.drop_table("story_vectors")
    with op.batch_alter_table("story_moves") as batch:
        batch.drop_index("ix_story_moves_target_story")
        batch.drop_index("ix_story_moves_source_story")
    op.drop_table("story_moves")
    with op.batch_alter_table("stories") as batch:
        batch.drop_index("ix_stories_merged_into")
        batch.drop_column("merged_into")
        batch.drop_column("closed_at")
