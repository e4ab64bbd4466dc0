"""Alerts as plain functions: subscriptions, fan-out of an article to subscribers, delivery, digests.

Celery tasks (`workers.alert_tasks`) and the CLI (`rasad alerts ...`) only call these.
"""

from __future__ import annotations

import logging
import re
import uuid
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

from sqlalchemy import or_, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from db.alert_models import Delivery, Notification, NotifiedKey, Story, Subscription
from db.alert_rows import record_alerts
from db.models import Article, SourceRow
from db.session import on_commit, session_scope
from db.stories import alert_item, alert_keys, article_facts, assign_story
from rasad.alerts.channels import CHANNELS, PermanentDeliveryError, Target, TransientDeliveryError, send
from rasad.alerts.digest import is_due, next_slot, validate_schedule
from rasad.alerts.messages import iso
from rasad.alerts.rules import ArticleFacts, Rule, matches, parse_rule
from rasad.alerts.signing import new_secret
from rasad.alerts.targets import redact_target, validate_apprise_url, validate_email_address, validate_webhook_url
from rasad.i18n import DEFAULT_LANGUAGE, check_language, describe
from rasad.settings import get_settings
from rasad.sources import load_sources
from workers.dispatch import enqueue_delivery

logger = logging.getLogger("rasad.alerts")

_NAME = re.compile(r"^[A-Za-z0-9][A-Za-z0-9 _.@-]{0,99}$")
# A delivery still `pending` this long after it was created lost its task (broker down when queued).
STUCK_PENDING = timedelta(minutes=2)
# A retry is at most ~5 minutes away (the task's backoff cap); longer means its message was lost.
STUCK_RETRYING = timedelta(minutes=15)


class InvalidSubscription(ValueError):
    """A subscription that cannot be stored; the message says why, in one line."""


@dataclass(frozen=True)
class SubscriptionView:
    """A subscription as listings show it."""

    id: int
    name: str
    channel: str
    target: str
    rule: str
    mode: str
    next_digest: str | None
    enabled: bool
    language: str = DEFAULT_LANGUAGE


@dataclass(frozen=True)
class DeliveryView:
    """One line of the delivery log."""

    id: int
    subscription: str
    kind: str
    status: str
    attempts: int
    last_error: str | None
    title: str | None
    idempotency_key: str
    created_at: str | None
    delivered_at: str | None


def raise_alerts(article_id: int, *, database_url: str | None = None) -> list[str]:
    """The pipeline's alert step: record the article's alert per topic, notify matching subscribers.

    Returns the topics newly recorded.
    """
    raised = record_alerts(article_id, database_url=database_url)
    for attempt in range(3):
        try:
            fan_out(article_id, database_url=database_url)
            break
        except IntegrityError:
            # A concurrent task for the same article claimed the same keys first; fan_out is
            # idempotent, so a fresh run sees those claims and adds only what is still missing.
            if attempt == 2:
                raise
    return raised


def _now() -> datetime:
    return datetime.now(UTC)


def known_outlets(session: Session) -> set[str]:
    """Source ids an outlet filter may name: the sources file and the `sources` table."""
    ids = set(session.scalars(select(SourceRow.id)).all())
    ids |= {s.id for s in load_sources(get_settings().sources_file)}
    return ids


def validate_target(channel: str, target: str) -> str:
    """The normalized target of a channel, or a one-line `InvalidTarget`/`InvalidSubscription`."""
    if channel == "webhook":
        return validate_webhook_url(target, allow_private=get_settings().alerts.webhook_allow_private)
    if channel == "email":
        return validate_email_address(target)
    if channel == "apprise":
        return validate_apprise_url(target, allow_private=get_settings().alerts.webhook_allow_private)
    raise InvalidSubscription(f"channel must be one of {', '.join(CHANNELS)}, got {channel!r}")


