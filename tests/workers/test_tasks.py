"""Task bodies called directly (no broker): the chain's work on a real database, and its idempotency."""

from __future__ import annotations

import gzip
import hashlib
from pathlib import Path

from sqlalchemy import func, select

from db.models import Article, PageState, RawPage
from db.session import session_scope
from rasad.sources import load_profile
from rasad.sources.sync import sync_sources
from workers.tasks import alert_article, process_page

PAGE = (Path(__file__).parents[2] / "tests/fixtures/pages/arabic_article.html").read_bytes()


def store_page(body: bytes, url: str = "http://127.0.0.1:1/syriatv/news/x-article-about-normalization") -> int:
    with session_scope() as session:
        sync_sources(session, load_profile("fixtures", fixtures_url="http://127.0.0.1:1"))
        session.flush()
        page = RawPage(source_id="syriatv", url=url, fetched_url=url, http_status=200,
                       content_type="text/html; charset=utf-8", declared_encoding="utf-8",
                       body_gz=gzip.compress(body), body_sha256=hashlib.sha256(body).hexdigest())  # fmt: skip
        session.add(page)
        session.flush()
        return page.id


def test_process_page_stores_article_once_however_often_it_runs(embedded_env: Path) -> None:
    page_id = store_page(PAGE)
    first = process_page(page_id)
    assert first["state"] == "processed" and first["article_id"]
    again = process_page(page_id)  # a redelivered message
    assert again["article_id"] == first["article_id"]
    with session_scope() as session:
        assert session.scalar(select(func.count()).select_from(Article)) == 1
        article = session.get(Article, first["article_id"])
        assert article is not None and article.title and "تطبيع" in article.body
        assert session.get(RawPage, page_id).state == PageState.PROCESSED


def test_alert_task_alerts_once(embedded_env: Path) -> None:
    outcome = process_page(store_page(PAGE))
    assert outcome["relevant"] is True
    assert alert_article(outcome["article_id"]) != []
    assert alert_article(outcome["article_id"]) == []  # retried task: nothing new


def test_empty_page_is_rejected_with_reason(embedded_env: Path) -> None:
    outcome = process_page(
        store_page(b"<html><body></body></html>", url="http://127.0.0.1:1/syriatv/news/empty-page-x")
    )
    assert outcome["state"] == "rejected" and outcome["reason"]
    with session_scope() as session:
        page = session.scalars(select(RawPage)).one()
        assert page.state == PageState.REJECTED and page.reject_reason == outcome["reason"]
        assert session.scalar(select(func.count()).select_from(Article)) == 0


def test_missing_page_is_not_an_error(embedded_env: Path) -> None:
    assert process_page(999_999)["state"] == "missing"
