"""`rasad metrics` serves the Prometheus families after a crawl; `rasad status --json` reports per outlet."""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
import urllib.request
from pathlib import Path

import pytest
import redis

from tests.conftest import free_port
from tests.integration.helpers import rasad, wait_until

pytestmark = pytest.mark.integration

FAMILIES = {
    "rasad_pages_fetched": "counter", "rasad_articles_stored": "counter", "rasad_pages_rejected": "counter",
    "rasad_crawl_failures": "counter", "rasad_raw_pages": "gauge", "rasad_task_retries": "counter",
    "rasad_queue_depth": "gauge",
}  # fmt: skip


def _scrape(url: str) -> str | None:
    try:
        with urllib.request.urlopen(url, timeout=5) as response:
            return response.read().decode()
    except OSError:
        return None


def test_metrics_endpoint_exposes_the_families_after_a_crawl(
    embedded_env: Path, fixture_site: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("RASAD_FIXTURES_URL", fixture_site)
    rasad("crawl", "--all", "--profile", "fixtures")
    port = free_port()
    proc = subprocess.Popen(
        [sys.executable, "-m", "rasad", "metrics", "--port", str(port)],
        env=os.environ.copy(), stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
    )  # fmt: skip
    try:
        url = f"http://127.0.0.1:{port}/metrics"
        wait_until(lambda: _scrape(url) is not None, timeout=30, what="the metrics endpoint")
        text = _scrape(url) or ""
    finally:
        proc.terminate()
        proc.wait(timeout=10)
    for family, kind in FAMILIES.items():
        # Declared even without a sample yet; counters are typed under `_total` by newer prometheus-clients.
        assert re.search(rf"^# TYPE {family}(_total)? {kind}$", text, re.MULTILINE), family
    assert 'rasad_pages_fetched_total{source="orient"}' in text
    assert 'rasad_raw_pages{state="pending"} 5.0' in text  # no worker ran: all five wait
    assert "rasad_queue_depth 5.0" in text


def test_status_json_reports_last_crawl_per_outlet_and_redis_queue_depth(
    production_env: str, fixture_site: str, redis_url: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("RASAD_FIXTURES_URL", fixture_site)
    rasad("crawl", "--all", "--profile", "fixtures")  # no worker: five messages wait on Redis
    client = redis.Redis.from_url(redis_url)
    try:
        status = json.loads(rasad("status", "--json").stdout)
        assert status["queue_depth"] == 5 == client.llen(os.environ["RASAD_QUEUE"])
        assert status["pending_pages"] == 5 and status["failed_pages"] == 0
        by_source = {s["source_id"]: s for s in status["sources"]}
        assert set(by_source) >= {"orient", "arabi21", "alaraby", "syriatv", "syrian-wp"}
        for source_id in ("orient", "arabi21", "alaraby", "syriatv", "syrian-wp"):
            entry = by_source[source_id]
            assert entry["last_status"] in ("ok", "partial") and entry["last_new"] == 1 and entry["last_run_at"]
        # Workers answer pings broker-wide (other queues' workers too), so only the check itself is asserted.
        assert status["workers_checked"] is True
    finally:
        client.delete(os.environ["RASAD_QUEUE"])
        client.close()


def test_status_exits_1_when_the_broker_is_down(embedded_env: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("REDIS_URL", f"redis://127.0.0.1:{free_port()}/0")  # nobody listens there
    done = rasad("status", "--json", check=False, timeout=120)
    assert done.returncode == 1, done.stdout + done.stderr
    assert json.loads(done.stdout)["queue_depth"] is None  # the report is still printed
    assert "the broker is unreachable" in done.stderr and "Traceback" not in done.stderr
    assert rasad("status", check=False, timeout=120).returncode == 1
