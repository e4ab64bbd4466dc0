"""Each topic its own view: a user's topic and the bundled one, through the whole pipeline, kept apart.

Two pages go through processing as a worker runs it, with the user's topic and people configured: the
timeline of each topic (API, dashboard, CLI) shows only its development, and a subscriber of each topic
is notified of its story only.
"""

from __future__ import annotations

import gzip
import hashlib
import json
import shutil
from pathlib import Path

import pytest
from sqlalchemy.orm import Session
from typer.testing import CliRunner

from db.models import RawPage
from db.session import session_scope
from rasad.cli.main import app as cli
from tests.alerts.factories import subscribe, sync_fixture_sources
from tests.api.conftest import make_client
from tests.conftest import apply_env
from workers import alerting, processing

USER_DATA = Path(__file__).resolve().parents[1] / "fixtures" / "user_data"
PAGES = {
    "algeria_morocco": (
        "لقاء جزائري مغربي في نيويورك",
        [
            "التقى وزير الخارجية الجزائري أحمد عطاف بنظيره المغربي ناصر بوريطة في نيويورك في 19 أيلول 2024، في "
            "أول لقاء منذ قطع العلاقات الدبلوماسية بين الجزائر والمغرب عام 2021.",
            "وبحث الوزيران إعادة فتح الحدود بين البلدين وملف الصحراء الغربية، بحسب بيان مشترك صدر بعد اللقاء.",
            "وقال دبلوماسيون إن الوساطة التي قادتها عواصم عربية مهدت لهذا اللقاء بعد سنوات من القطيعة.",
        ],
    ),
    "turkey_syria_normalization": (
        "فيدان والمقداد في موسكو",
        [
            "التقى وزير الخارجية التركي هاكان فيدان نظيره السوري فيصل المقداد في موسكو في 10 أيار 2023 لبحث "
            "تطبيع العلاقات بين تركيا وسوريا، بحضور وزيري خارجية روسيا وإيران.",
            "وقالت وزارة الخارجية التركية إن الاجتماع الرباعي تناول خارطة طريق لإعادة العلاقات بين أنقرة ودمشق.",
            "وأضافت أن الجانبين اتفقا على مواصلة الاجتماعات على مستوى نواب الوزراء في الأسابيع المقبلة.",
        ],
    ),
}


def _page(session: Session, topic: str, title: str, paragraphs: list[str]) -> int:
    body = "".join(f"<p>{p}</p>" for p in paragraphs)
    html = f"<html><head><title>{title}</title></head><body><article><h1>{title}</h1>{body}</article></body></html>"
    url = f"http://127.0.0.1:1/orient/news/{topic}.html"
    raw = html.encode("utf-8")
    page = RawPage(source_id="orient", url=url, fetched_url=url, http_status=200, body_gz=gzip.compress(raw),
                   body_sha256=hashlib.sha256(raw).hexdigest(), declared_encoding="utf-8")  # fmt: skip
    session.add(page)
    session.flush()
    return page.id


@pytest.fixture
def processed(embedded_env: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> dict[str, int]:
    """Both pages processed as a worker does, with the user's topic and people; their article ids."""
    shutil.copytree(USER_DATA, tmp_path / "user")
    apply_env(monkeypatch, RASAD_TOPICS_DIR=str(tmp_path / "user" / "topics"),
              RASAD_KB_DIR=str(tmp_path / "user" / "kb"), RASAD_WEBHOOK_ALLOW_PRIVATE="true")  # fmt: skip
    monkeypatch.setattr(processing, "enqueue_alert", lambda article_id: True)
    monkeypatch.setattr(alerting, "enqueue_deliveries", lambda ids: len(ids))
    with session_scope() as session:
        sync_fixture_sources(session)
        page_ids = {topic: _page(session, topic, title, text) for topic, (title, text) in PAGES.items()}
    articles = {}
    for topic, page_id in page_ids.items():
        outcome = processing.process_raw_page(page_id)
        assert outcome.state == "processed" and outcome.relevant, outcome
        assert outcome.article_id is not None
        articles[topic] = outcome.article_id
    return articles


def test_each_topics_timeline_shows_only_its_developments(processed: dict[str, int]) -> None:
    expected = {"algeria_morocco": ["DZ", "MA"], "turkey_syria_normalization": ["IR", "RU", "SY", "TR"]}
    with make_client() as client:
        for topic, countries in expected.items():
            events = client.get("/events", params={"topic": topic}).json()["items"]
            assert [e["countries"] for e in events] == [countries] and events[0]["topics"] == [topic]
        page = client.get("/", params={"topic": "algeria_morocco"}).text
        assert "Ahmed Attaf" in page or "أحمد عطاف" in page
        assert "Faisal Mekdad" not in page and "فيصل المقداد" not in page
    listed = CliRunner().invoke(cli, ["events", "--topic", "turkey_syria_normalization", "--json"])
    rows = [json.loads(line) for line in listed.stdout.splitlines()]
    assert listed.exit_code == 0 and [r["countries"] for r in rows] == [["IR", "RU", "SY", "TR"]]


def test_a_subscriber_of_a_topic_hears_of_that_story_only(processed: dict[str, int]) -> None:
    subscribe("maghreb", {"topic": "algeria_morocco"}, channel="email", target="maghreb@example.org")
    subscribe("levant", {"topic": "turkey_syria_normalization"}, channel="email", target="levant@example.org")
    notified: dict[str, set[str]] = {}
    for topic, article_id in processed.items():
        assert alerting.raise_alerts(article_id) == [topic]
    from sqlalchemy import select

    from db.alert_models import Delivery, Subscription

    with session_scope() as session:
        for name, payload in session.execute(
            select(Subscription.name, Delivery.payload).join(Delivery, Delivery.subscription_id == Subscription.id)
        ):
            notified.setdefault(name, set()).update(payload["topics"])
    assert notified == {"maghreb": {"algeria_morocco"}, "levant": {"turkey_syria_normalization"}}
