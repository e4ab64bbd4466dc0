"""Hostile pages on real workers: a page that kills its worker is quarantined after three tries and
never sent again; a page that never ends meets the soft time limit as a recorded failure; on the
embedded broker a killed worker's task comes back after the visibility timeout, and acknowledged
messages leave the broker's table. Both backends: nothing lost, nothing duplicated, nothing pending.
"""

from __future__ import annotations

import gzip
import hashlib
import json
import time
from pathlib import Path

import pytest

from db.models import PageState, RawPage
from db.session import session_scope
from tests.faults.conftest import FaultEnv
from tests.faults.hostile_worker import HANG_MARKER, KILL_MARKER
from tests.faults.services import WorkerGroup, worker_group
from tests.integration.helpers import rasad, wait_until

pytestmark = [pytest.mark.integration, pytest.mark.timeout(240)]

PAGE = (Path(__file__).parents[1] / "fixtures/pages/arabic_article.html").read_bytes()
GOOD_PAGES = 5  # what `rasad crawl --all` stores from the fixture site


def store_marked_page(marker: bytes, slug: str) -> int:
    """Store a raw page carrying `marker` (the crawl stored its source) and queue it, as the crawler does."""
    from workers.dispatch import enqueue_page

    body = PAGE.replace(b"</body>", marker + b"</body>")
    url = f"http://127.0.0.1:1/syriatv/news/{slug}"
    with session_scope() as session:
        page = RawPage(source_id="syriatv", url=url, fetched_url=url, http_status=200,
                       content_type="text/html; charset=utf-8", declared_encoding="utf-8",
                       body_gz=gzip.compress(body), body_sha256=hashlib.sha256(body).hexdigest())  # fmt: skip
        session.add(page)
        session.flush()
        page_id = page.id
    assert enqueue_page(page_id)
    return page_id


def settled(env: FaultEnv, *, pages: int) -> bool:
    """Every page has an outcome (none pending or failed) and the broker holds no message."""
    return env.store.all_processed(pages) and env.broker_messages() == (0, 0)


def test_page_that_kills_its_worker_is_quarantined_and_never_sent_again(fault_env: FaultEnv, tmp_path: Path) -> None:
    env = fault_env
    rasad("crawl", "--all")  # five good pages wait in the queue
    poison = store_marked_page(KILL_MARKER, "poison-page")

    with worker_group(tmp_path / "hostile.log", concurrency=2, hostile=True) as worker:
        # Each try SIGKILLs its pool process; the worker requeues the task (acks_late, reject on worker
        # lost); the fourth delivery finds three tries used up and quarantines the page.
        wait_until(lambda: settled(env, pages=GOOD_PAGES + 1), timeout=120, what="every page settled")
        assert env.store.page(poison) == (PageState.QUARANTINED, 3)
        assert worker.log().count("WorkerLostError") >= 3, worker.log()[-3000:]

        # Never sent again: the sweeper skips it, and a stray message runs nothing.
        rasad("process", "pending")
        from workers.dispatch import enqueue_page

        assert enqueue_page(poison)
        wait_until(lambda: env.broker_messages() == (0, 0), timeout=30, what="the stray message to be consumed")
        time.sleep(1)
        assert env.store.page(poison) == (PageState.QUARANTINED, 3)
        assert worker.alive

    status = json.loads(rasad("status", "--json").stdout)
    assert status["quarantined_pages"] == 1 and status["quarantined"][0]["id"] == poison
    assert "3 tries" in status["quarantined"][0]["last_error"]
    assert str(poison) in rasad("process", "quarantined", "--list").stdout
    pages, pending, articles = env.store.counts()
    assert (pages, pending, articles) == (GOOD_PAGES + 1, 0, GOOD_PAGES)
    assert env.store.duplicates() == 0

    # Released by hand (say, once the fix is deployed: here a worker without the hostile hook).
    assert "released and queued 1" in rasad("process", "quarantined", "--page", str(poison)).stdout
    assert env.store.page(poison) == (PageState.PENDING, 0)
    with worker_group(tmp_path / "fixed.log", concurrency=1) as fixed:
        wait_until(lambda: settled(env, pages=GOOD_PAGES + 1), timeout=60, what="the released page processed")
        assert fixed.alive
    assert env.store.page(poison) == (PageState.PROCESSED, 1)
    assert env.store.counts() == (GOOD_PAGES + 1, 0, GOOD_PAGES + 1)
    assert env.store.duplicates() == 0


