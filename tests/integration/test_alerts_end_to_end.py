"""Scheduled crawls to alerts for real: fixture site → scheduler → crawl → worker → webhook and SMTP receivers.

Runs on PostgreSQL + Redis and on the embedded default. The receivers are real servers on loopback
(stdlib HTTP server, aiosmtpd); the worker and the scheduler are real processes.
"""

from __future__ import annotations

import datetime as dt
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest
from sqlalchemy import func, select

from db.alert_models import Delivery, StoryArticle
from db.models import Article, PageState, RawPage
from db.session import session_scope
from rasad.alerts.signing import verify
from rasad.fixture_site import publish
from tests.alerts.receivers import smtp_server, webhook_receiver
from tests.conftest import apply_env
from tests.integration.helpers import rasad, rasad_process, wait_until, worker_process
from workers.scheduling import schedule_due_crawls

pytestmark = pytest.mark.integration

SECRET = "e2e-secret-0123456789"
PLANNED = (
    "فيدان والمقداد يلتقيان في موسكو الشهر المقبل",
    "أعلنت وزارة الخارجية التركية أن وزير الخارجية هاكان فيدان سيلتقي نظيره السوري فيصل المقداد في موسكو "
    "الشهر المقبل لبحث تطبيع العلاقات بين أنقرة ودمشق.\n\nوقالت الوزارة في بيان إن الاستعدادات جارية لعقد الاجتماع.",
)
PLANNED_ELSEWHERE = (
    "لقاء مرتقب بين وزيري خارجية تركيا وسوريا",
    "قالت مصادر دبلوماسية إن لقاء سيجمع وزير الخارجية التركي هاكان فيدان بنظيره السوري فيصل المقداد في موسكو "
    "خلال الشهر المقبل.\n\nوأضافت المصادر أن اللقاء يهدف إلى تطبيع العلاقات بين أنقرة ودمشق.",
)
HELD = (
    "فيدان والمقداد يعقدان اجتماعهما في موسكو",
    "عقد وزير الخارجية التركي هاكان فيدان ونظيره السوري فيصل المقداد اجتماعاً في موسكو اليوم لبحث تطبيع العلاقات "
    "بين أنقرة ودمشق.\n\nوقال فيدان بعد الاجتماع إن المحادثات كانت بناءة.",
)
IRRELEVANT = (
    "نتائج الدوري المحلي لكرة القدم",
    "فاز فريق الجيش على فريق الوحدة بهدفين مقابل هدف في المباراة التي أقيمت مساء أمس على ملعب العباسيين.\n\n"
    "وبهذا الفوز يتصدر الفريق جدول الترتيب برصيد ثلاثين نقطة.",
)
CALL = (
    "اتصال هاتفي بين أردوغان والأسد",
    "أجرى الرئيس التركي رجب طيب أردوغان اتصالاً هاتفياً مع الرئيس السوري بشار الأسد تناول تطبيع العلاقات بين "
    "أنقرة ودمشق.\n\nوقالت الرئاسة التركية إن الرئيسين بحثا الخطوات المقبلة.",
)


@contextmanager
def scheduler_process(log_path: Path, tick: float) -> Iterator[None]:
    """The real `rasad scheduler` (Celery beat) for the duration of the block."""
    with rasad_process(log_path, "scheduler", "--tick", str(tick)):
        yield


def article_count() -> int:
    with session_scope() as session:
        return session.scalar(select(func.count()).select_from(Article)) or 0


def all_processed() -> bool:
    with session_scope() as session:
        pending = session.scalar(select(func.count()).where(RawPage.state == PageState.PENDING)) or 0
        pages = session.scalar(select(func.count()).select_from(RawPage)) or 0
    return pages > 0 and pending == 0


def story_of(title: str) -> int | None:
    """The story of the article with this title, once its alert step has run."""
    with session_scope() as session:
        return session.scalar(
            select(StoryArticle.story_id)
            .join(Article, Article.id == StoryArticle.article_id)
            .where(Article.title == title)
        )


def deliveries(channel_filter: str | None = None) -> list[Delivery]:
    with session_scope() as session:
        return list(session.scalars(select(Delivery).order_by(Delivery.id)).all())


class Clock:
    """Scheduler time for `schedule_due_crawls`: a day later at every step, so every source is due."""

    def __init__(self) -> None:
        self.now = dt.datetime.now(dt.UTC)

    def crawl_due(self) -> None:
        self.now += dt.timedelta(days=1)
        assert schedule_due_crawls("fixtures", now=self.now)


def publish_and_crawl(site: str, clock: Clock, outlet: str, article: tuple[str, str], published: dt.date) -> None:
    before = article_count()
    publish(site, outlet, article[0], article[1], published=published)
    clock.crawl_due()
    wait_until(lambda: article_count() == before + 1 and all_processed(), timeout=180, what=f"{article[0]} stored")


