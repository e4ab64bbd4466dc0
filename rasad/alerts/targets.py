"""Validate where alerts go (webhook URLs, e-mail addresses, Apprise URLs) and redact them for listings.

Every host a subscriber names must resolve to global addresses only (`check_host`, the rule of
`rasad.alerts.egress`) unless RASAD_WEBHOOK_ALLOW_PRIVATE: a subscription must not become a way
to reach internal services.
"""

from __future__ import annotations

import logging
import socket
from typing import Any
from urllib.parse import SplitResult, parse_qsl, urlsplit

from email_validator import EmailNotValidError, validate_email

from rasad.alerts.apprise_compat import quiet_apprise
from rasad.alerts.egress import ALLOW_HINT, IPAddress, forbidden_reason, outbound_data, parse_address

MASK = "***"


class InvalidTarget(ValueError):
    """A channel target that cannot be used; the message says why, in one line."""


def resolve_host(host: str, port: int | None = None, *, label: str = "webhook") -> list[IPAddress]:
    """Every address `host` resolves to (a literal IP resolves to itself)."""
    try:
        infos = socket.getaddrinfo(host, port, proto=socket.IPPROTO_TCP)
    except (socket.gaierror, UnicodeError) as exc:
        reason = exc.strerror if isinstance(exc, socket.gaierror) else "invalid name"
        raise InvalidTarget(f"{label} host {host!r} does not resolve: {reason}") from exc
    return sorted({parse_address(str(info[4][0])) for info in infos}, key=lambda a: (a.version, int(a)))


def check_host(host: str, port: int | None = None, *, allow_private: bool, label: str = "webhook") -> None:
    """Refuse `host` unless every address it resolves to is global (or `allow_private`)."""
    if allow_private:
        return
    for address in resolve_host(host, port, label=label):
        reason = forbidden_reason(address)
        if reason:
            raise InvalidTarget(f"{label} host {host!r} resolves to {reason}; {ALLOW_HINT}")


def validate_webhook_url(url: str, *, allow_private: bool) -> str:
    """Return `url` if it is an http(s) URL whose host resolves only to global addresses."""
    parts = urlsplit(url.strip())
    if parts.scheme not in ("http", "https"):
        raise InvalidTarget(f"webhook URL must start with http:// or https://, got {parts.scheme or 'no'} scheme")
    if not parts.hostname:
        raise InvalidTarget("webhook URL has no host")
    if parts.username or parts.password:
        raise InvalidTarget("webhook URL must not carry credentials; use --secret for signing")
    try:
        port = parts.port or (443 if parts.scheme == "https" else 80)
    except ValueError as exc:
        raise InvalidTarget(f"webhook URL has an invalid port: {redact_url(url, show_host=True)}") from exc
    check_host(parts.hostname, port, allow_private=allow_private)
    return url.strip()


def validate_email_address(address: str) -> str:
    """The normalized form of an e-mail address, or `InvalidTarget` with the reason."""
    try:
        return validate_email(address.strip(), check_deliverability=False).normalized
    except EmailNotValidError as exc:
        raise InvalidTarget(f"invalid e-mail address {address!r}: {exc}") from exc


def apprise_plugin(url: str) -> Any:
    """The Apprise service object of `url` (Telegram, Slack, Discord, Matrix, ...), or `InvalidTarget`."""

    if "://" not in url:
        raise InvalidTarget("invalid Apprise URL: expected SCHEMA://..., e.g. tgram://TOKEN/CHAT_ID")
    apprise_logger = logging.getLogger("apprise")
    propagate, apprise_logger.propagate = apprise_logger.propagate, False  # the refusal is our one line
    try:
        with quiet_apprise() as apprise, apprise.LogCapture(level=logging.WARNING):
            plugin = apprise.Apprise.instantiate(url.strip())
    finally:
        apprise_logger.propagate = propagate
    if plugin is None:
        raise InvalidTarget(f"invalid Apprise URL: unsupported service {_scheme(url)!r} or malformed details")
    return plugin


def apprise_hosts(url: str, plugin: Any) -> list[str]:
    """The hosts an Apprise URL names and its service connects to (`outbound.yaml`); none for vendor services."""
    attribute = outbound_data().apprise_host_attribute.get(_scheme(url))
    host = str(getattr(plugin, attribute, None) or "") if attribute else ""
    return [host.strip("[]")] if host.strip("[]") else []


def check_apprise_hosts(url: str, plugin: Any, *, allow_private: bool) -> None:
    """Refuse the Apprise URL if a host it names resolves to a non-global address (unless `allow_private`)."""
    for host in apprise_hosts(url, plugin):
        check_host(host, allow_private=allow_private, label=f"Apprise {_scheme(url)}://")


def validate_apprise_url(url: str, *, allow_private: bool) -> str:
    """Return `url` if Apprise recognizes it and every host it names resolves only to global addresses."""
    check_apprise_hosts(url, apprise_plugin(url), allow_private=allow_private)
    return url.strip()


def _scheme(url: str) -> str:
    return url.strip().split("://", 1)[0].lower()


def redact_target(channel: str, target: str) -> str:
    """The target as reads show it: scheme and host kept; path, query values and credentials masked.

    `https://hooks.example.com/T0/B1?token=x` reads `https://hooks.example.com/…?token=***`. Apprise
    services that do not name a host (`tgram://TOKEN/CHAT`) keep only their scheme: `tgram://…`.
    E-mail addresses are shown as they are.
    """
    if channel == "email":
        return target
    show_host = channel == "webhook" or _scheme(target) in outbound_data().apprise_host_attribute
    return redact_url(target, show_host=show_host)


def redact_url(url: str, *, show_host: bool) -> str:
    """`url` with userinfo, path, query values and fragment masked; the host too unless `show_host`."""
    parts = urlsplit(url.strip())
    if not show_host:
        return f"{parts.scheme}://…{_masked_query(parts)}"
    path = "/…" if parts.path.strip("/") or parts.fragment else parts.path
    return f"{parts.scheme}://{_masked_netloc(parts)}{path}{_masked_query(parts)}"


def _masked_netloc(parts: SplitResult) -> str:
    host = parts.hostname or ""
    shown = f"[{host}]" if ":" in host else host
    try:
        port = parts.port
    except ValueError:
        port = None
    if port is not None:
        shown += f":{port}"
    return f"{MASK}@{shown}" if "@" in parts.netloc else shown


def _masked_query(parts: SplitResult) -> str:
    pairs = parse_qsl(parts.query, keep_blank_values=True)
    return "?" + "&".join(f"{key}={MASK}" for key, _ in pairs) if pairs else ""
