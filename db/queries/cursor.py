"""Opaque, stable cursors for keyset pagination.

A cursor names the sort it belongs to and the sort key of the last row returned; the next page
starts strictly after it, so rows inserted meanwhile never shift or repeat a page.
"""

from __future__ import annotations

import base64
import binascii
import json
from typing import Any


class InvalidCursor(ValueError):
    """The cursor was not produced by this API for this sort."""


def encode_cursor(sort: str, values: list[Any]) -> str:
    """Pack a sort name and its key values into an opaque URL-safe string."""
    raw = json.dumps({"s": sort, "k": values}, separators=(",", ":"), default=str).encode()
    return base64.urlsafe_b64encode(raw).decode().rstrip("=")


def decode_cursor(cursor: str, sort: str) -> list[Any]:
    """The key values of a cursor made for `sort`; InvalidCursor otherwise."""
    try:
        raw = base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4))
        data = json.loads(raw)
    except (binascii.Error, ValueError, UnicodeDecodeError) as exc:
        raise InvalidCursor("malformed cursor") from exc
    if not isinstance(data, dict) or data.get("s") != sort or not isinstance(data.get("k"), list):
        raise InvalidCursor(f"cursor does not belong to sort {sort!r}")
    return data["k"]