@pytest.mark.parametrize("environment", ["production_env", "embedded_env"])
def test_scheduled_crawls_alert_once_per_story_on_every_channel(
    environment: str, request: pytest.FixtureRequest, fixture_site: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    request.getfixturevalue(environment)
    with webhook_receiver() as hook, smtp_server() as (mail, smtp_port):
        apply_env(
            monkeypatch, RASAD_FIXTURES_URL=fixture_site, RASAD_PROFILE="fixtures", RASAD_WEBHOOK_ALLOW_PRIVATE="true",
            RASAD_SMTP_HOST="127.0.0.1", RASAD_SMTP_PORT=str(smtp_port),
        )  # fmt: skip
        with worker_process(tmp_path / "worker.log", concurrency=4):
            # The real scheduler starts the first crawl of every source (none has run yet).
            with scheduler_process(tmp_path / "scheduler.log", tick=2):
                wait_until(
                    lambda: article_count() == 5 and all_processed(), timeout=240, what="the first scheduled crawl"
                )
            rasad(
                "alerts", "add", "--name", "desk", "--topic", "normalization", "--webhook", hook.url, "--secret", SECRET
            )
            rasad("alerts", "add", "--name", "inbox", "--topic", "normalization", "--email", "analyst@example.org")
            clock = Clock()

            # A new relevant article: exactly one webhook call and one e-mail.
            publish_and_crawl(fixture_site, clock, "syriatv", PLANNED, dt.date(2024, 3, 10))
            wait_until(lambda: len(hook.received) == 1 and len(mail.messages) == 1, timeout=60, what="the first alert")
            (call,) = hook.received
            assert verify(SECRET, call.body, call.headers["X-Rasad-Signature"])
            first = call.json()
            assert first["event"] == "alert.new" and first["title"] == PLANNED[0]
            assert call.headers["Idempotency-Key"] == first["idempotency_key"]
            # The subscription's language is Arabic by default: the development reads "... في موسكو — مقرر".
            assert first["language"] == "ar"
            assert any("مقرر" in line and "موسكو" in line for line in first["developments"])
            assert first["sources"][0]["outlet_id"] == "syriatv" and first["links"]
            email = mail.messages[0]
            assert PLANNED[0] in email["Subject"]
            assert '<div dir="rtl" lang="ar"' in email.get_body(("html",)).get_content()  # type: ignore[union-attr]

            # An irrelevant article: nothing.
            publish_and_crawl(fixture_site, clock, "orient", IRRELEVANT, dt.date(2024, 3, 11))
            # The same development from a second outlet: no alert, one more source in the story.
            publish_and_crawl(fixture_site, clock, "arabi21", PLANNED_ELSEWHERE, dt.date(2024, 3, 11))
            wait_until(lambda: story_of(PLANNED_ELSEWHERE[0]) is not None, timeout=60, what="the second report's story")
            assert story_of(PLANNED_ELSEWHERE[0]) == story_of(PLANNED[0])
            time.sleep(2)
            assert len(hook.received) == 1 and len(mail.messages) == 1
            assert story_of(IRRELEVANT[0]) is None

            # The planned meeting is held: one update, linked to the first alert, listing every source.
            publish_and_crawl(fixture_site, clock, "alaraby", HELD, dt.date(2024, 4, 14))
            wait_until(lambda: len(hook.received) == 2 and len(mail.messages) == 2, timeout=60, what="the update")
            update = hook.received[1].json()
            assert update["event"] == "alert.update" and update["in_reply_to"] == first["idempotency_key"]
            assert any(c["change"] == "status" and c["new"] == "held" for c in update["changes"])
            assert {"syriatv", "arabi21", "alaraby"} <= {s["outlet_id"] for s in update["sources"]}
            assert mail.messages[1]["In-Reply-To"]

            # The webhook receiver is down: e-mail goes on; the webhook gets it once, after it is back.
            hook.stop()
            publish_and_crawl(fixture_site, clock, "syrian-wp", CALL, dt.date(2024, 4, 20))
            wait_until(lambda: len(mail.messages) == 3, timeout=60, what="the e-mail while the webhook is down")
            wait_until(
                lambda: any(d.status == "retrying" for d in deliveries()), timeout=60, what="a webhook retry pending"
            )
            time.sleep(3)
            hook.start()
            wait_until(lambda: len(hook.received) == 3, timeout=120, what="the webhook delivery after recovery")
            time.sleep(3)
            assert len(hook.received) == 3 and len(mail.messages) == 3
            keys = [r.headers["Idempotency-Key"] for r in hook.received]
            assert len(set(keys)) == 3
            assert all(d.status == "delivered" for d in deliveries())

    log = rasad("alerts", "log", "--json").stdout.splitlines()
    assert len(log) == 6
    history = rasad("crawls", "history", "--json").stdout
    assert '"new_articles": 1' in history
