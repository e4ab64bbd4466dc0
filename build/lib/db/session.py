"""Engines and sessions: one session per unit of work, owned by the caller.

`session_scope()` is the unit of work: it commits on success, rolls back on error and then runs
the callbacks registered with `on_commit()` -- so a Celery task is enqueued only once the rows it
refers to are visible to the worker that will read them.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any

from sqlalchemy import Engine, create_engine, event
from sqlalchemy.orm import Session, sessionmaker

from rasad.settings import get_settings

_ON_COMMIT_KEY = "rasad.on_commit"
logger = logging.getLogger(__name__)


def make_engine(url: str) -> Engine:
    """Create an engine; SQLite gets WAL and a busy timeout so crawler and worker can share it."""
    if url.startswith("sqlite"):
        engine = create_engine(url, connect_args={"timeout": 30})

        @event.listens_for(engine, "connect")
        def _sqlite_pragmas(dbapi_connection: Any, _record: Any) -> None:
            cursor = dbapi_connection.cursor()
            cursor.execute("PRAGMA journal_mode=WAL")
            cursor.execute("PRAGMA foreign_keys=ON")
            cursor.execute("PRAGMA busy_timeout=30000")
            cursor.close()

        return engine
    return create_engine(url, pool_pre_ping=True)


_ENGINES: dict[str, Engine] = {}


def get_engine(url: str | None = None) -> Engine:
    """The process-wide engine for `url` (default: the configured database)."""
    url = url or get_settings().resolved_database_url
    if url not in _ENGINES:
        _ENGINES[url] = make_engine(url)
    return _ENGINES[url]


def dispose_engines() -> None:
    """Close every pooled connection and forget the engines (after the configuration changed)."""
    while _ENGINES:
        _, engine = _ENGINES.popitem()
        engine.dispose()


def get_sessionmaker(url: str | None = None) -> sessionmaker[Session]:
    """A session factory bound to the configured database, with the after-commit hook installed."""
    factory = sessionmaker(bind=get_engine(url), expire_on_commit=False)
    return factory


def on_commit(session: Session, callback: Callable[[], Any]) -> None:
    """Run `callback` after `session`'s current transaction commits; drop it on rollback."""
    session.info.setdefault(_ON_COMMIT_KEY, []).append(callback)


@event.listens_for(Session, "after_commit")
def _run_on_commit(session: Session) -> None:
    callbacks = session.info.pop(_ON_COMMIT_KEY, [])
    for callback in callbacks:
        try:
            callback()
        except Exception:
            # The data is committed; a failed follow-up (e.g. the broker is down) must not undo or hide
            # that. The rows stay in a state that a sweeper picks up (pages stay `pending`).
            logger.exception("after-commit callback %r failed", callback)


@event.listens_for(Session, "after_soft_rollback")
def _drop_on_rollback(session: Session, _previous_transaction: Any) -> None:
    session.info.pop(_ON_COMMIT_KEY, None)


@contextmanager
def session_scope(url: str | None = None) -> Iterator[Session]:
    """One unit of work: a session in a transaction, committed on success, rolled back on error."""
    factory = get_sessionmaker(url)
    with factory() as session, session.begin():
        yield session


def with_db_retry(work: Callable[[], Any], *, seconds: float = 60.0, what: str = "database write") -> Any:
    """Run `work`, retrying with backoff while the database is unreachable (OperationalError)."""
    from sqlalchemy.exc import OperationalError

    deadline = time.monotonic() + seconds
    delay = 0.5
    while True:
        try:
            return work()
        except OperationalError as exc:
            if time.monotonic() + delay > deadline:
                raise
            logger.warning("%s: database unavailable (%s); retrying in %.1fs", what, exc.orig, delay)
            time.sleep(delay)
            delay = min(delay * 2, 10.0)
