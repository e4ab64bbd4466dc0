"""Shared query parameters: bounded lengths, no NUL bytes (PostgreSQL text cannot hold them)."""

from __future__ import annotations

import re
from datetime import date
from typing import Annotated, Any

from fastapi import Path, Query
from pydantic import BeforeValidator

_ISO_DAY = re.compile(r"^\d{4}-\d{2}-\d{2}$")


def _iso_day(value: Any) -> Any:
    """Only YYYY-MM-DD: pydantic would otherwise read "0" as a Unix timestamp."""
    if value is not None and not (isinstance(value, str) and _ISO_DAY.match(value)):
        raise ValueError("expected a date like 2023-03-01")
    return value


SAFE_TEXT = r"^[^\x00]*$"
MAX_ID = 2**31 - 1

Text = Annotated[str | None, Query(max_length=200, pattern=SAFE_TEXT)]
SearchText = Annotated[str | None, Query(max_length=500, pattern=SAFE_TEXT, description="Full-text query (Arabic).")]
Cursor = Annotated[str | None, Query(max_length=500, pattern=r"^[A-Za-z0-9_-]*$", description="From `next_cursor`.")]
Limit = Annotated[int, Query(ge=1, le=200)]
IdPath = Annotated[int, Path(ge=1, le=MAX_ID)]
KeyPath = Annotated[str, Path(min_length=1, max_length=100, pattern=r"^[^\x00/]+$")]
Day = Annotated[date | None, BeforeValidator(_iso_day), Query(description="YYYY-MM-DD")]
