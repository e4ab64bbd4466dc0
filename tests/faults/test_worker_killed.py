"""A worker SIGKILLed mid-task (whole process group): its tasks come back and every article is stored once."""

from __future__ import annotations

import time
from pathlib import Path

import pytest
from sqlalchemy import text

from tests.faults.conftest import FaultEnv
from tests.faults.services import WorkerGroup, worker_group
from tests.integration.helpers import rasad, wait_until

pytestmark = [pytest.mark.integration, pytest.mark.timeout(120)]

VISIBILITY_TIMEOUT = 4


def test_killed_worker_tasks_are_redelivered_and_stored_once(
    private_redis_env: FaultEnv, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    env = private_redis_env
    monkeypatch.setenv("RASAD_VISIBILITY_TIMEOUT", str(VISIBILITY_TIMEOUT))
    rasad("crawl", "--all")  # no worker yet: five messages wait in the queue
    pages, pending, _ = env.store.counts()
    assert pages == 5 and pending == 5

    # Hold every raw page's row lock, so the worker is caught inside process_page (after it took the
    # message, before it could acknowledge it) instead of racing through five fast tasks.
    with env.store.engine.connect().execution_options(isolation_level="READ COMMITTED") as locker:
        transaction = locker.begin()
        locker.execute(text("SELECT id FROM raw_pages FOR UPDATE"))
        first = WorkerGroup(tmp_path / "worker-1.log", concurrency=2).start()
        try:
            wait_until(lambda: env.store.waiting_on_locks() == 2, timeout=30, what="two tasks blocked mid-processing")
            killed_at = time.monotonic()
            first.kill()
        finally:
            first.stop()
        transaction.rollback()

    redis = env.redis.client()
    try:
        assert redis.hlen("unacked") == 2, "the two in-flight tasks must still be unacknowledged"
        assert redis.llen(env.queue) == 3
        # Redis hands unacknowledged messages back once the visibility timeout has passed; a new worker
        # restores them when it connects.
        time.sleep(max(0.0, VISIBILITY_TIMEOUT + 1 - (time.monotonic() - killed_at)))
        with worker_group(tmp_path / "worker-2.log", concurrency=2) as second:
            # Two of the five pages were only in the `unacked` hash: all five processed means redelivery.
            wait_until(lambda: env.store.all_processed(5), timeout=45, what="all five pages to be processed")
            assert second.alive
    finally:
        redis.close()
    pages, pending, articles = env.store.counts()
    assert (pages, pending, articles) == (5, 0, 5)
    assert env.store.duplicates() == 0
