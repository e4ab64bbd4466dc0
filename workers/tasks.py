"""Celery tasks: thin, idempotent, retried. The work lives in plain functions tests call directly.

One retry policy, declared once: transient infrastructure errors (database or broker connection
lost, lock timeouts) are retried with jittered exponential backoff; everything else is a bug or
bad input, which the plain functions turn into a recorded state rather than an exception.
"""

from __future__ import annotations

from typing import Any

from workers import alerting, processing
from workers.app import app
from workers.deadline import soft_deadline
from workers.locked_crawl import run_locked_crawl
from workers.processing import TRANSIENT_ERRORS

# Backoff capped at 30 s so a task resumes soon after an outage ends; 40 retries cover ~20 minutes
# of outage, beyond which the page stays pending for the periodic `rasad.requeue_pending`.
RETRYING: dict[str, Any] = {
    "acks_late": True,
    "autoretry_for": TRANSIENT_ERRORS,
    "retry_backoff": 1,
    "retry_backoff_max": 30,
    "retry_jitter": True,
    "max_retries": 40,
}


@app.task(name="rasad.process_page", **RETRYING)
def process_page(raw_page_id: int) -> dict[str, Any]:
    """Clean, extract and store one raw page, then queue its alert step; a quarantined page is skipped."""
    with soft_deadline(app.conf.task_soft_time_limit):
        return processing.process_raw_page(raw_page_id).as_dict()


@app.task(name="rasad.alert_article", **RETRYING)
def alert_article(article_id: int) -> list[str]:
    """Raise the alerts an article deserves (at most once per article and topic)."""
    return alerting.raise_alerts(article_id)


@app.task(name="rasad.requeue_pending", **RETRYING)
def requeue_pending() -> int:
    """Send again every raw page still pending (e.g. stored while the broker was down)."""
    return processing.requeue_pending()


# A crawl has its own limits (a crawl may run for many minutes), not those of a page's processing.
@app.task(name="rasad.crawl_source", acks_late=True, max_retries=0, soft_time_limit=3540, time_limit=3600)
def crawl_source(source_id: str, profile: str = "live") -> str:
    """Crawl one source in a child process, under its lock: an overrunning crawl is recorded as skipped."""
    outcome = run_locked_crawl(source_id, profile)
    if outcome.status == "failed":
        raise RuntimeError(f"crawl of {source_id} failed: {outcome.detail}")
    return outcome.status
