"""raw pages: quarantine state, time and error of the last try

Revision ID: 0007
Revises: 0006
Create Date: 2026-11-23
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0007"
down_revision = "0006"
branch_labels = None
depends_on = None

OLD_STATES = ("PENDING", "PROCESSED", "REJECTED", "FAILED")
NEW_STATES = (*OLD_STATES, "QUARANTINED")


def upgrade() -> None:
    """Add the columns; the state is a VARCHAR(20) without a CHECK, so the new value needs no DDL."""
    with op.batch_alter_table("raw_pages", schema=None) as batch_op:
        batch_op.add_column(sa.Column("last_attempt_at", sa.DateTime(timezone=True), nullable=True))
        batch_op.add_column(sa.Column("last_error", sa.Text(), nullable=True))
        batch_op.alter_column(
            "state",
            existing_type=sa.Enum(*OLD_STATES, name="pagestate", native_enum=False, length=20),
            type_=sa.Enum(*NEW_STATES, name="pagestate", native_enum=False, length=20),
            existing_nullable=False,
        )


def downgrade() -> None:
    """Quarantined pages become pending again (their attempts reset), then the columns go."""
    op.execute("UPDATE raw_pages SET state = 'PENDING', attempts = 0 WHERE state = 'QUARANTINED'")
    with op.batch_alter_table("raw_pages", schema=None) as batch_op:
        batch_op.alter_column(
            "state",
            existing_type=sa.Enum(*NEW_STATES, name="pagestate", native_enum=False, length=20),
            type_=sa.Enum(*OLD_STATES, name="pagestate", native_enum=False, length=20),
            existing_nullable=False,
        )
        batch_op.drop_column("last_error")
        batch_op.drop_column("last_attempt_at")
