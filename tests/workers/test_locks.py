"""One crawl per source at a time: Redis and database locks, and the overrun note on the history."""

from __future__ import annotations

import sys
import threading
import time
import uuid
from pathlib import Path

import pytest
from sqlalchemy import select

from db.crawl_history import crawl_history
from db.schedule_models import CrawlSkip
from db.session import session_scope
from tests.alerts.factories import sync_fixture_sources
from workers.locked_crawl import run_locked_crawl
from workers.locks import DatabaseLock, Lock, RedisLock


def exercise(lock: Lock) -> None:
    token = lock.acquire("crawl:orient", 5)
    assert token is not None
    assert lock.acquire("crawl:orient", 5) is None  # held
    assert lock.holder_expires("crawl:orient") is not None
    assert not lock.release("crawl:orient", "not-the-token")  # only the owner releases
    assert lock.extend("crawl:orient", token, 5)
    assert lock.release("crawl:orient", token)
    assert lock.acquire("crawl:orient", 0.2) is not None
    time.sleep(0.4)
    assert lock.acquire("crawl:orient", 5) is not None  # an expired lock is free


def test_database_lock(embedded_env: Path) -> None:
    exercise(DatabaseLock())


@pytest.mark.integration
def test_redis_lock(redis_url: str) -> None:
    lock = RedisLock(redis_url, namespace=f"rasad-test-{uuid.uuid4().hex[:8]}")
    exercise(lock)


@pytest.mark.parametrize("kind", ["database", pytest.param("redis", marks=pytest.mark.integration)])
def test_an_overrunning_crawl_is_not_doubled_but_noted(
    kind: str, embedded_env: Path, request: pytest.FixtureRequest
) -> None:
    lock: Lock = DatabaseLock()
    if kind == "redis":
        lock = RedisLock(request.getfixturevalue("redis_url"), namespace=f"rasad-test-{uuid.uuid4().hex[:8]}")
    with session_scope() as session:
        sync_fixture_sources(session)
    # The crawl runs longer than the lock's TTL: only the heartbeat keeps the second one out.
    slow = [sys.executable, "-c", "import time; time.sleep(2)"]
    outcomes = []
    first = threading.Thread(
        target=lambda: outcomes.append(
            run_locked_crawl("orient", "fixtures", command=slow, lock=lock, ttl=1, heartbeat=0.2)
        )
    )
    first.start()
    time.sleep(1.3)
    second = run_locked_crawl("orient", "fixtures", command=slow, lock=lock, ttl=1, heartbeat=0.2)
    first.join()
    assert outcomes[0].status == "done"
    assert second.status == "skipped" and "overrun" in second.detail
    with session_scope() as session:
        assert len(session.scalars(select(CrawlSkip)).all()) == 1
        (entry,) = crawl_history(session, source_id="orient")
    assert entry.status == "skipped" and "still running" in entry.note
    # Released: the next crawl runs.
    assert run_locked_crawl("orient", "fixtures", command=[sys.executable, "-c", "pass"], lock=lock).status == "done"


def test_a_failing_crawl_reports_its_last_error_line(embedded_env: Path) -> None:
    failing = [sys.executable, "-c", "import sys; sys.exit('error: outlet unreachable')"]
    outcome = run_locked_crawl("orient", "fixtures", command=failing, lock=DatabaseLock())
    assert outcome.status == "failed" and outcome.detail == "error: outlet unreachable"
