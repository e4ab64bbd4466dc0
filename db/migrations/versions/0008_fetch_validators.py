"""fetch validators: ETag, Last-Modified and body hash of each discovery URL, for conditional requests

Revision ID: 0008
Revises: 0007
Create Date: 2026-12-03
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0008"
down_revision = "0007"
branch_labels = None
depends_on = None


def upgrade() -> None:
    """Create `fetch_validators`."""
    op.create_table(
        "fetch_validators",
        sa.Column("url", sa.String(length=2000), nullable=False),
        sa.Column("source_id", sa.String(length=64), nullable=False),
        sa.Column("etag", sa.String(length=500), nullable=True),
        sa.Column("last_modified", sa.String(length=100), nullable=True),
        sa.Column("body_sha256", sa.String(length=64), nullable=True),
        sa.Column("changed_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["source_id"], ["sources.id"], name=op.f("fk_fetch_validators_source_id_sources"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("url", name=op.f("pk_fetch_validators")),
    )
    op.create_index(op.f("ix_fetch_validators_source_id"), "fetch_validators", ["source_id"], unique=False)


def downgrade() -> None:
    """Drop `fetch_validators`."""
    op.drop_index(op.f("ix_fetch_validators_source_id"), table_name="fetch_validators")
    op.drop_table("fetch_validators")
