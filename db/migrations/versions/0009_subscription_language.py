"""subscription language: the language of a subscription's alert messages (ar by default)

Revision ID: 0009
Revises: 0008
Create Date: 2026-12-03
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0009"
down_revision = "0008"
branch_labels = None
depends_on = None


def upgrade() -> None:
    """Add `alert_subscriptions.language`; existing subscriptions get Arabic."""
    with op.batch_alter_table("alert_subscriptions") as batch:
        batch.add_column(sa.Column("language", sa.String(length=8), server_default="ar", nullable=False))


def downgrade() -> None:
    """Drop the column."""
    with op.batch_alter_table("alert_subscriptions") as batch:
        batch.drop_column("language")
