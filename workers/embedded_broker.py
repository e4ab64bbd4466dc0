"""The embedded broker: kombu's SQLAlchemy transport on a SQLite file, polled often, with redelivery.

kombu's virtual transports poll an empty queue once a second, and an alert crosses the queue
three times (process page → alert → deliver), which costs seconds of latency. The SQLAlchemy
transport hands its transport options to `create_engine`, so the interval cannot be passed as an
option; this subclass sets it instead, under its own URL scheme (`rasad-sqla+sqlite:///...`).

kombu's transport marks a delivered message invisible and keeps the row for good: an acknowledged
message is never deleted (the file grows forever) and a message whose worker was killed is never
delivered again (only Rasad's pending-page sweeper recovers its page). This channel behaves like
Redis instead:

- a delivered row is marked in flight (`version` = `IN_FLIGHT`, `timestamp` = delivery time);
- an in-flight row older than the visibility timeout (`RASAD_VISIBILITY_TIMEOUT`, the same transport
  option as Redis) is delivered again, to any worker;
- acknowledging or rejecting a message deletes its row; requeueing (a lost pool process, a warm
  shutdown) makes the row visible again rather than inserting a copy.
"""

from __future__ import annotations

import logging
import threading
from datetime import datetime, timedelta
from json import loads
from queue import Empty
from time import monotonic, sleep
from typing import Any, ClassVar

from kombu.transport import TRANSPORT_ALIASES
from kombu.transport.sqlalchemy import Channel as SQLAlchemyChannel
from kombu.transport.sqlalchemy import Transport as SQLAlchemyTransport
from kombu.utils.encoding import bytes_to_str
from sqlalchemy import Engine, Table, create_engine, delete, or_, select, text, update
from sqlalchemy.exc import IntegrityError, OperationalError

SCHEME = "rasad-sqla"
DEFAULT_VISIBILITY_TIMEOUT = 900.0
# kombu versions its rows from 1 up, so 0 marks a row that this channel delivered and that awaits
# its acknowledgement; invisible rows with another version were delivered (and acknowledged) by
# kombu's own channel before this one existed, and are deleted.
IN_FLIGHT = 0
# Transport options that are kombu's or Rasad's, not `create_engine` arguments.
_NOT_ENGINE_OPTIONS = frozenset(
    {
        "queue_tablename", "message_tablename", "callback", "errback", "max_retries", "interval_start",
        "interval_step", "interval_max", "retry_errors", "visibility_timeout",
    }
)  # fmt: skip

logger = logging.getLogger(__name__)


