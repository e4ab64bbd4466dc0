"""Rows for alert tests: sources, articles (with their raw pages) and developments, written for real."""

from __future__ import annotations

import gzip
import hashlib
from datetime import UTC, date, datetime
from typing import Any

from sqlalchemy.orm import Session

from db.developments import ChangeRecord, record_developments
from db.models import Article, PageState, RawPage
from db.session import session_scope
from db.sources import sync_sources
from db.subscriptions import DeliveryView, SubscriptionView, add_subscription, delivery_log
from rasad.extraction import event_from_json
from rasad.sources import load_profile
from rasad.text.arabic import normalize_arabic

BODY = (
    "أعلنت وزارة الخارجية التركية أن وزير الخارجية هاكان فيدان سيلتقي نظيره السوري في موسكو الشهر المقبل. "
    "وقالت الوزارة إن الاجتماع يأتي في إطار مسار تطبيع العلاقات بين أنقرة ودمشق. "
    "وأضافت أن الاستعدادات جارية لعقده."
)
PLANNED = {"kind": "meeting", "status": "planned", "countries": ["TR", "SY"], "persons": ["Hakan Fidan"],
           "level": "foreign_minister", "location": None, "date": None, "mediator": "RU"}  # fmt: skip
HELD = {**PLANNED, "status": "held", "location": "Moscow", "date": "2024-05-10"}


def sync_fixture_sources(session: Session) -> None:
    """The fixture profile's sources in the `sources` table."""
    sync_sources(session, load_profile("fixtures", fixtures_url="http://127.0.0.1:1"))
    session.flush()


_counter = {"n": 0}


def make_article(
    session: Session,
    source_id: str,
    title: str,
    body: str = BODY,
    *,
    relevant: bool = True,
    relevance: float = 0.9,
    topics: tuple[str, ...] = ("turkey_syria_normalization",),
    duplicate_of: int | None = None,
    published: datetime | None = None,
) -> Article:
    """Store a raw page and its article."""
    _counter["n"] += 1
    url = f"http://127.0.0.1:1/{source_id}/news/{_counter['n']}-{hashlib.md5(title.encode()).hexdigest()[:8]}"
    page = RawPage(source_id=source_id, url=url, fetched_url=url, http_status=200, body_gz=gzip.compress(b"<html/>"),
                   body_sha256="0" * 64, state=PageState.PROCESSED)  # fmt: skip
    session.add(page)
    session.flush()
    article = Article(
        raw_page_id=page.id, source_id=source_id, url=url, title=title, body=body,
        body_normalized=normalize_arabic(body), content_hash=hashlib.sha256(f"{url}{body}".encode()).hexdigest(),
        relevant=relevant, relevance=relevance, topics=list(topics) if relevant else [],
        duplicate_of_id=duplicate_of, published_at=published or datetime(2024, 5, 1, 9, 0, tzinfo=UTC),
    )  # fmt: skip
    session.add(article)
    session.flush()
    return article


def report(session: Session, article: Article, *events: dict[str, Any]) -> list[ChangeRecord]:
    """Record the developments an article reports, as processing does."""
    return record_developments(
        session,
        article.id,
        [event_from_json(e) for e in events],
        published=date(2024, 5, 1),
        topics=article.topics or [],
    )


def subscribe(name: str, rule: dict[str, Any], **options: Any) -> tuple[SubscriptionView, str | None]:
    """Add a subscription in its own unit of work, as the CLI does."""
    with session_scope() as session:
        return add_subscription(session, name, rule, **options)


def deliveries(**options: Any) -> list[DeliveryView]:
    """The delivery log, read in its own unit of work."""
    with session_scope() as session:
        return delivery_log(session, **options)
