"""Small dialect-aware SQL helpers (JSON arrays, keyset conditions), always with bound parameters."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import and_, cast, exists, func, literal, or_, select
from sqlalchemy.dialects.postgresql import JSONB
from sqlalchemy.orm import Session
from sqlalchemy.sql.elements import ColumnElement

from db.queries.cursor import InvalidCursor


def dialect_of(session: Session) -> str:
    """'postgresql' or 'sqlite'."""
    return session.get_bind().dialect.name


def json_array_contains(dialect: str, column: Any, value: str) -> ColumnElement[bool]:
    """`value` is an element of the JSON array in `column`."""
    if dialect == "postgresql":
        return cast(column, JSONB).contains(func.jsonb_build_array(literal(value)))
    each = func.json_each(column).table_valued("value")
    return exists(select(literal(1)).select_from(each).where(each.c.value == value))


def keyset_after(
    column: Any, id_column: Any, value: Any, last_id: Any, *, descending: bool, nullable: bool
) -> ColumnElement[bool]:
    """Rows strictly after (value, last_id) in ORDER BY column [DESC] NULLS LAST, id [DESC]."""
    if not isinstance(last_id, int) or isinstance(last_id, bool) or not -(2**31) <= last_id < 2**31:
        raise InvalidCursor("malformed cursor")
    id_after = id_column < last_id if descending else id_column > last_id
    if value is None:
        if not nullable:
            raise InvalidCursor("malformed cursor")
        return and_(column.is_(None), id_after)
    beyond = column < value if descending else column > value
    condition = or_(beyond, and_(column == value, id_after))
    return or_(condition, column.is_(None)) if nullable else condition


def parse_datetime(value: Any) -> datetime:
    """A datetime from a cursor value."""
    try:
        return datetime.fromisoformat(str(value))
    except ValueError as exc:
        raise InvalidCursor("malformed cursor") from exc
