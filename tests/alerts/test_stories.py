"""What alerts: one alert per story, updates only for new development changes, never twice (real database)."""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlalchemy import func, select

from db.alert_models import Delivery, Notification, NotifiedKey, StoryArticle
from db.session import session_scope
from tests.alerts.factories import HELD, PLANNED, make_article, report, subscribe, sync_fixture_sources
from tests.conftest import apply_env
from workers.alerting import fan_out, raise_alerts


@pytest.fixture
def subscribed(embedded_env: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    apply_env(monkeypatch, RASAD_WEBHOOK_ALLOW_PRIVATE="true")
    # Deliveries are queued after commit; these tests look at what was decided, not at sending.
    monkeypatch.setattr("workers.alerting.enqueue_deliveries", lambda ids: len(ids))
    with session_scope() as session:
        sync_fixture_sources(session)
    subscribe("hook", {"topic": "normalization"}, channel="webhook", target="http://127.0.0.1:9/hook")
    return embedded_env


def article_with(source: str, title: str, *events: dict, duplicate_of: int | None = None, **kw: object) -> int:
    with session_scope() as session:
        article = make_article(session, source, title, duplicate_of=duplicate_of, **kw)  # type: ignore[arg-type]
        report(session, article, *events)
        return article.id


def deliveries() -> list[Delivery]:
    with session_scope() as session:
        return list(session.scalars(select(Delivery).order_by(Delivery.id)).all())


def test_first_report_alerts_and_a_second_outlet_adds_a_source_not_an_alert(subscribed: Path) -> None:
    first = article_with("syriatv", "فيدان يلتقي المقداد في موسكو", PLANNED)
    assert len(fan_out(first)) == 1
    second = article_with("orient", "لقاء مرتقب بين فيدان والمقداد", PLANNED)
    assert fan_out(second) == []
    sent = deliveries()
    assert [d.kind for d in sent] == ["new"]
    with session_scope() as session:
        stories = session.scalars(select(StoryArticle.story_id).where(StoryArticle.article_id.in_([first, second])))
        assert len(set(stories.all())) == 1  # one story, two sources
    payload = sent[0].payload
    assert payload["title"] == "فيدان يلتقي المقداد في موسكو"
    assert payload["developments"] and "مقرر" in payload["developments"][0]  # planned, in the default Arabic
    assert payload["language"] == "ar"
    assert payload["summary"].count(".") == 2  # two sentences
    assert payload["idempotency_key"] == sent[0].idempotency_key


def test_a_held_meeting_is_one_update_linked_to_the_first_alert(subscribed: Path) -> None:
    first = article_with("syriatv", "فيدان يلتقي المقداد في موسكو", PLANNED)
    fan_out(first)
    article_with("orient", "لقاء مرتقب بين فيدان والمقداد", PLANNED)
    held = article_with("arabi21", "انعقاد لقاء فيدان والمقداد في موسكو", HELD)
    assert len(fan_out(held)) == 1
    assert fan_out(held) == []  # a redelivered task alerts nothing more
    new, update = deliveries()
    assert update.kind == "update"
    assert update.payload["in_reply_to"] == new.idempotency_key
    assert {c["change"] for c in update.payload["changes"]} == {"status", "date", "location"}
    outlets = {s["outlet_id"] for s in update.payload["sources"]}
    assert {"syriatv", "arabi21"} <= outlets


def test_a_story_without_developments_alerts_once_and_its_duplicates_never(subscribed: Path) -> None:
    first = article_with("syriatv", "تصريحات حول التطبيع")
    copy = article_with("orient", "تصريحات حول التطبيع", duplicate_of=first)
    assert len(fan_out(first)) == 1
    assert fan_out(copy) == []
    assert [d.kind for d in deliveries()] == ["new"]


def test_irrelevant_articles_and_unmatched_rules_do_not_alert(subscribed: Path) -> None:
    irrelevant = article_with("syriatv", "مباراة كرة قدم", relevant=False)
    assert fan_out(irrelevant) == []
    subscribe("only-held", {"event_statuses": ["held"]}, channel="webhook", target="http://127.0.0.1:9/h")
    planned = article_with("syriatv", "فيدان يلتقي المقداد", PLANNED)
    ids = fan_out(planned)
    with session_scope() as session:
        names = {session.get(Delivery, i).subscription_id for i in ids}  # type: ignore[union-attr]
    assert len(names) == 1  # "hook" only


def test_the_same_change_is_never_told_twice_even_after_reprocessing(subscribed: Path) -> None:
    article_id = article_with("syriatv", "فيدان يلتقي المقداد", PLANNED)
    fan_out(article_id)
    article_with("orient", "اتصال بين أنقرة وموسكو", {**PLANNED, "kind": "call", "countries": ["TR", "RU"]})
    with session_scope() as session:
        # Reprocessing forgets and re-records the article's developments: a new development row, same meaning.
        from db.models import Article

        report(session, session.get(Article, article_id), PLANNED)  # type: ignore[arg-type]
    fan_out(article_id)
    with session_scope() as session:
        assert session.scalar(select(func.count()).select_from(Notification)) == 1
        assert session.scalar(select(func.count()).select_from(NotifiedKey)) == 2  # dev:N:new and story:S


def test_digest_subscribers_wait_for_their_slot(subscribed: Path) -> None:
    from datetime import UTC, datetime, timedelta

    from workers.alerting import send_due_digests

    subscribe("daily", {}, channel="email", target="analyst@example.org", digest_cron="0 8 * * *",
                     digest_tz="Asia/Damascus")  # fmt: skip
    fan_out(article_with("syriatv", "فيدان يلتقي المقداد", PLANNED))
    assert [d.kind for d in deliveries()] == ["new"]  # only the instant subscriber so far
    now = datetime.now(UTC)
    assert send_due_digests(now=now) == []  # the next 08:00 in Damascus has not come
    later = send_due_digests(now=now + timedelta(days=1, hours=1))
    assert len(later) == 1
    digest = deliveries()[-1]
    assert digest.kind == "digest" and len(digest.payload["items"]) == 1
    assert send_due_digests(now=now + timedelta(days=1, hours=1)) == []  # the slot is spent


def test_raise_alerts_keeps_the_per_article_record(subscribed: Path) -> None:
    article_id = article_with("syriatv", "فيدان يلتقي المقداد", PLANNED)
    assert raise_alerts(article_id) == ["turkey_syria_normalization"]
    assert raise_alerts(article_id) == []
    assert len(deliveries()) == 1
