"""Issue 15, hostile input: no channel reaches a non-global address, at creation or at delivery.

Every channel a subscriber can point somewhere (webhook http/https, Apprise json/form/xml, Apprise
mailto with its SMTP host) is tried against loopback, cloud metadata (169.254.169.254,
100.100.100.200), 10/8, IPv6 loopback, IPv4-mapped and 6to4 loopback, and a name resolving to
loopback. Receivers that must really answer run on loopback with RASAD_WEBHOOK_ALLOW_PRIVATE=true.
"""

from __future__ import annotations

import pytest

from db.subscriptions import validate_target
from rasad.alerts.channels import PermanentDeliveryError, Target, TransientDeliveryError, send
from rasad.settings import AlertSettings
from tests.alerts.receivers import smtp_server, webhook_receiver
from tests.alerts.test_channels import PAYLOAD
from tests.conftest import apply_env

FORBIDDEN_HOSTS = [
    "127.0.0.1",
    "169.254.169.254",
    "100.100.100.200",
    "10.1.2.3",
    "[::1]",
    "[::ffff:127.0.0.1]",
    "[2002:7f00::1]",
    "localhost",
]
# Each channel a subscriber names a host in, as (channel, URL with {host} and {port}).
URL_FORMS = {
    "webhook-http": ("webhook", "http://{host}:{port}/hook"),
    "webhook-https": ("webhook", "https://{host}:{port}/hook"),
    "apprise-json": ("apprise", "json://{host}:{port}/hook"),
    "apprise-form": ("apprise", "form://{host}:{port}/hook"),
    "apprise-xml": ("apprise", "xml://{host}:{port}/hook"),
    "apprise-mailto": ("apprise", "mailto://{host}:{port}?smtp={host}&from=rasad@example.org&to=a@example.org"),
}


# Apprise refuses IPv4-mapped literals itself ("malformed"); a name resolving to one is covered by
# the address rule (tests/alerts/test_egress.py).
CASES = [
    (form, host)
    for form in URL_FORMS
    for host in FORBIDDEN_HOSTS
    if not (form.startswith("apprise") and host.startswith("[::ffff:"))
]


def settings(*, allow_private: bool) -> AlertSettings:
    return AlertSettings.model_validate({"RASAD_WEBHOOK_ALLOW_PRIVATE": allow_private, "RASAD_ALERT_TIMEOUT": 3})


def url_of(form: str, host: str, port: int = 8080) -> tuple[str, str]:
    channel, template = URL_FORMS[form]
    if form == "apprise-mailto":
        host = host.strip("[]")  # `smtp=` takes a bare address
    return channel, template.format(host=host, port=port)


@pytest.mark.parametrize(("form", "host"), CASES)
def test_creation_refuses_non_global_hosts(form: str, host: str, monkeypatch: pytest.MonkeyPatch) -> None:
    channel, url = url_of(form, host)
    apply_env(monkeypatch, RASAD_WEBHOOK_ALLOW_PRIVATE="false")
    with pytest.raises(ValueError, match="RASAD_WEBHOOK_ALLOW_PRIVATE=true"):
        validate_target(channel, url)
    apply_env(monkeypatch, RASAD_WEBHOOK_ALLOW_PRIVATE="true")
    assert validate_target(channel, url) == url


@pytest.mark.parametrize(
    ("form", "host"), [(f, h) for f, h in CASES if f != "apprise-mailto" and h in ("127.0.0.1", "localhost", "[::1]")]
)
def test_delivery_refuses_loopback_http_receivers(form: str, host: str) -> None:
    with webhook_receiver() as receiver:
        channel, url = url_of(form, host, receiver.port)
        with pytest.raises(PermanentDeliveryError, match="loopback address"):
            send(Target(channel, url, "s" * 16), PAYLOAD, settings(allow_private=False))
    assert receiver.received == []


@pytest.mark.parametrize("host", ["127.0.0.1", "localhost"])
def test_delivery_refuses_a_loopback_smtp_server_named_by_mailto(host: str) -> None:
    with smtp_server() as (sink, port):
        _, url = url_of("apprise-mailto", host, port)
        with pytest.raises(PermanentDeliveryError, match="loopback address"):
            send(Target("apprise", url + "&mode=insecure"), PAYLOAD, settings(allow_private=False))
        assert sink.messages == []
        # The same URL delivers when private targets are allowed: the guard, not the URL, refused it.
        assert send(Target("apprise", url + "&mode=insecure"), PAYLOAD, settings(allow_private=True)) == "Apprise OK"
        assert len(sink.messages) == 1


@pytest.mark.parametrize(
    "form",
    ["webhook-http", "apprise-json", "apprise-form", "apprise-xml"],
)
def test_redirects_are_not_followed(form: str) -> None:
    """An allowed receiver answering `307 Location: http://127.0.0.1:PORT/internal` gets no second request."""
    with webhook_receiver() as receiver:
        receiver.redirect = f"http://127.0.0.1:{receiver.port}/internal"
        channel, url = url_of(form, "127.0.0.1", receiver.port)
        if channel == "apprise":
            url += "?redirect=yes"  # a subscriber asking Apprise to follow redirects is not obeyed
        with pytest.raises((PermanentDeliveryError, TransientDeliveryError), match="307"):
            send(Target(channel, url, "s" * 16), PAYLOAD, settings(allow_private=True))
    assert [request.path for request in receiver.received] == ["/hook"]
