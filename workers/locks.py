"""One crawl of a source at a time: a lock with expiry and an owner token.

Production uses Redis (`SET key token NX PX ttl`, released and extended only by the token's
owner, atomically in Lua); the embedded default uses a row of `crawl_locks` in the database.
A lock whose holder died expires on its own; a live holder extends it while it works.
"""

from __future__ import annotations

import secrets
from datetime import UTC, datetime, timedelta
from typing import Protocol

from sqlalchemy import delete, select, update
from sqlalchemy.exc import IntegrityError

from db.schedule_models import CrawlLock
from db.session import session_scope
from db.times import as_utc
from rasad.settings import get_settings

_RELEASE = "if redis.call('get', KEYS[1]) == ARGV[1] then return redis.call('del', KEYS[1]) else return 0 end"
_EXTEND = (
    "if redis.call('get', KEYS[1]) == ARGV[1] then return redis.call('pexpire', KEYS[1], ARGV[2]) else return 0 end"
)


class Lock(Protocol):
    """A named lock with expiry: acquire returns a token, or None when someone else holds it."""

    def acquire(self, name: str, ttl_seconds: float) -> str | None:
        """Take the lock for `ttl_seconds`; the token proves ownership."""

    def extend(self, name: str, token: str, ttl_seconds: float) -> bool:
        """Push the expiry forward; False when the lock is no longer ours."""

    def release(self, name: str, token: str) -> bool:
        """Give the lock back, only if it is still ours."""

    def holder_expires(self, name: str) -> datetime | None:
        """When the current holder's lock expires (None when free)."""


class RedisLock:
    """The lock in Redis."""

    def __init__(self, url: str, namespace: str) -> None:
        import redis

        self.client = redis.Redis.from_url(url)
        self.namespace = namespace

    def _key(self, name: str) -> str:
        return f"{self.namespace}:lock:{name}"

    def acquire(self, name: str, ttl_seconds: float) -> str | None:
        """SET NX PX with a random token."""
        token = secrets.token_hex(16)
        return token if self.client.set(self._key(name), token, nx=True, px=int(ttl_seconds * 1000)) else None

    def extend(self, name: str, token: str, ttl_seconds: float) -> bool:
        """PEXPIRE, only for the owner."""
        return bool(self.client.eval(_EXTEND, 1, self._key(name), token, int(ttl_seconds * 1000)))

    def release(self, name: str, token: str) -> bool:
        """DEL, only for the owner."""
        return bool(self.client.eval(_RELEASE, 1, self._key(name), token))

    def holder_expires(self, name: str) -> datetime | None:
        """Now plus the key's remaining time to live."""
        ttl = self.client.pttl(self._key(name))
        return datetime.now(UTC) + timedelta(milliseconds=ttl) if ttl and ttl > 0 else None


class DatabaseLock:
    """The lock as a row of `crawl_locks` (SQLite serializes writers; PostgreSQL locks the row)."""

    def __init__(self, database_url: str | None = None) -> None:
        self.database_url = database_url

    def acquire(self, name: str, ttl_seconds: float) -> str | None:
        """Insert the row, or take it over when it has expired."""
        token = secrets.token_hex(16)
        now = datetime.now(UTC)
        expires = now + timedelta(seconds=ttl_seconds)
        try:
            with session_scope(self.database_url) as session:
                row = session.get(CrawlLock, name, with_for_update=True)
                if row is None:
                    session.add(CrawlLock(source_id=name, token=token, expires_at=expires))
                elif as_utc(row.expires_at) <= now:
                    row.token, row.expires_at = token, expires
                else:
                    return None
        except IntegrityError:
            return None  # another process inserted it first
        return token

    def extend(self, name: str, token: str, ttl_seconds: float) -> bool:
        """Move the expiry of our row."""
        with session_scope(self.database_url) as session:
            result = session.execute(
                update(CrawlLock)
                .where(CrawlLock.source_id == name, CrawlLock.token == token)
                .values(expires_at=datetime.now(UTC) + timedelta(seconds=ttl_seconds))
            )
            return bool(result.rowcount)  # type: ignore[attr-defined]

    def release(self, name: str, token: str) -> bool:
        """Delete our row."""
        with session_scope(self.database_url) as session:
            result = session.execute(delete(CrawlLock).where(CrawlLock.source_id == name, CrawlLock.token == token))
            return bool(result.rowcount)  # type: ignore[attr-defined]

    def holder_expires(self, name: str) -> datetime | None:
        """The row's expiry, if it has not passed."""
        with session_scope(self.database_url) as session:
            expires = session.scalar(select(CrawlLock.expires_at).where(CrawlLock.source_id == name))
        if expires is None or as_utc(expires) <= datetime.now(UTC):
            return None
        return as_utc(expires)


def crawl_lock() -> Lock:
    """Redis when configured (namespaced by queue, so deployments sharing a Redis do not collide), else the database."""
    settings = get_settings()
    if settings.redis_url:
        return RedisLock(settings.redis_url, namespace=f"rasad:{settings.queue}")
    return DatabaseLock()
