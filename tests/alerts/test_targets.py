"""Channel targets are validated when a subscription is added: webhook URLs, e-mail addresses, Apprise URLs."""

from __future__ import annotations

import pytest

from rasad.alerts.signing import sign, verify
from rasad.alerts.targets import InvalidTarget, validate_apprise_url, validate_email_address, validate_webhook_url


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
    assert validate_apprise_url("tgram://123456789:abcdefghijklmnopqrstuvwxyz123/12345")
    assert validate_apprise_url("json://127.0.0.1:9/hook")
    for bad, reason in (("foo://bar", "unsupported service"), ("telegram", "SCHEMA://")):
        with pytest.raises(InvalidTarget, match=reason):
            validate_apprise_url(bad)


def test_signatures() -> None:
    body = '{"title": "فيدان"}'.encode()
    header = sign("secret-secret-secret", body)
    assert header.startswith("sha256=") and len(header) == 7 + 64
    assert verify("secret-secret-secret", body, header)
    assert not verify("secret-secret-secret", body + b" ", header)
    assert not verify("secret-secret-secret", body, None)
