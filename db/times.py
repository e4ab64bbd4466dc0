"""Datetimes read back from the store: SQLite returns naive values, which are UTC."""

from __future__ import annotations

from datetime import UTC, datetime


def as_utc(moment: datetime) -> datetime:
    """The moment as an aware datetime (a naive one is UTC)."""
    return moment.replace(tzinfo=UTC) if moment.tzinfo is None else moment


def as_utc_or_none(moment: datetime | None) -> datetime | None:
    """`as_utc`, keeping None."""
    return None if moment is None else as_utc(moment)
