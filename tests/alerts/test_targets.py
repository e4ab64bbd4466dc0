"""Channel targets are validated when a subscription is added: webhook URLs, e-mail addresses, Apprise URLs."""

from __future__ import annotations

import pytest

from rasad.alerts.signing import sign, verify
from rasad.alerts.targets import (
    InvalidTarget,
    redact_target,
    validate_apprise_url,
    validate_email_address,
    validate_webhook_url,
)


@pytest.mark.parametrize(
    "url",
    [
        "http://127.0.0.1:8080/hook",
        "http://localhost/hook",
        "http://10.1.2.3/hook",
        "http://192.168.0.10/hook",
        "http://172.16.5.4/hook",
        "http://169.254.169.254/latest/meta-data",
        "http://[::1]/hook",
        "http://[::ffff:127.0.0.1]/hook",
        "http://0.0.0.0/hook",
        "http://100.100.100.200/latest/meta-data",
        "http://100.64.0.1/hook",
        "http://[2002:7f00::1]/hook",
        "http://[64:ff9b::7f00:1]/hook",
    ],
)
def test_private_and_loopback_webhooks_are_refused(url: str) -> None:
    with pytest.raises(InvalidTarget, match="RASAD_WEBHOOK_ALLOW_PRIVATE"):
        validate_webhook_url(url, allow_private=False)
    assert validate_webhook_url(url, allow_private=True) == url


def test_public_addresses_pass() -> None:
    assert validate_webhook_url("https://93.184.216.34/hook", allow_private=False)


@pytest.mark.parametrize(
    ("url", "reason"),
    [
        ("ftp://example.org/x", "http:// or https://"),
        ("example.org/hook", "http:// or https://"),
        ("http:///hook", "no host"),
        ("https://user:pw@93.184.216.34/", "credentials"),
        ("http://no-such-host.invalid/hook", "does not resolve"),
    ],
)
def test_malformed_webhooks_are_refused(url: str, reason: str) -> None:
    with pytest.raises(InvalidTarget, match=reason):
        validate_webhook_url(url, allow_private=False)


def test_email_addresses() -> None:
    assert validate_email_address(" Analyst@Example.org ") == "Analyst@example.org"
    for bad in ("not-an-email", "a@", "@example.org", "a b@example.org"):
        with pytest.raises(InvalidTarget, match="invalid e-mail"):
            validate_email_address(bad)


def test_apprise_urls() -> None:
    assert validate_apprise_url("tgram://123456789:abcdefghijklmnopqrstuvwxyz123/12345", allow_private=False)
    assert validate_apprise_url("ntfy://mytopic", allow_private=False)  # the vendor's host, not one named
    assert validate_apprise_url("json://127.0.0.1:9/hook", allow_private=True)
    with pytest.raises(InvalidTarget, match=r"Apprise json:// host '127\.0\.0\.1' resolves to loopback"):
        validate_apprise_url("json://127.0.0.1:9/hook", allow_private=False)
    for bad, reason in (("foo://bar", "unsupported service"), ("telegram", "SCHEMA://")):
        with pytest.raises(InvalidTarget, match=reason):
            validate_apprise_url(bad, allow_private=False)


@pytest.mark.parametrize(
    ("channel", "target", "shown"),
    [
        (
            "webhook",
            "https://hooks.example.com/T0/B1/s3cr3t?token=t0k3n&v=2",
            "https://hooks.example.com/…?token=***&v=***",
        ),
        ("webhook", "http://[2001:db8::1]:8080/hook#frag", "http://[2001:db8::1]:8080/…"),
        ("webhook", "https://hooks.example.com/", "https://hooks.example.com/"),
        ("apprise", "json://user:pa55@example.org:8080/p4th?token=t0k3n", "json://***@example.org:8080/…?token=***"),
        ("apprise", "mailto://user:pa55@example.org?smtp=mail.example.org", "mailto://***@example.org?smtp=***"),
        ("apprise", "tgram://123456789:AAbbCC/12345", "tgram://…"),
        ("apprise", "slack://T1/B2/C3?footer=no", "slack://…?footer=***"),
        ("email", "analyst@example.org", "analyst@example.org"),
    ],
)
def test_targets_are_redacted(channel: str, target: str, shown: str) -> None:
    assert redact_target(channel, target) == shown


def test_signatures() -> None:
    body = '{"title": "فيدان"}'.encode()
    header = sign("secret-secret-secret", body)
    assert header.startswith("sha256=") and len(header) == 7 + 64
    assert verify("secret-secret-secret", body, header)
    assert not verify("secret-secret-secret", body + b" ", header)
    assert not verify("secret-secret-secret", body, None)
