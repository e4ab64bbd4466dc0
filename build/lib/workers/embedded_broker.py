"""The embedded broker: kombu's SQLAlchemy transport on a SQLite file, polled often.

kombu's virtual transports poll an empty queue once a second, and an alert crosses the queue
three times (process page → alert → deliver), which costs seconds of latency. The SQLAlchemy
transport hands its transport options to `create_engine`, so the interval cannot be passed as an
option; this subclass sets it instead, under its own URL scheme (`rasad-sqla+sqlite:///...`).
"""

from __future__ import annotations

from kombu.transport import TRANSPORT_ALIASES
from kombu.transport.sqlalchemy import Transport as SQLAlchemyTransport

SCHEME = "rasad-sqla"


class Transport(SQLAlchemyTransport):
    """SQLAlchemy transport polling every 100 ms (an indexed SELECT on a small table)."""

    polling_interval = 0.1


TRANSPORT_ALIASES.setdefault(SCHEME, f"{__name__}:Transport")
