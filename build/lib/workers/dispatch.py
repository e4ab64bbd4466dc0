"""Sending work to the queue, tolerant of a broker outage (the database keeps the truth)."""

from __future__ import annotations

import logging

logger = logging.getLogger(__name__)

RETRY_POLICY = {"max_retries": 3, "interval_start": 0.5}


def enqueue_page(page_id: int) -> bool:
    """Queue processing of a stored raw page; on a broker error log it and return False.

    The page stays `pending` in the database, and `rasad process pending` (or the periodic
    `rasad.requeue_pending` task) sends it again, so nothing is lost.
    """
    from workers.app import app

    try:
        # By name: the crawler need not import the processing chain (cleaning, extraction) to send work.
        app.send_task("rasad.process_page", args=[page_id], retry=True, retry_policy=RETRY_POLICY)
    except Exception as exc:  # kombu raises transport-specific errors
        logger.warning("raw page %s stored but not queued (%s); it stays pending", page_id, exc)
        return False
    return True


def enqueue_alert(article_id: int) -> bool:
    """Queue the alert step for an article; on a broker error log it and return False."""
    from workers.app import app

    try:
        app.send_task("rasad.alert_article", args=[article_id], retry=True, retry_policy=RETRY_POLICY)
    except Exception as exc:
        logger.warning("article %s stored but its alert not queued (%s)", article_id, exc)
        return False
    return True