def add_subscription(
    name: str,
    rule: dict[str, Any],
    *,
    channel: str,
    target: str,
    secret: str | None = None,
    digest_cron: str | None = None,
    digest_tz: str | None = None,
    language: str = DEFAULT_LANGUAGE,
    database_url: str | None = None,
) -> tuple[SubscriptionView, str | None]:
    """Validate and store a subscription; return it, full target shown only here, and its webhook secret."""
    try:
        language = check_language(language)
    except ValueError as exc:
        raise InvalidSubscription(str(exc)) from exc
    if not _NAME.match(name):
        raise InvalidSubscription(f"invalid name {name!r}: letters, digits, space, _ . @ - (up to 100)")
    target = validate_target(channel, target)
    if secret is not None and channel != "webhook":
        raise InvalidSubscription("--secret applies to webhooks only")
    if channel == "webhook":
        if secret is not None and len(secret) < 16:
            raise InvalidSubscription("webhook secret must be at least 16 characters")
        secret = secret or new_secret()
    if digest_tz and not digest_cron:
        raise InvalidSubscription("--tz applies to digests only; add --digest 'CRON'")
    if digest_cron is not None:  # an empty schedule is an error, not "instant"
        digest_cron, digest_tz = validate_schedule(digest_cron, digest_tz or "UTC")
    with session_scope(database_url) as session:
        parsed = parse_rule(rule, known_outlets=known_outlets(session))
        if session.scalar(select(Subscription.id).where(Subscription.name == name)) is not None:
            raise InvalidSubscription(f"a subscription named {name!r} already exists")
        subscription = Subscription(
            name=name,
            rule=parsed.model_dump(mode="json"),
            channel=channel,
            target=target,
            secret=secret,
            digest_cron=digest_cron,
            digest_tz=digest_tz,
            language=language,
        )
        session.add(subscription)
        session.flush()
        return _view(subscription, redact=False), secret


def _view(sub: Subscription, *, redact: bool = True) -> SubscriptionView:
    """The subscription as reads show it: its target redacted, except in the answer that creates it."""
    rule = Rule.model_validate(sub.rule)
    next_digest = None
    if sub.digest_cron:
        next_digest = iso(next_slot(sub.digest_cron, sub.digest_tz or "UTC", _now()))
    mode = f"digest '{sub.digest_cron}' {sub.digest_tz}" if sub.digest_cron else "instant"
    target = redact_target(sub.channel, sub.target) if redact else sub.target
    return SubscriptionView(
        sub.id, sub.name, sub.channel, target, rule.describe(), mode, next_digest, sub.enabled, sub.language
    )


def list_subscriptions(*, database_url: str | None = None) -> list[SubscriptionView]:
    """Every subscription, oldest first."""
    with session_scope(database_url) as session:
        return [_view(s) for s in session.scalars(select(Subscription).order_by(Subscription.id)).all()]


def remove_subscription(name: str, *, database_url: str | None = None) -> None:
    """Delete a subscription (and its notification history); unknown names are an error."""
    with session_scope(database_url) as session:
        subscription = _by_name(session, name)
        session.delete(subscription)


def _by_name(session: Session, name: str) -> Subscription:
    subscription = session.scalar(select(Subscription).where(Subscription.name == name))
    if subscription is None:
        known = ", ".join(session.scalars(select(Subscription.name).order_by(Subscription.name)).all()) or "none"
        raise InvalidSubscription(f"no subscription named {name!r} (known: {known})")
    return subscription


TEST_DEVELOPMENT = {
    "kind": "meeting", "level": "foreign_ministers", "countries": ["SY", "TR"], "persons": [], "status": "planned",
}  # fmt: skip


def send_test_alert(name: str, *, database_url: str | None = None) -> str:
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
    with session_scope(database_url) as session:
        sub = _by_name(session, name)
        payload["language"] = sub.language
        payload["developments"] = [describe(TEST_DEVELOPMENT, sub.language)]
        target = Target(sub.channel, sub.target, sub.secret)
        delivery = Delivery(subscription_id=sub.id, idempotency_key=key, kind="test", payload=payload, attempts=1)
        session.add(delivery)
        session.flush()
        delivery_id = delivery.id
    try:
        receipt = send(target, payload, get_settings().alerts)
    except (PermanentDeliveryError, TransientDeliveryError) as exc:
        _finish(delivery_id, "failed", str(exc), database_url)
        raise InvalidSubscription(f"test alert to {name!r} failed: {exc}") from exc
    _finish(delivery_id, "delivered", None, database_url)
    return receipt


