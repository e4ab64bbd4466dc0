"""Celery tasks of the alert stage: one delivery per task, digests and the delivery sweeper.

One task per delivery means a channel that is down only delays its own messages: the pipeline
and other subscribers' channels go on. Retries use exponential backoff with jitter, capped at
five minutes, long enough to outlast a receiver that is down for an hour.
"""

from __future__ import annotations

from celery import Task

from rasad.alerts.channels import TransientDeliveryError
from workers import alerting
from workers.app import app
from workers.tasks import RETRYING, TRANSIENT_ERRORS

DELIVERY_RETRIES = 20  # 2+4+…+256 s, then every ≤300 s: about an hour before giving up


@app.task(
    name="rasad.deliver_alert",
    bind=True,
    acks_late=True,
    autoretry_for=(TransientDeliveryError, *TRANSIENT_ERRORS),
    retry_backoff=2,
    retry_backoff_max=300,
    retry_jitter=True,
    max_retries=DELIVERY_RETRIES,
)
def deliver_alert(self: Task, delivery_id: int) -> str:
    """Send one alert delivery; retried with backoff while the channel is unreachable."""
    return alerting.deliver(delivery_id, final_attempt=self.request.retries >= DELIVERY_RETRIES)


@app.task(name="rasad.send_due_digests", **RETRYING)
def send_due_digests() -> list[int]:
    """Bundle and queue the digests whose cron slot has come."""
    return alerting.send_due_digests()


@app.task(name="rasad.requeue_deliveries", **RETRYING)
def requeue_deliveries() -> int:
    """Queue again deliveries whose task was lost (e.g. the broker was down when they were created)."""
    return alerting.requeue_stuck_deliveries()
