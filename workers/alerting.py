"""Alerts as plain functions: subscriptions, fan-out of an article to subscribers, delivery, digests.

Celery tasks (`workers.alert_tasks`) and the CLI (`rasad alerts ...`) only call these.
"""

from __future__ import annotations

import logging
import uuid
from datetime import UTC, datetime, timedelta
from typing import Any

from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from db import deliveries
from db.alert_models import Delivery, Story, Subscription
from db.alert_rows import record_alert, relevant_article, topics_to_alert
from db.models import Article
from db.session import on_commit, session_scope
from db.stories import alert_item, alert_keys, article_facts, assign_story
from db.subscriptions import InvalidSubscription, subscription_by_name
from rasad.alerts.channels import PermanentDeliveryError, Target, TransientDeliveryError, send
from rasad.alerts.digest import is_due
from rasad.alerts.messages import iso
from rasad.alerts.rules import ArticleFacts, Rule, matches
from rasad.i18n import describe
from rasad.settings import get_settings
from workers.dispatch import enqueue_delivery

logger = logging.getLogger("rasad.alerts")

# A delivery still `pending` this long after it was created lost its task (broker down when queued).
STUCK_PENDING = timedelta(minutes=2)
# A retry is at most ~5 minutes away (the task's backoff cap); longer means its message was lost.
STUCK_RETRYING = timedelta(minutes=15)


def raise_alerts(article_id: int) -> list[str]:
    """The pipeline's alert step: record the article's alert per topic, notify matching subscribers.

    Returns the topics newly recorded.
    """
    raised = _record_alerts(article_id)
    for attempt in range(3):
        try:
            fan_out(article_id)
            break
        except IntegrityError:
            # A concurrent task for the same article claimed the same keys first; fan_out is
            # idempotent, so a fresh run sees those claims and adds only what is still missing.
            if attempt == 2:
                raise
    return raised


def _record_alerts(article_id: int) -> list[str]:
    """One alert row per topic, each in its own transaction: a redelivered task finds its rows and skips them."""
    with session_scope() as session:
        topics = topics_to_alert(session, article_id)
    raised: list[str] = []
    for topic in topics:
        try:
            with session_scope() as session:
                summary = record_alert(session, article_id, topic)
        except IntegrityError:
            continue  # already recorded: a redelivered task
        if summary is None:
            break  # the article is gone
        logger.warning("ALERT %s: %s", topic, summary)
        raised.append(topic)
    return raised


def _now() -> datetime:
    return datetime.now(UTC)


TEST_DEVELOPMENT = {
    "kind": "meeting", "level": "foreign_ministers", "countries": ["SY", "TR"], "persons": [], "status": "planned",
}  # fmt: skip


def send_test_alert(name: str) -> str:
    """Send a sample alert through the subscription's channel now; return the receipt or raise with the reason."""
    key = f"rasad-test-{uuid.uuid4().hex[:12]}"
    payload: dict[str, Any] = {
        "kind": "test",
        "idempotency_key": key,
        "title": "Rasad test alert — تنبيه تجريبي من رصد",
        "outlet": "Rasad",
        "published_at": iso(_now()),
        "developments": [],
        "changes": [],
        "summary": "هذه رسالة تجريبية من رصد. إذا وصلتك فالقناة تعمل.",
        "url": "https://example.org/rasad-test",
        "sources": [],
        "links": [],
    }
    with session_scope() as session:
        sub = subscription_by_name(session, name)
        payload["language"] = sub.language
        payload["developments"] = [describe(TEST_DEVELOPMENT, sub.language)]
        target = Target(sub.channel, sub.target, sub.secret)
        delivery_id = deliveries.add_delivery(session, sub.id, key, "test", payload, attempts=1).id
    try:
        receipt = send(target, payload, get_settings().alerts)
    except (PermanentDeliveryError, TransientDeliveryError) as exc:
        _finish(delivery_id, "failed", str(exc))
        raise InvalidSubscription(f"test alert to {name!r} failed: {exc}") from exc
    _finish(delivery_id, "delivered", None)
    return receipt


def fan_out(article_id: int) -> list[int]:
    """Place the article in its story, notify each matching subscriber of what is new; return delivery ids.

    Instant subscribers get a delivery each (sent by `rasad.deliver_alert` after commit); digest
    subscribers' notifications wait for their next slot.
    """
    with session_scope() as session:
        article = relevant_article(session, article_id)
        if article is None:
            return []
        story = assign_story(session, article)
        keys = alert_keys(session, article, story)
        subscriptions = deliveries.enabled_subscriptions(session)
        if not keys or not subscriptions:
            return []
        facts = article_facts(session, article)
        sent = [d for sub in subscriptions if (d := _notify(session, sub, article, story, keys, facts))]
        ids = [d.id for d in sent]
        if ids:
            on_commit(session, lambda: enqueue_deliveries(ids))
    return ids