def test_embedded_broker_redelivers_a_killed_workers_task_and_deletes_acknowledged_ones(
    embedded_fault_env: FaultEnv, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    env = embedded_fault_env
    visibility_timeout = 6
    monkeypatch.setenv("RASAD_VISIBILITY_TIMEOUT", str(visibility_timeout))
    rasad("crawl", "--all")
    stuck = store_marked_page(HANG_MARKER, "page-that-hangs")

    first = WorkerGroup(tmp_path / "worker-1.log", concurrency=2, hostile=True).start()
    try:
        # The good pages and their alert steps are done and their acknowledged messages gone from the
        # table; the marked page's message is in flight, its try under way.
        wait_until(
            lambda: env.store.counts()[1] == 1 and env.store.page(stuck)[1] == 1 and env.broker_messages() == (0, 1),
            timeout=60,
            what="every other message acknowledged and the marked page's try under way",
        )
        killed_at = time.monotonic()
        first.kill()
    finally:
        first.stop()
    assert env.broker_messages() == (0, 1), "the killed worker's message must stay in flight"

    # No `rasad process pending`, no sweeper: a plain worker gets the message once the timeout passed.
    with worker_group(tmp_path / "worker-2.log", concurrency=1) as second:
        wait_until(lambda: settled(env, pages=GOOD_PAGES + 1), timeout=60, what="the killed worker's page")
        assert time.monotonic() - killed_at >= visibility_timeout - 1
        assert second.alive
    assert env.store.page(stuck) == (PageState.PROCESSED, 2)
    assert env.store.counts() == (GOOD_PAGES + 1, 0, GOOD_PAGES + 1)
    assert env.store.duplicates() == 0


@pytest.mark.timeout(480)
def test_soft_time_limit_is_a_recorded_failure_then_quarantine(
    embedded_fault_env: FaultEnv, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    env = embedded_fault_env
    monkeypatch.setenv("RASAD_TASK_SOFT_TIME_LIMIT", "2")
    monkeypatch.setenv("RASAD_TASK_TIME_LIMIT", "30")
    from tests.conftest import reset_caches

    reset_caches()
    stuck = None
    with worker_group(tmp_path / "hostile.log", concurrency=1, hostile=True) as worker:
        rasad("crawl", "syriatv")
        stuck = store_marked_page(HANG_MARKER, "page-that-hangs")
        for attempt, state in ((1, PageState.FAILED), (2, PageState.FAILED), (3, PageState.QUARANTINED)):
            try:
                wait_until(
                    lambda a=attempt, s=state: env.store.page(stuck) == (s, a), timeout=90, what=f"{state} {attempt}"
                )  # type: ignore[misc]
                wait_until(lambda: env.broker_messages() == (0, 0), timeout=60, what="the message acknowledged")
            except AssertionError as exc:
                seen = f"page {env.store.page(stuck)}; worker log:\n{worker.log()[-4000:]}"
                raise AssertionError(f"{exc}; {seen}") from exc
            if state is PageState.FAILED:
                rasad("process", "pending")  # the sweeper's pass: a failed page has tries left
    with session_scope() as session:
        page = session.get(RawPage, stuck)
        assert page is not None and page.last_error and "SoftTimeLimitExceeded" in page.last_error
    assert env.store.counts()[1] == 0