def fan_out(article_id: int, *, database_url: str | None = None) -> list[int]:
    """Place the article in its story, notify each matching subscriber of what is new; return delivery ids.

    Instant subscribers get a delivery each (sent by `rasad.deliver_alert` after commit); digest
    subscribers' notifications wait for their next slot.
    """
    with session_scope(database_url) as session:
        article = session.get(Article, article_id)
        if article is None or not article.relevant:
            return []
        story = assign_story(session, article)
        keys = alert_keys(session, article, story)
        subscriptions = session.scalars(
            select(Subscription).where(Subscription.enabled).order_by(Subscription.id)
        ).all()
        if not keys or not subscriptions:
            return []
        facts = article_facts(session, article)
        deliveries = [d for sub in subscriptions if (d := _notify(session, sub, article, story, keys, facts))]
        session.flush()
        ids = [d.id for d in deliveries]
        if ids:
            on_commit(session, lambda: enqueue_deliveries(ids))
    return ids


def _notify(
    session: Session, sub: Subscription, article: Article, story: Story, keys: list[str], facts: ArticleFacts
) -> Delivery | None:
    if not matches(Rule.model_validate(sub.rule), facts):
        return None
    told = select(Notification.id).where(Notification.subscription_id == sub.id, Notification.article_id == article.id)
    if session.scalar(told) is not None:
        # Reprocessing an article re-creates its developments under new ids: it was already told, once.
        return None
    claimed = set(
        session.scalars(
            select(NotifiedKey.key).where(
                NotifiedKey.subscription_id == sub.id, NotifiedKey.key.in_([*keys, f"story:{story.id}"])
            )
        ).all()
    )
    fresh = [k for k in keys if k not in claimed]
    if not fresh:
        return None
    first = session.scalar(
        select(Notification)
        .where(Notification.subscription_id == sub.id, Notification.story_id == story.id)
        .order_by(Notification.id)
        .limit(1)
    )
    kind = "update" if first is not None else "new"
    key = f"rasad-{sub.id}-{fresh[0]}".replace(":", "-")[:200]
    item = alert_item(
        session, article, story, fresh, kind=kind, in_reply_to=first.payload.get("idempotency_key") if first else None,
        language=sub.language,
    )  # fmt: skip
    item["idempotency_key"] = key
    notification = Notification(
        subscription_id=sub.id, story_id=story.id, article_id=article.id, kind=kind,
        parent_id=first.id if first else None, payload=item,
    )  # fmt: skip
    session.add(notification)
    session.flush()
    # The story itself counts as told once its first alert is out: an undeveloped copy adds nothing.
    story_key = f"story:{story.id}"
    for k in dict.fromkeys([*fresh, *([story_key] if story_key not in claimed else [])]):
        session.add(NotifiedKey(subscription_id=sub.id, key=k, notification_id=notification.id))
    if sub.digest_cron:
        return None
    delivery = Delivery(subscription_id=sub.id, idempotency_key=key, kind=kind, payload=item)
    session.add(delivery)
    session.flush()
    notification.delivery_id = delivery.id
    return delivery


def enqueue_deliveries(delivery_ids: list[int]) -> int:
    """Queue `rasad.deliver_alert` for each delivery; a broker error leaves it pending for the sweeper."""
    return sum(1 for delivery_id in delivery_ids if enqueue_delivery(delivery_id))


def deliver(delivery_id: int, *, final_attempt: bool = False, database_url: str | None = None) -> str:
    """Send one delivery; return its status. Raises `TransientDeliveryError` when a retry should follow.

    Already delivered (a redelivered task) is a no-op. On the final attempt a transient failure
    is recorded as `failed` instead of raised.
    """
    with session_scope(database_url) as session:
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
        delivery.last_attempt_at = _now()
        target = Target(sub.channel, sub.target, sub.secret)
        payload = dict(delivery.payload)
    try:
        receipt = send(target, payload, get_settings().alerts)
    except PermanentDeliveryError as exc:
        _finish(delivery_id, "failed", str(exc), database_url)
        logger.warning("delivery %s failed for good: %s", delivery_id, exc)
        return "failed"
    except Exception as exc:  # transient, or unexpected: both deserve another try
        status = "failed" if final_attempt else "retrying"
        _finish(delivery_id, status, f"{type(exc).__name__}: {exc}" if not isinstance(exc, TransientDeliveryError)
                else str(exc), database_url)  # fmt: skip
        if final_attempt:
            return status
        raise TransientDeliveryError(str(exc)) from exc
    _finish(delivery_id, "delivered", None, database_url)
    logger.info("delivery %s delivered (%s)", delivery_id, receipt)
    return "delivered"


