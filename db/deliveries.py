"""Notifications and deliveries in the store: who was told what, and each message's sending state.

`workers.alerting` decides what to send and sends it; every read and write of these rows is here.
A notification records that a subscriber was told of an article (and claims the development keys
it told, so a copy of the same news is not told twice); a delivery is one message to send.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import or_, select
from sqlalchemy.orm import Session

from db.alert_models import Delivery, Notification, NotifiedKey, Subscription

ERROR_CHARS = 2000


@dataclass(frozen=True)
class Attempt:
    """What one try of a delivery sends, and where."""

    channel: str
    target: str
    secret: str | None
    payload: dict[str, Any]


def add_delivery(
    session: Session, subscription_id: int, key: str, kind: str, payload: dict[str, Any], *, attempts: int = 0
) -> Delivery:
    """A new pending delivery (flushed: it has its id)."""
    delivery = Delivery(subscription_id=subscription_id, idempotency_key=key, kind=kind, payload=payload,
                        attempts=attempts)  # fmt: skip
    session.add(delivery)
    session.flush()
    return delivery


def start_attempt(session: Session, delivery_id: int, now: datetime) -> Attempt | str:
    """Lock the delivery and count a try ("sending"); its status instead when there is nothing to send.

    "missing" (the delivery or its subscription is gone), or "delivered"/"failed" (a redelivered task).
    """
    delivery = session.get(Delivery, delivery_id, with_for_update=True)
    if delivery is None:
        return "missing"
    if delivery.status in ("delivered", "failed"):
        return delivery.status
    sub = session.get(Subscription, delivery.subscription_id)
    if sub is None:
        return "missing"
    delivery.attempts += 1
    delivery.status = "sending"
    delivery.last_attempt_at = now
    return Attempt(sub.channel, sub.target, sub.secret, dict(delivery.payload))


def finish_delivery(session: Session, delivery_id: int, status: str, error: str | None, now: datetime) -> None:
    """Record a try's outcome: its status, the error if any, and when it was delivered."""
    delivery = session.get(Delivery, delivery_id)
    if delivery is None:
        return
    delivery.status = status
    if error is not None:
        delivery.last_error = error[:ERROR_CHARS]
    if status == "delivered":
        delivery.delivered_at = now


def stuck_delivery_ids(session: Session, now: datetime, *, pending: timedelta, retrying: timedelta) -> list[int]:
    """Deliveries whose task was lost: pending longer than `pending`, or retrying/sending with no try for `retrying`."""
    return list(
        session.scalars(
            select(Delivery.id).where(
                or_(
                    (Delivery.status == "pending") & (Delivery.created_at < now - pending),
                    Delivery.status.in_(("retrying", "sending")) & (Delivery.last_attempt_at < now - retrying),
                )
            )
        ).all()
    )


def enabled_subscriptions(session: Session, *, digests_only: bool = False) -> Sequence[Subscription]:
    """The enabled subscriptions in id order (only those with a digest schedule when `digests_only`)."""
    query = select(Subscription).where(Subscription.enabled).order_by(Subscription.id)
    if digests_only:
        query = query.where(Subscription.digest_cron.is_not(None))
    return session.scalars(query).all()


def was_told(session: Session, subscription_id: int, article_id: int) -> bool:
    """Whether the subscriber was already notified of this article."""
    told = select(Notification.id).where(
        Notification.subscription_id == subscription_id, Notification.article_id == article_id
    )
    return session.scalar(told) is not None


def claimed_keys(session: Session, subscription_id: int, keys: list[str]) -> set[str]:
    """Which of `keys` the subscriber was already told of."""
    return set(
        session.scalars(
            select(NotifiedKey.key).where(NotifiedKey.subscription_id == subscription_id, NotifiedKey.key.in_(keys))
        ).all()
    )


def first_notification(session: Session, subscription_id: int, story_id: int) -> Notification | None:
    """The subscriber's first notification of the story (what an update replies to)."""
    return session.scalar(
        select(Notification)
        .where(Notification.subscription_id == subscription_id, Notification.story_id == story_id)
        .order_by(Notification.id)
        .limit(1)
    )


def add_notification(
    session: Session,
    *,
    subscription_id: int,
    story_id: int,
    article_id: int,
    kind: str,
    parent_id: int | None,
    payload: dict[str, Any],
    keys: list[str],
) -> Notification:
    """Record a notification and claim `keys` for it (flushed: it has its id)."""
    notification = Notification(
        subscription_id=subscription_id, story_id=story_id, article_id=article_id, kind=kind,
        parent_id=parent_id, payload=payload,
    )  # fmt: skip
    session.add(notification)
    session.flush()
    for key in dict.fromkeys(keys):
        session.add(NotifiedKey(subscription_id=subscription_id, key=key, notification_id=notification.id))
    return notification


def waiting_notifications(session: Session, subscription_id: int) -> Sequence[Notification]:
    """The subscriber's notifications not yet sent in a digest, oldest first."""
    return session.scalars(
        select(Notification)
        .where(Notification.subscription_id == subscription_id, Notification.delivery_id.is_(None))
        .order_by(Notification.id)
    ).all()
