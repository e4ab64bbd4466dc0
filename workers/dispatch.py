"""The one module that sends tasks: by name, tolerant of a broker outage (the database keeps the truth).

Callers send after their transaction commits (`db.session.on_commit`), so a worker never sees a
row that is not there yet. Sending by name keeps the sender free of the task's code: the crawler
and the scheduler need not import the processing chain.
"""

from __future__ import annotations

import logging

from workers.app import app

logger = logging.getLogger(__name__)

RETRY_POLICY = {"max_retries": 3, "interval_start": 0.5}


def _send(task: str, args: list[object], what: str, **options: object) -> bool:
    try:
        app.send_task(task, args=args, retry=True, retry_policy=RETRY_POLICY, **options)
    except Exception as exc:  # kombu raises transport-specific errors
        logger.warning("%s not queued (%s); the sweeper will send it again", what, exc)
        return False
    return True


def enqueue_page(page_id: int) -> bool:
    """Queue processing of a stored raw page; on a broker error log it and return False.

    The page stays `pending` in the database, and `rasad process pending` (or the periodic
    `rasad.requeue_pending` task) sends it again, so nothing is lost.
    """
    return _send("rasad.process_page", [page_id], f"raw page {page_id} (stored, stays pending)")


def enqueue_alert(article_id: int) -> bool:
    """Queue the alert step for an article; on a broker error log it and return False."""
    return _send("rasad.alert_article", [article_id], f"alert step of article {article_id}")


def enqueue_delivery(delivery_id: int) -> bool:
    """Queue the sending of one stored delivery; a broker error leaves it pending for the sweeper."""
    return _send("rasad.deliver_alert", [delivery_id], f"delivery {delivery_id}")


def enqueue_crawl(source_id: str, profile: str, *, expires_s: int) -> bool:
    """Queue a crawl of one source; a crawl still waiting after `expires_s` is stale (the next replaces it)."""
    sent = _send("rasad.crawl_source", [source_id, profile], f"crawl of {source_id} [{profile}]", expires=expires_s)
    if sent:
        logger.info("queued crawl of %s [%s]", source_id, profile)
    return sent
