"""Task bodies called directly (no broker): the chain's work on a real database, and its idempotency."""

from __future__ import annotations

import gzip
import hashlib
from pathlib import Path

from sqlalchemy import func, select

from db.models import Article, PageState, RawPage
from db.session import session_scope
from db.sources import sync_sources
from rasad.sources import load_profile
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


def _page(page_id: int) -> RawPage:
    with session_scope() as session:
        page = session.get(RawPage, page_id)
        assert page is not None
        return page


def store_broken_page(url: str = "http://127.0.0.1:1/syriatv/news/broken-body") -> int:
    """A page whose stored body is not gzip: every try of it raises (a real failure, no mock)."""
    page_id = store_page(PAGE, url=url)
    with session_scope() as session:
        page = session.get(RawPage, page_id)
        assert page is not None
        page.body_gz = b"not gzip at all"
    return page_id


def test_a_failing_page_is_recorded_then_quarantined_after_three_tries(embedded_env: Path) -> None:
    page_id = store_broken_page()
    for attempt in (1, 2):
        outcome = process_page(page_id)
        assert outcome["state"] == "failed" and "BadGzipFile" in outcome["reason"]
        page = _page(page_id)
        assert (page.state, page.attempts) == (PageState.FAILED, attempt) and page.last_error
    assert process_page(page_id)["state"] == "quarantined"  # the third try fails: no tries left
    page = _page(page_id)
    assert (page.state, page.attempts) == (PageState.QUARANTINED, 3)
    assert page.last_error and "3 tries failed" in page.last_error
    assert process_page(page_id)["state"] == "quarantined"  # a stray message runs nothing
    assert _page(page_id).attempts == 3


def test_a_try_that_never_ended_counts(embedded_env: Path) -> None:
    """Tries are committed before they start: three tries that died (no outcome) quarantine the page."""
    from db.pages import start_try

    page_id = store_page(PAGE)
    for _ in range(3):  # what three workers killed mid-try leave behind
        with session_scope() as session:
            start_try(session, page_id, max_attempts=3)
    outcome = process_page(page_id)
    assert outcome["state"] == "quarantined"
    page = _page(page_id)
    assert page.state == PageState.QUARANTINED and page.last_error and "worker was lost" in page.last_error
    with session_scope() as session:
        assert session.scalar(select(func.count()).select_from(Article)) == 0


def test_quarantined_pages_are_never_swept_and_released_by_hand(embedded_env: Path) -> None:
    from db.pages import pages_to_send, quarantined_pages
    from workers.processing import release_quarantined, requeue_pending

    page_id = store_broken_page()
    other = store_broken_page(url="http://127.0.0.1:1/syriatv/news/broken-body-2")
    for _ in range(3):
        process_page(page_id)
    process_page(other)  # failed once: the sweeper tries it again
    with session_scope() as session:
        assert list(pages_to_send(session, limit=10)) == [other]
        assert [p.id for p in quarantined_pages(session)] == [page_id]
    assert requeue_pending() == 1
    with session_scope() as session:  # the page is repaired (say, the fix is deployed), then released
        session.get(RawPage, page_id).body_gz = gzip.compress(PAGE)  # type: ignore[union-attr]
    assert release_quarantined([other]) == []  # not quarantined
    assert release_quarantined([page_id]) == [page_id]
    page = _page(page_id)
    assert (page.state, page.attempts) == (PageState.PENDING, 0)
    assert process_page(page_id)["state"] == "processed"
    assert (_page(page_id).attempts, _page(page_id).last_error) == (1, None)
