"""Senders against real receivers on loopback: an HTTP server, an SMTP server (aiosmtpd), Apprise's json://."""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlalchemy import select

from db.alert_models import Delivery
from db.session import session_scope
from rasad.alerts.channels import PermanentDeliveryError, Target, TransientDeliveryError, email_message, send
from rasad.alerts.signing import verify
from rasad.settings import AlertSettings
from tests.alerts.factories import PLANNED, deliveries, make_article, report, subscribe, sync_fixture_sources
from tests.alerts.receivers import smtp_server, webhook_receiver
from tests.conftest import apply_env, free_port
from workers.alerting import deliver, fan_out, send_test_alert

PAYLOAD = {
    "kind": "new",
    "idempotency_key": "rasad-1-dev-7-new",
    "title": "فيدان يلتقي المقداد في موسكو",
    "outlet": "تلفزيون سوريا",
    "published_at": "2024-05-01T09:00:00+00:00",
    "developments": ["meeting (foreign minister) SY–TR: Hakan Fidan in Moscow — planned"],
    "changes": [{"development_id": 7, "change": "new", "old": None, "new": "…"}],
    "summary": "أعلنت الخارجية التركية أن فيدان سيلتقي المقداد. وقالت إن الاستعدادات جارية.",
    "url": "http://example.org/a",
    "sources": [{"outlet": "تلفزيون سوريا", "outlet_id": "syriatv", "title": "فيدان", "url": "http://example.org/a"}],
    "links": ["http://example.org/a"],
    "in_reply_to": None,
}


def settings(**values: object) -> AlertSettings:
    return AlertSettings.model_validate({"RASAD_WEBHOOK_ALLOW_PRIVATE": True, "RASAD_ALERT_TIMEOUT": 3, **values})


def test_webhook_body_is_signed_and_carries_the_idempotency_key() -> None:
    with webhook_receiver() as receiver:
        receipt = send(Target("webhook", receiver.url, "s3cret-s3cret-s3cret"), PAYLOAD, settings())
    assert receipt == "HTTP 200"
    (request,) = receiver.received
    assert verify("s3cret-s3cret-s3cret", request.body, request.headers["X-Rasad-Signature"])
    assert not verify("another-secret-value", request.body, request.headers["X-Rasad-Signature"])
    assert request.headers["Idempotency-Key"] == "rasad-1-dev-7-new"
    body = request.json()
    assert body["idempotency_key"] == "rasad-1-dev-7-new" and body["event"] == "alert.new"
    assert body["title"] == PAYLOAD["title"]  # UTF-8, not escaped away


def test_webhook_failures_are_classified() -> None:
    with webhook_receiver() as receiver:
        receiver.up = False  # 503
        with pytest.raises(TransientDeliveryError, match="503"):
            send(Target("webhook", receiver.url, "x" * 16), PAYLOAD, settings())
    with pytest.raises(TransientDeliveryError):  # nobody listens
        send(Target("webhook", f"http://127.0.0.1:{free_port()}/hook", "x" * 16), PAYLOAD, settings())
    with pytest.raises(PermanentDeliveryError, match="loopback"):  # re-checked at send time
        send(Target("webhook", "http://127.0.0.1:9/hook", None), PAYLOAD, settings(RASAD_WEBHOOK_ALLOW_PRIVATE=False))


def test_email_is_multipart_with_right_to_left_html() -> None:
    with smtp_server() as (sink, port):
        send(
            Target("email", "analyst@example.org"), PAYLOAD, settings(RASAD_SMTP_HOST="127.0.0.1", RASAD_SMTP_PORT=port)
        )
    (message,) = sink.messages
    assert message["To"] == "analyst@example.org"
    assert message["X-Rasad-Idempotency-Key"] == "rasad-1-dev-7-new"
    assert "فيدان يلتقي المقداد" in message["Subject"]
    html = message.get_body(("html",)).get_content()  # type: ignore[union-attr]
    text = message.get_body(("plain",)).get_content()  # type: ignore[union-attr]
    assert '<div dir="rtl" lang="ar"' in html and "فيدان" in html
    assert "التطور: " in text and "تلفزيون سوريا" in text and "الرابط: " in text  # Arabic by default


