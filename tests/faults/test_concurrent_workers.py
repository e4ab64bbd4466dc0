"""Two workers on one queue, each page enqueued twice at the same moment: one article per page."""

from __future__ import annotations

import os
import threading
from pathlib import Path

import pytest
import redis
from sqlalchemy import select, text

from db.models import RawPage
from tests.faults.services import Store, WorkerGroup
from tests.integration.helpers import rasad, wait_until

pytestmark = [pytest.mark.integration, pytest.mark.timeout(120)]


def enqueue_twice_concurrently(page_ids: list[int]) -> None:
    """Two threads send every page at once (p1, p1, p2, p2, ...), as two crawls or a requeue racing would."""
    from workers.dispatch import enqueue_page

    barrier = threading.Barrier(2)
    sent: list[bool] = []

    def send() -> None:
        for page_id in page_ids:
            barrier.wait(timeout=10)
            sent.append(enqueue_page(page_id))

    threads = [threading.Thread(target=send) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(30)
    assert sent == [True] * (2 * len(page_ids))


def test_same_page_twice_on_two_workers_gives_one_article(
    production_env: str, fixture_site: str, redis_url: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("RASAD_PROFILE", "fixtures")
    monkeypatch.setenv("RASAD_FIXTURES_URL", fixture_site)

    queue = os.environ["RASAD_QUEUE"]
    rasad("crawl", "--all")
    store = Store(production_env)
    client = redis.Redis.from_url(redis_url)
    workers = [WorkerGroup(tmp_path / f"worker-{i}.log", concurrency=1) for i in (1, 2)]
    try:
        client.delete(queue)  # start from the duplicates alone, so both workers take the same page first
        with store.engine.connect() as conn:
            page_ids = list(conn.scalars(select(RawPage.id).order_by(RawPage.id)))
        assert len(page_ids) == 5
        enqueue_twice_concurrently(page_ids)
        assert client.llen(queue) == 10

        # Both workers are made to wait on the first page's row lock, then released together.
        with store.engine.connect().execution_options(isolation_level="READ COMMITTED") as locker:
            transaction = locker.begin()
            locker.execute(text("SELECT id FROM raw_pages FOR UPDATE"))
            for worker in workers:
                worker.start()
            wait_until(lambda: store.waiting_on_locks() == 2, timeout=30, what="both workers blocked on a page")
            transaction.rollback()

        wait_until(lambda: _attempts(store) == [2] * 5, timeout=60, what="every copy of every page to run")
        assert all(worker.alive for worker in workers)
    finally:
        for worker in workers:
            worker.stop()
        client.delete(queue)
        client.close()
    pages, pending, articles = store.counts()
    assert (pages, pending, articles) == (5, 0, 5)
    assert store.duplicates() == 0
    store.dispose()


def _attempts(store: Store) -> list[int]:
    with store.engine.connect() as conn:
        return list(conn.scalars(select(RawPage.attempts).order_by(RawPage.id)))
