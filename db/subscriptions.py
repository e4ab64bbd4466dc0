"""Alert subscriptions in the store: validated, added, listed, removed; and the delivery log.

The caller owns the session (the API's request session, a CLI command's unit of work).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from db.alert_models import Delivery, Subscription
from db.models import SourceRow
from rasad.alerts.channels import CHANNELS
from rasad.alerts.digest import next_slot, validate_schedule
from rasad.alerts.messages import iso
from rasad.alerts.rules import Rule, parse_rule
from rasad.alerts.signing import new_secret
from rasad.alerts.targets import redact_target, validate_apprise_url, validate_email_address, validate_webhook_url
from rasad.i18n import DEFAULT_LANGUAGE, check_language
from rasad.settings import get_settings
from rasad.sources import load_sources

_NAME = re.compile(r"^[A-Za-z0-9][A-Za-z0-9 _.@-]{0,99}$")


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
    session: Session,
    name: str,
    rule: dict[str, Any],
    *,
    channel: str,
    target: str,
    secret: str | None = None,
    digest_cron: str | None = None,
    digest_tz: str | None = None,
    language: str = DEFAULT_LANGUAGE,
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


def list_subscriptions(session: Session) -> list[SubscriptionView]:
    """Every subscription, oldest first."""
    return [_view(s) for s in session.scalars(select(Subscription).order_by(Subscription.id)).all()]


def remove_subscription(session: Session, name: str) -> None:
    """Delete a subscription (and its notification history); unknown names are an error."""
    session.delete(subscription_by_name(session, name))


def subscription_by_name(session: Session, name: str) -> Subscription:
    """The subscription called `name`, or `InvalidSubscription` listing the known names."""
    subscription = session.scalar(select(Subscription).where(Subscription.name == name))
    if subscription is None:
        known = ", ".join(session.scalars(select(Subscription.name).order_by(Subscription.name)).all()) or "none"
        raise InvalidSubscription(f"no subscription named {name!r} (known: {known})")
    return subscription


def delivery_log(
    session: Session, *, name: str | None = None, failures_only: bool = False, limit: int = 50
) -> list[DeliveryView]:
    """The latest deliveries, newest first (only failed and retrying ones with `failures_only`)."""
    query = select(Delivery, Subscription.name).join(Subscription, Subscription.id == Delivery.subscription_id)
    if name:
        query = query.where(Subscription.id == subscription_by_name(session, name).id)
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


def _now() -> datetime:
    return datetime.now(UTC)
