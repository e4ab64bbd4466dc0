"""Validate where alerts go: webhook URLs (no private targets by default), e-mail addresses, Apprise URLs."""

from __future__ import annotations

import ipaddress
import logging
import socket
from urllib.parse import urlsplit

from email_validator import EmailNotValidError, validate_email


class InvalidTarget(ValueError):
    """A channel target that cannot be used; the message says why, in one line."""


def _forbidden_reason(address: ipaddress.IPv4Address | ipaddress.IPv6Address) -> str | None:
    if isinstance(address, ipaddress.IPv6Address) and address.ipv4_mapped is not None:
        address = address.ipv4_mapped
    for reason, flag in (
        ("loopback", address.is_loopback),
        ("private", address.is_private),
        ("link-local", address.is_link_local),
        ("multicast", address.is_multicast),
        ("reserved", address.is_reserved),
        ("unspecified", address.is_unspecified),
    ):
        if flag:
            return reason
    return None


def resolve_host(host: str, port: int) -> list[str]:
    """Every address `host` resolves to (a literal IP resolves to itself)."""
    try:
        infos = socket.getaddrinfo(host, port, proto=socket.IPPROTO_TCP)
    except socket.gaierror as exc:
        raise InvalidTarget(f"webhook host {host!r} does not resolve: {exc.strerror}") from exc
    return sorted({str(info[4][0]) for info in infos})


def validate_webhook_url(url: str, *, allow_private: bool) -> str:
    """Return `url` if it is an http(s) URL whose host resolves only to public addresses.

    Private, loopback, link-local and other non-public targets are refused unless `allow_private`
    (RASAD_WEBHOOK_ALLOW_PRIVATE): a webhook must not become a way to reach internal services.
    """
    parts = urlsplit(url.strip())
    if parts.scheme not in ("http", "https"):
        raise InvalidTarget(f"webhook URL must start with http:// or https://, got {url!r}")
    if not parts.hostname:
        raise InvalidTarget(f"webhook URL has no host: {url!r}")
    if parts.username or parts.password:
        raise InvalidTarget("webhook URL must not carry credentials; use --secret for signing")
    try:
        port = parts.port or (443 if parts.scheme == "https" else 80)
    except ValueError as exc:
        raise InvalidTarget(f"webhook URL has an invalid port: {url!r}") from exc
    if allow_private:
        return url.strip()
    for text in resolve_host(parts.hostname, port):
        address = ipaddress.ip_address(text.split("%")[0])
        reason = _forbidden_reason(address)
        if reason:
            raise InvalidTarget(
                f"webhook host {parts.hostname!r} resolves to {reason} address {address}; "
                "set RASAD_WEBHOOK_ALLOW_PRIVATE=true to allow it"
            )
    return url.strip()


def validate_email_address(address: str) -> str:
    """The normalized form of an e-mail address, or `InvalidTarget` with the reason."""
    try:
        return validate_email(address.strip(), check_deliverability=False).normalized
    except EmailNotValidError as exc:
        raise InvalidTarget(f"invalid e-mail address {address!r}: {exc}") from exc


def validate_apprise_url(url: str) -> str:
    """Return `url` if Apprise recognizes it (Telegram, Slack, Discord, Matrix, ...)."""
    from rasad.alerts.apprise_compat import quiet_apprise

    if "://" not in url:
        raise InvalidTarget(f"invalid Apprise URL {url!r}: expected SCHEMA://..., e.g. tgram://TOKEN/CHAT_ID")
    apprise_logger = logging.getLogger("apprise")
    propagate, apprise_logger.propagate = apprise_logger.propagate, False  # the refusal is our one line
    try:
        with quiet_apprise() as apprise, apprise.LogCapture(level=logging.WARNING):
            plugin = apprise.Apprise.instantiate(url.strip())
    finally:
        apprise_logger.propagate = propagate
    if plugin is None:
        schema = url.split("://", 1)[0]
        raise InvalidTarget(f"invalid Apprise URL: unsupported service {schema!r} or malformed details")
    return url.strip()