def _finish(delivery_id: int, status: str, error: str | None, database_url: str | None) -> None:
    with session_scope(database_url) as session:
        delivery = session.get(Delivery, delivery_id)
        if delivery is None:
            return
        delivery.status = status
        if error is not None:
            delivery.last_error = error[:2000]
        if status == "delivered":
            delivery.delivered_at = _now()


def send_due_digests(*, now: datetime | None = None, database_url: str | None = None) -> list[int]:
    """Bundle each digest subscriber's waiting notifications whose slot has come; return delivery ids."""
    now = now or _now()
    with session_scope(database_url) as session:
        subs = session.scalars(
            select(Subscription).where(Subscription.enabled, Subscription.digest_cron.is_not(None))
        ).all()
        deliveries = []
        for sub in subs:
            slot = is_due(
                sub.digest_cron or "", sub.digest_tz or "UTC",
                last_sent=sub.last_digest_at, created=sub.created_at, now=now,
            )  # fmt: skip
            if slot is None:
                continue
            sub.last_digest_at = slot
            waiting = session.scalars(
                select(Notification)
                .where(Notification.subscription_id == sub.id, Notification.delivery_id.is_(None))
                .order_by(Notification.id)
            ).all()
            if not waiting:
                continue
            key = f"rasad-{sub.id}-digest-{slot:%Y%m%dT%H%M}Z"
            payload = {"kind": "digest", "idempotency_key": key, "slot": iso(slot), "subscription": sub.name,
                       "language": sub.language, "items": [n.payload for n in waiting]}  # fmt: skip
            delivery = Delivery(subscription_id=sub.id, idempotency_key=key, kind="digest", payload=payload)
            session.add(delivery)
            session.flush()
            for notification in waiting:
                notification.delivery_id = delivery.id
            deliveries.append(delivery.id)
        if deliveries:
            on_commit(session, lambda: enqueue_deliveries(deliveries))
    return deliveries


def requeue_stuck_deliveries(*, now: datetime | None = None, database_url: str | None = None) -> int:
    """Queue again deliveries whose task was lost (broker down when queued, or a lost retry)."""
    now = now or _now()
    with session_scope(database_url) as session:
        ids = list(
            session.scalars(
                select(Delivery.id).where(
                    or_(
                        (Delivery.status == "pending") & (Delivery.created_at < now - STUCK_PENDING),
                        Delivery.status.in_(("retrying", "sending"))
                        & (Delivery.last_attempt_at < now - STUCK_RETRYING),
                    )
                )
            ).all()
        )
    return enqueue_deliveries(ids) if ids else 0


def delivery_log(
    *, name: str | None = None, failures_only: bool = False, limit: int = 50, database_url: str | None = None
) -> list[DeliveryView]:
    """The latest deliveries, newest first (only failed and retrying ones with `failures_only`)."""
    with session_scope(database_url) as session:
        query = select(Delivery, Subscription.name).join(Subscription, Subscription.id == Delivery.subscription_id)
        if name:
            query = query.where(Subscription.id == _by_name(session, name).id)
        if failures_only:
            query = query.where(Delivery.status.in_(("failed", "retrying")))
        rows = session.execute(query.order_by(Delivery.id.desc()).limit(limit)).all()
        return [
            DeliveryView(
                id=d.id,
                subscription=sub_name,
                kind=d.kind,
                status=d.status,
                attempts=d.attempts,
                last_error=d.last_error,
                title=_title(d.payload),
                idempotency_key=d.idempotency_key,
                created_at=iso(d.created_at),
                delivered_at=iso(d.delivered_at),
            )
            for d, sub_name in rows
        ]


def _title(payload: dict[str, Any]) -> str | None:
    if payload.get("kind") == "digest":
        return f"digest of {len(payload.get('items') or [])} alert(s)"
    return payload.get("title")
