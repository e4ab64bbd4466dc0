"""Merge the extraction, API and alerts branches into one head.

Revision ID: 0006
Revises: 0002, 0004, 0005
Create Date: 2026-11-22
"""

from __future__ import annotations

revision = "0006"
down_revision = ("0002", "0004", "0005")
branch_labels = None
depends_on = None


def upgrade() -> None:
    """Nothing to do: the branches touch different tables."""


def downgrade() -> None:
    """Nothing to do."""