def _notify(
    session: Session, sub: Subscription, article: Article, story: Story, keys: list[str], facts: ArticleFacts
) -> Delivery | None:
    if not matches(Rule.model_validate(sub.rule), facts):
        return None
    if deliveries.was_told(session, sub.id, article.id):
        # Reprocessing an article re-creates its developments under new ids: it was already told, once.
        return None
    story_key = f"story:{story.id}"
    claimed = deliveries.claimed_keys(session, sub.id, [*keys, story_key])
    fresh = [k for k in keys if k not in claimed]
    if not fresh:
        return None
    first = deliveries.first_notification(session, sub.id, story.id)
    kind = "update" if first is not None else "new"
    key = f"rasad-{sub.id}-{fresh[0]}".replace(":", "-")[:200]
    item = alert_item(
        session, article, story, fresh, kind=kind, in_reply_to=first.payload.get("idempotency_key") if first else None,
        language=sub.language,
    )  # fmt: skip
    item["idempotency_key"] = key
    # The story itself counts as told once its first alert is out: an undeveloped copy adds nothing.
    notification = deliveries.add_notification(
        session, subscription_id=sub.id, story_id=story.id, article_id=article.id, kind=kind,
        parent_id=first.id if first else None, payload=item,
        keys=[*fresh, *([story_key] if story_key not in claimed else [])],
    )  # fmt: skip
    if sub.digest_cron:
        return None
    delivery = deliveries.add_delivery(session, sub.id, key, kind, item)
    notification.delivery_id = delivery.id
    return delivery


def enqueue_deliveries(delivery_ids: list[int]) -> int:
    """Queue `rasad.deliver_alert` for each delivery; a broker error leaves it pending for the sweeper."""
    return sum(1 for delivery_id in delivery_ids if enqueue_delivery(delivery_id))


def deliver(delivery_id: int, *, final_attempt: bool = False) -> str:
    """Send one delivery; return its status. Raises `TransientDeliveryError` when a retry should follow.

    Already delivered (a redelivered task) is a no-op. On the final attempt a transient failure
    is recorded as `failed` instead of raised.
    """
    with session_scope() as session:
        attempt = deliveries.start_attempt(session, delivery_id, _now())
    if isinstance(attempt, str):
        return attempt
    try:
        receipt = send(Target(attempt.channel, attempt.target, attempt.secret), attempt.payload, get_settings().alerts)
    except PermanentDeliveryError as exc:
        _finish(delivery_id, "failed", str(exc))
        logger.warning("delivery %s failed for good: %s", delivery_id, exc)
        return "failed"
    except Exception as exc:  # transient, or unexpected: both deserve another try
        status = "failed" if final_attempt else "retrying"
        _finish(delivery_id, status, f"{type(exc).__name__}: {exc}" if not isinstance(exc, TransientDeliveryError)
                else str(exc))  # fmt: skip
        if final_attempt:
            return status
        raise TransientDeliveryError(str(exc)) from exc
    _finish(delivery_id, "delivered", None)
    logger.info("delivery %s delivered (%s)", delivery_id, receipt)
    return "delivered"


def _finish(delivery_id: int, status: str, error: str | None) -> None:
    with session_scope() as session:
        deliveries.finish_delivery(session, delivery_id, status, error, _now())


def send_due_digests(*, now: datetime | None = None) -> list[int]:
    """Bundle each digest subscriber's waiting notifications whose slot has come; return delivery ids."""
    now = now or _now()
    with session_scope() as session:
        sent: list[int] = []
        for sub in deliveries.enabled_subscriptions(session, digests_only=True):
            slot = is_due(
                sub.digest_cron or "", sub.digest_tz or "UTC",
                last_sent=sub.last_digest_at, created=sub.created_at, now=now,
            )  # fmt: skip
            if slot is None:
                continue
            sub.last_digest_at = slot
            waiting = deliveries.waiting_notifications(session, sub.id)
            if not waiting:
                continue
            key = f"rasad-{sub.id}-digest-{slot:%Y%m%dT%H%M}Z"
            payload = {"kind": "digest", "idempotency_key": key, "slot": iso(slot), "subscription": sub.name,
                       "language": sub.language, "items": [n.payload for n in waiting]}  # fmt: skip
            delivery = deliveries.add_delivery(session, sub.id, key, "digest", payload)
            for notification in waiting:
                notification.delivery_id = delivery.id
            sent.append(delivery.id)
        if sent:
            on_commit(session, lambda: enqueue_deliveries(sent))
    return sent


def requeue_stuck_deliveries(*, now: datetime | None = None) -> int:
    """Queue again deliveries whose task was lost (broker down when queued, or a lost retry)."""
    now = now or _now()
    with session_scope() as session:
        ids = deliveries.stuck_delivery_ids(session, now, pending=STUCK_PENDING, retrying=STUCK_RETRYING)
    return enqueue_deliveries(ids) if ids else 0