class Channel(SQLAlchemyChannel):
    """kombu's SQLAlchemy channel with a visibility timeout and deletion of acknowledged messages."""

    _legacy_swept: ClassVar[set[str]] = set()  # broker URLs whose pre-redelivery rows this process deleted

    def __init__(self, connection: Any, **kwargs: Any) -> None:
        super().__init__(connection, **kwargs)
        options = connection.client.transport_options
        self.visibility_timeout = float(options.get("visibility_timeout", DEFAULT_VISIBILITY_TIMEOUT))
        self._rows: dict[str, int] = {}  # delivery tag -> row id, for the messages this channel holds
        # The channel's session is not thread-safe, and acknowledgements arrive from the prefork pool's
        # result thread while the consumer polls: whoever holds the lock uses the session; writes that
        # find it taken wait in `_deferred` and run as soon as it is free (at the latest, next poll).
        self._session_lock = threading.Lock()
        self._deferred: list[tuple[Any, str]] = []

    def _engine_from_config(self) -> Engine:
        conninfo = self.connection.client
        options = {k: v for k, v in conninfo.transport_options.items() if k not in _NOT_ENGINE_OPTIONS}
        return create_engine(conninfo.hostname, **options)

    @property
    def _table(self) -> Table:
        return self.message_cls.__table__

    def _get_or_create(self, queue: str) -> Any:
        """The queue's row, created when missing; a process that loses the race to create it reads the winner's.

        kombu's version guards the race within one process only: a worker and a crawl declaring
        the queue at the same moment on a new file made the loser's insert fail on the unique name,
        and the worker exit.
        """
        try:
            return super()._get_or_create(queue)
        except IntegrityError:
            self.session.rollback()
            return self.session.query(self.queue_cls).filter(self.queue_cls.name == queue).one()

    def _get(self, queue: str, timeout: float | None = None) -> dict[str, Any]:
        """Take the oldest visible message, or one whose delivery outlived the visibility timeout."""
        self._sweep_legacy_rows()  # and the acknowledgements that waited
        try:
            with self._session_lock:
                return self._take(self._get_or_create(queue).id)
        finally:
            self._run_deferred()

    def _take(self, queue_id: int) -> dict[str, Any]:
        session = self.session
        try:
            taken = self._mark_next(session, queue_id)
            session.commit()
        except OperationalError as exc:  # the file is busy (another process writes): poll again
            session.rollback()
            logger.debug("embedded broker busy (%s); polling again", exc)
            raise Empty() from exc
        except BaseException:
            session.rollback()  # never leave the session mid-commit: every later statement would fail
            raise
        if taken is None:
            raise Empty()
        row_id, payload = taken
        self._rows[payload["properties"]["delivery_tag"]] = row_id
        return payload

    def _mark_next(self, session: Any, queue_id: int) -> tuple[int, dict[str, Any]] | None:
        """Mark the next deliverable row of the queue in flight (uncommitted); its id and payload."""
        if session.bind.name == "sqlite":
            session.execute(text("BEGIN IMMEDIATE TRANSACTION"))  # one taker at a time, as kombu does
        table = self._table
        now = datetime.now()  # kombu's `timestamp` column is naive local time
        expired = now - timedelta(seconds=self.visibility_timeout)
        row = session.execute(
            select(table.c.id, table.c.payload)
            .where(table.c.queue_id == queue_id)
            .where(or_(table.c.visible.is_(True), (table.c.version == IN_FLIGHT) & (table.c.timestamp < expired)))
            .order_by(table.c.id)
            .limit(1)
            .with_for_update()
        ).first()
        if row is None:
            return None
        session.execute(
            update(table).where(table.c.id == row.id).values(visible=False, version=IN_FLIGHT, timestamp=now)
        )
        return row.id, loads(bytes_to_str(row.payload))

    def basic_ack(self, delivery_tag: str, multiple: bool = False) -> None:
        """Acknowledge the message and delete its row."""
        super().basic_ack(delivery_tag, multiple)
        self._delete_row(delivery_tag)

    def basic_reject(self, delivery_tag: str, requeue: bool = False) -> None:
        """Reject the message: its row is made visible again when requeued (`_restore`), else deleted."""
        super().basic_reject(delivery_tag, requeue=requeue)
        self._delete_row(delivery_tag)  # a no-op once `_restore` took the row back

    def _restore(self, message: Any) -> None:
        """Hand a held message back to the queue: its own row becomes visible again (no copy)."""
        row_id = self._rows.pop(message.delivery_tag, None)
        if row_id is None:
            super()._restore(message)
            return
        self._write(update(self._table).where(self._table.c.id == row_id).values(visible=True), "restore")

    def _delete_row(self, delivery_tag: str) -> None:
        row_id = self._rows.pop(delivery_tag, None)
        if row_id is not None:
            self._write(delete(self._table).where(self._table.c.id == row_id), "delete")

    def _write(self, statement: Any, what: str) -> None:
        self._deferred.append((statement, what))
        self._run_deferred()

    def _run_deferred(self) -> None:
        if not self._session_lock.acquire(blocking=False):
            return  # the holder (another thread, or this one re-entered) or the next poll runs them
        try:
            while self._deferred:
                statement, what = self._deferred.pop(0)
                try:
                    self.session.execute(statement)
                    self.session.commit()
                except OperationalError as exc:
                    # The message is then delivered again after the visibility timeout; tasks are idempotent.
                    self.session.rollback()
                    logger.warning("embedded broker: could not %s a message row (%s)", what, exc)
                except BaseException:
                    self.session.rollback()
                    raise
        finally:
            self._session_lock.release()

    def close(self) -> None:
        """Write the pending acknowledgements, then close as kombu does (which requeues held messages)."""
        self._run_deferred()
        super().close()
        self._run_deferred()

    def _sweep_legacy_rows(self) -> None:
        url = self.connection.client.hostname
        if url in self._legacy_swept:
            self._run_deferred()
            return
        table = self._table
        self._legacy_swept.add(url)
        self._write(delete(table).where(table.c.visible.is_(False), table.c.version != IN_FLIGHT), "sweep")


class Transport(SQLAlchemyTransport):
    """SQLAlchemy transport polling every 100 ms (an indexed SELECT on a small table).

    kombu's loop sleeps the whole polling interval after every `Empty`, including the one a channel
    raises while its prefetch is in flight (a worker with prefetch 1 and late acks holds one task):
    the next task then waits up to 100 ms after each one ends, which capped a worker near 8 tasks/s.
    Here, a channel that cannot consume yet is looked at again after `blocked_interval`: that
    costs no query (the check is in memory); an empty queue is still polled every 100 ms.
    """

    Channel = Channel
    polling_interval = 0.1
    blocked_interval = 0.005

    def drain_events(self, connection: Any, timeout: Any = None, **_kwargs: Any) -> Any:
        """Deliver one message; sleep briefly while the prefetch is in flight, longer on an empty queue."""
        started = monotonic()
        cycle = self.cycle
        assert cycle is not None, "kombu sets the cycle when the transport is created"
        while True:
            try:
                cycle.get(self._deliver, timeout=timeout)
                return
            except Empty:
                if timeout is not None and monotonic() - started >= timeout:
                    raise TimeoutError() from None
                sleep(self._idle_interval(timeout))

    def _idle_interval(self, timeout: float | None) -> float:
        blocked = bool(self.channels) and not any(channel.qos.can_consume() for channel in self.channels)
        interval = self.blocked_interval if blocked else self.polling_interval
        return min(interval, timeout) if timeout else interval


TRANSPORT_ALIASES.setdefault(SCHEME, f"{__name__}:Transport")
