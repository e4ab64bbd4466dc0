"""PostgreSQL unreachable for ~20 s (a proxy we cut): tasks retry with backoff and succeed once it is back,
and the crawler's item pipeline keeps the pages it fetched meanwhile (and says so in its log)."""

from __future__ import annotations

import os
import re
import subprocess
import sys
import time
from pathlib import Path

import pytest
from sqlalchemy import func, select
from sqlalchemy.engine import make_url

from db.models import CrawlRun, RawPage
from tests.faults.conftest import FaultEnv
from tests.faults.proxy import running_proxy
from tests.faults.services import worker_group
from tests.integration.helpers import rasad, wait_until

pytestmark = [pytest.mark.integration, pytest.mark.timeout(150)]

OUTAGE_SECONDS = 18


def slow_sources(path: Path, site: str) -> None:
    """An outlet whose article pages take 3 s: they arrive while the database is away."""
    path.write_text(
        f"""sources:
  - id: slowpoke
    name: Slow articles
    base_url: {site}/_faults/
    listing_pages: ["links/_faults/slow/3/a,_faults/slow/3/b,_faults/slow/3/c"]
    article_pattern: '^slow/'
""",
        encoding="utf-8",
    )


def test_database_outage_tasks_retry_and_pipeline_keeps_pages(
    private_redis_env: FaultEnv, fixture_site: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    env = private_redis_env
    direct = make_url(env.database_url)
    with running_proxy((direct.host or "127.0.0.1", direct.port or 5432)) as proxy:
        monkeypatch.setenv("DATABASE_URL", direct.set(port=proxy.port).render_as_string(hide_password=False))
        rasad("crawl", "--all")  # five fixture articles queued, no worker yet
        assert env.store.counts()[:2] == (5, 5)

        sources = tmp_path / "slow.yaml"
        slow_sources(sources, fixture_site)
        crawl_env = {**os.environ, "RASAD_SOURCES_FILE": str(sources)}
        crawl_log = (tmp_path / "crawl.log").open("w+")
        crawl = subprocess.Popen(
            [sys.executable, "-m", "rasad", "crawl", "slowpoke", "--profile", "live"],
            env=crawl_env, stdout=crawl_log, stderr=subprocess.STDOUT, text=True,
        )  # fmt: skip
        try:
            wait_until(lambda: _runs(env, "slowpoke") == 1, timeout=20, what="the slow crawl to open its run")
            proxy.cut()
            cut_at = time.monotonic()
            with worker_group(tmp_path / "worker.log", concurrency=2) as worker:
                # The worker takes the five tasks and fails to reach the database; they retry with backoff.
                wait_until(lambda: "Retry in" in worker.log(), timeout=20, what="a task retry in the worker log")
                time.sleep(max(0.0, OUTAGE_SECONDS - (time.monotonic() - cut_at)))
                assert env.store.counts()[2] == 0, "nothing can be stored while the database is away"
                proxy.resume()
                # A task whose backoff came due succeeds (the retry path itself works)...
                wait_until(lambda: _retried_then_succeeded(worker.log()), timeout=30, what="a retried task to succeed")
                assert crawl.wait(timeout=40) == 0
                # ...but full-jitter backoff may have put others up to two minutes out: the sweeper
                # (`rasad process pending`, also a beat entry) brings them forward; processing is idempotent.
                rasad("process", "pending")
                wait_until(lambda: env.store.all_processed(8), timeout=30, what="every page stored and processed")
                assert worker.alive
        finally:
            if crawl.poll() is None:
                crawl.kill()
                crawl.wait()
            crawl_log.seek(0)
            crawl_output = crawl_log.read()
            crawl_log.close()

    assert "database unavailable" in crawl_output and "retrying page" in crawl_output, crawl_output
    assert "page not stored" not in crawl_output
    pages, pending, articles = env.store.counts()
    assert (pages, pending) == (8, 0)
    assert articles >= 5 and env.store.duplicates() == 0
    with env.store.engine.connect() as conn:
        slow_urls = set(conn.scalars(select(RawPage.url).where(RawPage.source_id == "slowpoke")))
    assert {u.rsplit("/", 1)[-1] for u in slow_urls} == {"a", "b", "c"}


def _runs(env: FaultEnv, source_id: str) -> int:
    with env.store.engine.connect() as conn:
        return conn.scalar(select(func.count()).select_from(CrawlRun).where(CrawlRun.source_id == source_id)) or 0


def _retried_then_succeeded(log: str) -> bool:
    """True when some task id logged `retry:` and later `succeeded`."""
    retried = set(re.findall(r"\[([0-9a-f-]{36})\] retry:", log))
    succeeded = set(re.findall(r"\[([0-9a-f-]{36})\] succeeded", log))
    return bool(retried & succeeded)
