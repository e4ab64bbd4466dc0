"""Senders: webhook (signed JSON), e-mail over SMTP (text + right-to-left HTML), any Apprise URL.

Every connection a sender opens goes through one guard (`rasad.alerts.egress`): global addresses
only, checked as the socket connects, unless RASAD_WEBHOOK_ALLOW_PRIVATE; no sender follows a
redirect. The operator's own SMTP relay (RASAD_SMTP_HOST) is configuration, not a subscriber's
choice, and is not guarded: it is often local.

Each sender raises `TransientDeliveryError` for what a retry may fix (connection refused,
timeout, 5xx, 429) and `PermanentDeliveryError` for what it will not (a 4xx refusal, a bad
address); the delivery task retries the first with backoff and records the second.
"""

from __future__ import annotations

import json
import logging
import re
import smtplib
from dataclasses import dataclass
from email.message import EmailMessage
from email.utils import formatdate
from typing import Any

import httpx

from rasad.alerts import messages
from rasad.alerts.apprise_compat import quiet_apprise
from rasad.alerts.egress import guarded_connections
from rasad.alerts.signing import IDEMPOTENCY_HEADER, SIGNATURE_HEADER, sign
from rasad.alerts.targets import InvalidTarget, apprise_plugin, check_apprise_hosts, validate_webhook_url
from rasad.settings import AlertSettings

CHANNELS = ("webhook", "email", "apprise")
# Statuses a retry can fix: timeout, conflict, too early, rate limited.
_RETRYABLE_4XX = {408, 409, 425, 429}


class TransientDeliveryError(Exception):
    """The channel could not take the message now; retry later."""


class PermanentDeliveryError(Exception):
    """The channel refused the message for good."""


@dataclass(frozen=True)
class Target:
    """Where one subscription's messages go."""

    channel: str
    address: str  # URL or e-mail address
    secret: str | None = None


def send(target: Target, payload: dict[str, Any], settings: AlertSettings) -> str:
    """Send one message; return a short receipt (e.g. 'HTTP 200'). Raises a delivery error."""
    if target.channel == "webhook":
        return send_webhook(target, payload, settings)
    if target.channel == "email":
        return send_email(target, payload, settings)
    if target.channel == "apprise":
        return send_apprise(target, payload, settings)
    raise PermanentDeliveryError(f"unknown channel {target.channel!r}")


def send_webhook(target: Target, payload: dict[str, Any], settings: AlertSettings) -> str:
    """POST the alert as JSON, signed with HMAC-SHA256, with the idempotency key in a header and the body."""
    try:
        # Checked again at send time: the host may resolve elsewhere than when the subscription was added.
        validate_webhook_url(target.address, allow_private=settings.webhook_allow_private)
    except InvalidTarget as exc:
        raise PermanentDeliveryError(str(exc)) from exc
    body = json.dumps(messages.webhook_body(payload), ensure_ascii=False, sort_keys=True).encode("utf-8")
    headers = {
        "Content-Type": "application/json; charset=utf-8",
        "User-Agent": "Rasad-Alerts/1",
        IDEMPOTENCY_HEADER: str(payload.get("idempotency_key", "")),
        "X-Rasad-Event": f"alert.{payload.get('kind', 'new')}",
    }
    if target.secret:
        headers[SIGNATURE_HEADER] = sign(target.secret, body)
    with guarded_connections(allow_private=settings.webhook_allow_private) as guard:
        try:
            response = httpx.post(
                target.address, content=body, headers=headers, timeout=settings.delivery_timeout, follow_redirects=False
            )
        except httpx.HTTPError as exc:
            if guard.refused:  # the host resolved to a forbidden address after the check above
                raise PermanentDeliveryError(guard.refused[-1]) from exc
            raise TransientDeliveryError(f"{type(exc).__name__}: {exc}") from exc
    status = response.status_code
    if 200 <= status < 300:
        return f"HTTP {status}"
    reason = f"HTTP {status}: {response.text[:200].strip()}"
    if status >= 500 or status in _RETRYABLE_4XX:
        raise TransientDeliveryError(reason)
    raise PermanentDeliveryError(reason)