def test_a_subscription_in_english_gets_english_messages() -> None:
    english = {**PAYLOAD, "language": "en", "kind": "update", "changes": [
        {"development_id": 7, "change": "status", "old": "planned", "new": "held"}]}  # fmt: skip
    message = email_message("a@example.org", english, "r@x")
    text = message.get_body(("plain",)).get_content()  # type: ignore[union-attr]
    html = message.get_body(("html",)).get_content()  # type: ignore[union-attr]
    assert message["Subject"].startswith("[Rasad] Update:")
    assert "Development: " in text and "Change: status changed: planned → held" in text
    assert '<div dir="ltr" lang="en"' in html
    arabic = email_message("a@example.org", {**english, "language": "ar"}, "r@x")
    assert arabic["Subject"].startswith("[Rasad] تحديث:")
    assert "التغيير: تغيّرت الحالة: مقرر ← عُقد" in arabic.get_body(("plain",)).get_content()  # type: ignore[union-attr]


def test_update_email_threads_under_the_first_alert() -> None:
    message = email_message("a@example.org", {**PAYLOAD, "kind": "update", "in_reply_to": "rasad-1-dev-7-new"}, "r@x")
    assert message["In-Reply-To"] == "<rasad-1-dev-7-new@rasad>"
    assert message["Subject"].startswith("[Rasad] تحديث:")


def test_email_to_a_closed_port_is_transient() -> None:
    with pytest.raises(TransientDeliveryError):
        send(Target("email", "a@example.org"), PAYLOAD, settings(RASAD_SMTP_PORT=free_port()))


def test_apprise_json_url_reaches_a_real_http_receiver() -> None:
    with webhook_receiver() as receiver:
        send(Target("apprise", f"json://127.0.0.1:{receiver.port}/hook"), PAYLOAD, settings())
    (request,) = receiver.received
    assert "فيدان" in request.json()["title"]


def test_delivery_retries_until_the_receiver_is_back_then_never_again(
    embedded_env: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    apply_env(monkeypatch, RASAD_WEBHOOK_ALLOW_PRIVATE="true")
    monkeypatch.setattr("workers.alerting.enqueue_deliveries", lambda ids: len(ids))
    with webhook_receiver() as receiver:
        subscribe("hook", {}, channel="webhook", target=receiver.url)
        with session_scope() as session:
            sync_fixture_sources(session)
            article = make_article(session, "syriatv", "فيدان يلتقي المقداد")
            report(session, article, PLANNED)
            article_id = article.id
        (delivery_id,) = fan_out(article_id)
        receiver.up = False
        with pytest.raises(TransientDeliveryError):
            deliver(delivery_id)
        (failure,) = deliveries(failures_only=True)
        assert failure.status == "retrying" and failure.attempts == 1 and "503" in (failure.last_error or "")
        receiver.up = True
        assert deliver(delivery_id) == "delivered"
        assert deliver(delivery_id) == "delivered"  # a redelivered task sends nothing
        assert len(receiver.received) == 1
    with session_scope() as session:
        row = session.scalars(select(Delivery)).one()
        assert row.status == "delivered" and row.attempts == 2 and row.delivered_at is not None
    assert deliveries(failures_only=True) == []


def test_final_attempt_records_failure(embedded_env: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    apply_env(monkeypatch, RASAD_WEBHOOK_ALLOW_PRIVATE="true")
    monkeypatch.setattr("workers.alerting.enqueue_deliveries", lambda ids: len(ids))
    subscribe("hook", {}, channel="webhook", target=f"http://127.0.0.1:{free_port()}/hook")
    with session_scope() as session:
        sync_fixture_sources(session)
        article_id = make_article(session, "syriatv", "تصريحات حول التطبيع").id
    (delivery_id,) = fan_out(article_id)
    assert deliver(delivery_id, final_attempt=True) == "failed"
    assert deliveries(failures_only=True)[0].status == "failed"


def test_send_test_alert_uses_the_real_channel(embedded_env: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    with smtp_server() as (sink, port):
        apply_env(monkeypatch, RASAD_SMTP_PORT=str(port))
        subscribe("mail", {}, channel="email", target="analyst@example.org")
        assert send_test_alert("mail").startswith("SMTP")
    assert len(sink.messages) == 1
    assert deliveries()[0].kind == "test" and deliveries()[0].status == "delivered"
