"""Fixture data for the query tests: the seed articles run through the real clean → extract → store.

Besides the five seeds, a few short articles exercise what search must get right: another
spelling of a name (جاويش أوغلو), clitics (وموسكو، للاجتماع), diacritics and hamza variants, and
a verbatim copy on another outlet (a duplicate).
"""

from __future__ import annotations

import dataclasses
import gzip
import hashlib
from datetime import UTC, datetime, timedelta
from pathlib import Path

import yaml
from sqlalchemy.orm import Session

from db.articles import store_article
from db.models import Article, CrawlFailure, CrawlRun, PageState, RawPage, RunStatus, SourceRow
from db.session import session_scope
from rasad.cleaning import CleanedArticle, clean_text
from rasad.indexing import article_keys
from workers.processing import extract_article

ROOT = Path(__file__).resolve().parents[2] / "rasad"
SEEDS = ROOT / "fixtures" / "seeds"
CONTENT = ROOT / "fixture_site" / "content"
OUTLETS = {
    "orient": "أورينت نت",
    "arabi21": "عربي 21",
    "alaraby": "العربي الجديد",
    "syriatv": "تلفزيون سوريا",
    "syrian-wp": "سوريا اليوم",
}
EXTRA = [
    (
        "arabi21",
        "جاويش أوغلو: لقاء مرتقب مع المقداد في موسكو",
        "قال وزير الخارجية التركي مولود جاويش أوغلو إن لقاءً سيجمعه بنظيره السوري فيصل المقداد في العاصمة "
        "الروسية، مضيفاً أن التحضيرات للاجتماع مستمرة وأن وموسكو تلعب دور الوسيط.\n\n"
        "وأوضح جاويش أوغلو أن الاجتماع الرباعي سيُعقد قريباً بمشاركة إيران وروسيا.",
    ),
    (
        "alaraby",
        "اجتماع رباعي في بغداد لبحث التطبيع",
        "استضافت بغداد اجتماعاً أمنياً ضمّ مسؤولين من تركيا وسوريا بوساطة عراقية، وتناول الاجتماعُ ملفَّ الحدود "
        "واللاجئين.\n\nوقال مسؤول عراقي إن بغداد مستعدة لاستضافة جولات أخرى للاجتماع.",
    ),
    (
        "syriatv",
        "فيدان يلتقي الشيباني في أنقرة",
        "استقبل وزير الخارجية التركي هاكان فيدان في أنقرة نظيره السوري أسعد الشيباني، وبحث الجانبان العلاقات "
        "الثنائية وملف إعادة الإعمار.\n\nوقال فيدان إن تركيا ستدعم سوريا في المرحلة المقبلة.",
    ),
]


def _seeds() -> list[tuple[str, str, str]]:
    """(seed file, outlet, headline) of each seed, as the fixture site publishes it."""
    entries = []
    for path in sorted(CONTENT.glob("*.yaml")):
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
        entries.append((data["seed"], data["outlet"], data["title"]))
    return entries


def _store(session: Session, page: RawPage, cleaned: CleanedArticle) -> Article:
    extraction = extract_article(cleaned, language="ar")
    return store_article(session, page, cleaned, extraction, article_keys(cleaned), language="ar")


def _page(session, source_id: str, url: str, text: str, run_id: int) -> RawPage:
    html = f"<html><body><article>{text}</article></body></html>".encode()
    page = RawPage(
        source_id=source_id, crawl_run_id=run_id, url=url, fetched_url=url, http_status=200,
        content_type="text/html; charset=utf-8", body_gz=gzip.compress(html),
        body_sha256=hashlib.sha256(html).hexdigest(), discovered_via="feed", state=PageState.PROCESSED,
    )  # fmt: skip
    session.add(page)
    session.flush()
    return page


def populate(database_url: str | None = None, *, today: datetime | None = None) -> dict[str, int]:
    """Store the fixture articles, runs and failures; return {label: article id}."""
    now = today or datetime.now(UTC)
    ids: dict[str, int] = {}
    with session_scope(database_url) as session:
        for source_id, name in OUTLETS.items():
            session.add(SourceRow(id=source_id, name=name, base_url=f"https://{source_id}.example/", config={}))
        session.flush()
        runs = {}
        for source_id in OUTLETS:
            run = CrawlRun(
                source_id=source_id,
                profile="fixtures",
                status=RunStatus.OK,
                pages_fetched=3,
                new_pages=2,
                finished_at=now,
            )
            session.add(run)
            session.flush()
            runs[source_id] = run.id
        failed = session.get(CrawlRun, runs["syrian-wp"])
        assert failed is not None
        failed.status = RunStatus.PARTIAL
        failed.errors_count = 1
        session.add(
            CrawlFailure(
                run_id=failed.id,
                url="https://syrian-wp.example/feed",
                kind="feed_not_xml",
                reason="the feed is HTML, not XML",
            )
        )
        for i, (seed, source_id, title) in enumerate(_seeds()):
            text = (SEEDS / seed).read_text(encoding="utf-8")
            cleaned = dataclasses.replace(clean_text(text, title=title), published_at=now - timedelta(days=10 - i))
            page = _page(session, source_id, f"https://{source_id}.example/a/{i}", text, runs[source_id])
            ids[f"seed{i}"] = _store(session, page, cleaned).id
        for j, (source_id, title, body) in enumerate(EXTRA):
            cleaned = dataclasses.replace(clean_text(body, title=title), published_at=now - timedelta(days=3 - j))
            page = _page(session, source_id, f"https://{source_id}.example/extra/{j}", body, runs[source_id])
            ids[f"extra{j}"] = _store(session, page, cleaned).id
        # A verbatim copy of the first seed on another outlet: stored as its duplicate.
        seed, _, title = _seeds()[0]
        text = (SEEDS / seed).read_text(encoding="utf-8")
        cleaned = dataclasses.replace(clean_text(text, title=title), published_at=now - timedelta(days=9))
        page = _page(session, "syrian-wp", "https://syrian-wp.example/copy/0", text, runs["syrian-wp"])
        ids["copy0"] = _store(session, page, cleaned).id
    return ids
