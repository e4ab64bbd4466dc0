"""Issue 15 over HTTP: hostile targets are refused with 422 and nothing stored; reads never show secrets."""

from __future__ import annotations

from pathlib import Path

import pytest

from rasad.api.deps import TOKEN_COOKIE
from tests.api.conftest import make_client
from tests.api.test_security import new_token
from tests.conftest import apply_env

# Short secrets on purpose: the old redaction elided only segments of 20 characters or more.
SECRETS = ("s3cr3tpath", "t0k3n", "pa55w0rd", "B0TT0KEN")
TARGETS = {
    "hook": ("webhook", "https://hooks.example.com/services/s3cr3tpath?token=t0k3n"),
    "local": ("webhook", "http://127.0.0.1:9/hook/s3cr3tpath?token=t0k3n"),
    "json": ("apprise", "json://user:pa55w0rd@127.0.0.1:9/s3cr3tpath?token=t0k3n"),
    "chat": ("apprise", "tgram://123456789:B0TT0KEN/12345"),
}
SHOWN = {
    "hook": "https://hooks.example.com/…?token=***",
    "local": "http://127.0.0.1:9/…?token=***",
    "json": "json://***@127.0.0.1:9/…?token=***",
    "chat": "tgram://…",
}


@pytest.mark.parametrize(
    ("channel", "target", "reason"),
    [
        ("apprise", "json://127.0.0.1:9/hook", "loopback address 127.0.0.1"),
        ("apprise", "form://localhost:9/hook", "loopback address 127.0.0.1"),
        ("apprise", "xml://169.254.169.254/latest", "link-local address 169.254.169.254"),
        ("apprise", "mailto://user:pw@example.org?smtp=10.1.2.3", "private address 10.1.2.3"),
        ("webhook", "http://100.100.100.200/latest/meta-data", "address 100.100.100.200"),
        ("webhook", "http://[2002:7f00::1]/hook", "loopback address 127.0.0.0"),
        ("webhook", "http://[::ffff:127.0.0.1]/hook", "loopback address 127.0.0.1"),
    ],
)
def test_hostile_targets_are_422_and_nothing_is_stored(
    embedded_env: Path, monkeypatch: pytest.MonkeyPatch, channel: str, target: str, reason: str
) -> None:
    apply_env(monkeypatch, RASAD_WEBHOOK_ALLOW_PRIVATE="false")
    auth = {"Authorization": f"Bearer {new_token()}"}
    with make_client() as client:
        body = {"name": "probe", "rule": {}, "channel": channel, "target": target}
        response = client.post("/subscriptions", json=body, headers=auth)
        assert response.status_code == 422, response.text
        assert reason in response.json()["detail"] and "RASAD_WEBHOOK_ALLOW_PRIVATE" in response.json()["detail"]
        assert client.get("/subscriptions", headers=auth).json() == []


def test_reads_redact_targets_and_only_creation_shows_them(embedded_env: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    apply_env(monkeypatch, RASAD_WEBHOOK_ALLOW_PRIVATE="true")  # stored, never sent: loopback is fine here
    token = new_token()
    auth = {"Authorization": f"Bearer {token}"}
    with make_client() as client:
        for name, (channel, target) in TARGETS.items():
            created = client.post(
                "/subscriptions", json={"name": name, "rule": {}, "channel": channel, "target": target}, headers=auth
            )
            assert created.status_code == 201, created.text
            assert created.json()["target"] == target  # shown once, in full
        listed = client.get("/subscriptions", headers=auth)
        assert {s["name"]: s["target"] for s in listed.json()} == SHOWN
        client.cookies.set(TOKEN_COOKIE, token)
        page = client.get("/alerts")
        assert page.status_code == 200 and "hooks.example.com/…?token=***" in page.text
    for read in (listed.text, page.text):
        for secret in SECRETS:
            assert secret not in read
