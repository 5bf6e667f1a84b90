"""articles.topics: the sections a version belongs to, decided once when it is published

Comma-separated topic slugs (``publish/sections.py``); empty when it fits none. Versions
published before this revision have NULL, and the site classifies those when it reads them.

Revision ID: 0011
Revises: 0010
Create Date: 2026-12-07
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0011"
down_revision: str | None = "0010"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("articles") as batch:
        batch.add_column(sa.Column("topics", sa.String(200), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("articles") as batch:
        batch.drop_column("topics")
