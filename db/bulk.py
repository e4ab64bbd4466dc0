"""Multi-row INSERTs at the table level: one statement for many rows, no ORM object per row.

SQLAlchemy batches such executions into `INSERT ... VALUES (...), (...)` ("insertmanyvalues"), with
RETURNING where the ids are needed, on PostgreSQL and SQLite alike.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import Table, insert
from sqlalchemy.orm import Session


def _table(model: Any) -> Table:
    table: Table = model.__table__
    return table


def insert_rows(session: Session, model: Any, rows: list[dict[str, Any]]) -> None:
    """Insert `rows` into the table of `model` in one statement (nothing when there are none)."""
    if rows:
        session.execute(insert(_table(model)), rows)


def insert_returning_ids(session: Session, model: Any, rows: list[dict[str, Any]]) -> list[int]:
    """Insert `rows` in one statement; their new ids, in the order of `rows`."""
    if not rows:
        return []
    table = _table(model)
    statement = insert(table).returning(table.c.id, sort_by_parameter_order=True)
    return list(session.scalars(statement, rows).all())