def email_message(address: str, payload: dict[str, Any], sender: str) -> EmailMessage:
    """A multipart/alternative e-mail: plain text and HTML (`<div dir="rtl" lang="ar">`)."""
    message = EmailMessage()
    message["Subject"] = messages.subject(payload)
    message["From"] = sender
    message["To"] = address
    message["Date"] = formatdate(localtime=False)
    key = str(payload.get("idempotency_key", ""))
    message["Message-ID"] = _message_id(key)
    message["X-Rasad-Idempotency-Key"] = key
    if payload.get("in_reply_to"):
        # Updates thread under the story's first alert in mail clients.
        message["In-Reply-To"] = _message_id(str(payload["in_reply_to"]))
        message["References"] = _message_id(str(payload["in_reply_to"]))
    message.set_content(messages.text_body(payload))
    message.add_alternative(messages.html_body(payload), subtype="html")
    return message


def _message_id(key: str) -> str:
    return f"<{re.sub(r'[^A-Za-z0-9.-]', '.', key)}@rasad>"


def send_email(target: Target, payload: dict[str, Any], settings: AlertSettings) -> str:
    """Send the alert over SMTP (SMTPS on port 465, STARTTLS when the server offers it)."""
    message = email_message(target.address, payload, settings.smtp_from)
    smtp_class = smtplib.SMTP_SSL if settings.smtp_port == 465 else smtplib.SMTP
    try:
        with smtp_class(settings.smtp_host, settings.smtp_port, timeout=settings.delivery_timeout) as smtp:
            smtp.ehlo()
            if smtp_class is smtplib.SMTP and smtp.has_extn("starttls"):
                smtp.starttls()
                smtp.ehlo()
            if settings.smtp_user:
                smtp.login(settings.smtp_user, settings.smtp_password or "")
            refused = smtp.send_message(message)
    except smtplib.SMTPRecipientsRefused as exc:
        raise PermanentDeliveryError(f"SMTP refused recipient: {exc.recipients}") from exc
    except smtplib.SMTPResponseException as exc:
        reason = f"SMTP {exc.smtp_code}: {exc.smtp_error!r}"
        if exc.smtp_code >= 500:
            raise PermanentDeliveryError(reason) from exc
        raise TransientDeliveryError(reason) from exc
    except (smtplib.SMTPException, OSError) as exc:
        raise TransientDeliveryError(f"SMTP {type(exc).__name__}: {exc}") from exc
    if refused:
        raise PermanentDeliveryError(f"SMTP refused recipient: {refused}")
    return f"SMTP {settings.smtp_host}:{settings.smtp_port}"


def send_apprise(target: Target, payload: dict[str, Any], settings: AlertSettings) -> str:
    """Send the alert through Apprise (Telegram, Slack, Discord, Matrix, ...), guarded, without redirects."""

    allow_private = settings.webhook_allow_private
    try:
        # Checked again at send time: the host may resolve elsewhere than when the subscription was added.
        plugin = apprise_plugin(target.address)
        check_apprise_hosts(target.address, plugin, allow_private=allow_private)
    except InvalidTarget as exc:
        raise PermanentDeliveryError(str(exc)) from exc
    plugin.redirects = False  # whatever the URL's `redirect=` says
    with quiet_apprise() as apprise:
        # Sequential: the guard follows the context into Apprise's own threads, but one call needs none.
        notifier = apprise.Apprise(asset=apprise.AppriseAsset(async_mode=False))
        notifier.add(plugin)
        guarded = guarded_connections(allow_private=allow_private)
        with guarded as guard, apprise.LogCapture(level=logging.WARNING) as log:
            ok = notifier.notify(
                title=messages.subject(payload), body=messages.text_body(payload), body_format=apprise.NotifyFormat.TEXT
            )
            details = log.getvalue().strip()
    if ok:
        return "Apprise OK"
    if guard.refused:
        raise PermanentDeliveryError(guard.refused[-1])
    raise TransientDeliveryError(f"Apprise could not notify: {details.splitlines()[-1] if details else 'no detail'}")
