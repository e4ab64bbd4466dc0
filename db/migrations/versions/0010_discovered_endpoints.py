"""discovered endpoints: the feeds and sitemaps an outlet names, remembered between crawls

Revision ID: 0010
Revises: 0009
Create Date: 2026-12-04
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0010"
down_revision = "0009"
branch_labels = None
depends_on = None


def upgrade() -> None:
    """Add `fetch_validators.discovered_as` and `discovered_at` (NULL: a configured or listing URL)."""
    with op.batch_alter_table("fetch_validators") as batch:
        batch.add_column(sa.Column("discovered_as", sa.String(length=16), nullable=True))
        batch.add_column(sa.Column("discovered_at", sa.DateTime(timezone=True), nullable=True))


def downgrade() -> None:
    """Drop the columns."""
    with op.batch_alter_table("fetch_validators") as batch:
        batch.drop_column("discovered_at")
        batch.drop_column("discovered_as")
