"""Run one source's crawl under its lock; a crawl that finds the previous one still running is recorded as skipped."""

from __future__ import annotations

import logging
import subprocess
import sys
from dataclasses import dataclass
from datetime import UTC, datetime

from db.schedule_models import CrawlSkip
from db.session import session_scope
from workers.locks import Lock, crawl_lock

logger = logging.getLogger(__name__)

LOCK_TTL_SECONDS = 600.0  # a crashed worker's lock frees itself after this
HEARTBEAT_SECONDS = 60.0  # a live crawl extends its lock this often


@dataclass(frozen=True)
class CrawlOutcome:
    """What happened to a requested crawl."""

    source_id: str
    status: str  # done | failed | skipped
    detail: str = ""


def lock_name(source_id: str) -> str:
    """The lock that serializes crawls of one source."""
    return f"crawl:{source_id}"


def record_skip(source_id: str, reason: str) -> None:
    """Note on the crawl history that a crawl did not start, and why."""
    with session_scope() as session:
        session.add(CrawlSkip(source_id=source_id, reason=reason))


def crawl_command(source_id: str, profile: str) -> list[str]:
    """The child process that crawls (Twisted's reactor cannot restart inside a worker)."""
    return [sys.executable, "-m", "rasad", "crawl", source_id, "--profile", profile]


def run_locked_crawl(
    source_id: str,
    profile: str,
    *,
    command: list[str] | None = None,
    lock: Lock | None = None,
    ttl: float = LOCK_TTL_SECONDS,
    heartbeat: float = HEARTBEAT_SECONDS,
) -> CrawlOutcome:
    """Crawl `source_id` unless a crawl of it is running; extend the lock while the crawl runs."""
    lock = lock or crawl_lock()
    name = lock_name(source_id)
    token = lock.acquire(name, ttl)
    if token is None:
        until = lock.holder_expires(name)
        reason = "overrun: the previous crawl is still running" + (
            f" (lock held until {until.astimezone(UTC):%Y-%m-%d %H:%M:%S} UTC)" if until else ""
        )
        record_skip(source_id, reason)
        logger.warning("crawl of %s skipped: %s", source_id, reason)
        return CrawlOutcome(source_id, "skipped", reason)
    started = datetime.now(UTC)
    try:
        proc = subprocess.Popen(
            command or crawl_command(source_id, profile), stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True
        )
        while True:
            try:
                _out, err = proc.communicate(timeout=heartbeat)
                break
            except subprocess.TimeoutExpired:
                if not lock.extend(name, token, ttl):
                    logger.warning("lost the crawl lock of %s while crawling", source_id)
    finally:
        lock.release(name, token)
    seconds = (datetime.now(UTC) - started).total_seconds()
    if proc.returncode != 0:
        last = (err or "").strip().splitlines()[-1:] or [f"exit {proc.returncode}"]
        return CrawlOutcome(source_id, "failed", last[0])
    return CrawlOutcome(source_id, "done", f"{seconds:.1f}s")
