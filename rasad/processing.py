"""The per-page chain a worker runs: clean → extract → store (→ alert, queued after commit).

Plain functions over one unit of work each; Celery tasks in `workers.tasks` only call them.
Re-running any of them on the same input changes nothing: the article is keyed by its raw
page, its extraction is replaced atomically, and alerts are unique per article and topic.
"""

from __future__ import annotations

import gzip
import logging
from dataclasses import asdict, dataclass
from datetime import UTC, datetime, timedelta

from datasketch import MinHash
from sqlalchemy import delete, select
from sqlalchemy.exc import InterfaceError, OperationalError
from sqlalchemy.orm import Session

from db import pages
from db.models import Article, ArticleBand, PageState, RawPage, SourceRow
from db.session import on_commit, session_scope
from rasad.cleaning import CleanedArticle, Rejected, clean_html
from rasad.cleaning.dedup import (
    from_bytes,
    is_near_duplicate,
    lsh_bands,
    minhash_signature,
    signature_bytes,
)
from rasad.developments import record_developments
from rasad.extraction import extract, to_json
from rasad.extraction.store import save_extraction
from rasad.settings import get_settings
from rasad.sources.sync import source_from_row

logger = logging.getLogger(__name__)

ALERT_SWEEP_DAYS = 7  # an alert step that never ran is sent again within this age, not forever

# Lost connections only: retried by the task. A constraint violation (IntegrityError) is a fact to
# handle; any other exception is a bug or hostile input, recorded on the page as a failed try.
TRANSIENT_ERRORS: tuple[type[BaseException], ...] = (OperationalError, InterfaceError, ConnectionError, TimeoutError)


@dataclass(frozen=True)
class ProcessOutcome:
    """What processing a raw page did."""

    raw_page_id: int
    state: str
    article_id: int | None = None
    relevant: bool = False
    reason: str | None = None

    def as_dict(self) -> dict[str, object]:
        """JSON-friendly form (the Celery task's return value)."""
        return asdict(self)


def process_raw_page(raw_page_id: int, *, database_url: str | None = None) -> ProcessOutcome:
    """Count a try of a raw page (committed first), then clean, extract and store it in one transaction.

    A page whose tries are used up (`RASAD_MAX_ATTEMPTS`) is quarantined instead of tried again. A
    try that raises anything but a transient error (a bug, a soft time limit, a MemoryError) is
    recorded on the page as a failure; transient errors propagate, for the task to retry.
    """
    max_attempts = get_settings().max_attempts
    with session_scope(database_url) as session:
        verdict = pages.start_try(session, raw_page_id, max_attempts=max_attempts)
    if verdict is pages.TryVerdict.MISSING:
        logger.warning("raw page %s does not exist; nothing to do", raw_page_id)
        return ProcessOutcome(raw_page_id, "missing", reason="no such raw page")
    if verdict is pages.TryVerdict.QUARANTINED:
        logger.warning("raw page %s is quarantined; not processed (rasad process quarantined)", raw_page_id)
        return ProcessOutcome(raw_page_id, PageState.QUARANTINED.value, reason="quarantined")
    try:
        return _process_try(raw_page_id, database_url)
    except TRANSIENT_ERRORS:
        raise
    except Exception as exc:  # hostile input or a bug: a recorded failure, never a lost page
        return record_failed_try(raw_page_id, exc, database_url=database_url)


def record_failed_try(raw_page_id: int, exc: BaseException, *, database_url: str | None = None) -> ProcessOutcome:
    """Record that a try of the page raised `exc`: failed (tried again), or quarantined at the last try."""
    error = f"{type(exc).__name__}: {exc}"
    logger.error("raw page %s: processing failed (%s)", raw_page_id, error, exc_info=exc)
    with session_scope(database_url) as session:
        state = pages.record_failure(session, raw_page_id, error, max_attempts=get_settings().max_attempts)
    return ProcessOutcome(raw_page_id, state.value if state else "missing", reason=error)


def _process_try(raw_page_id: int, database_url: str | None) -> ProcessOutcome:
    with session_scope(database_url) as session:
        # FOR UPDATE serializes two workers handed the same page (a no-op on SQLite, which locks the file).
        page = session.get(RawPage, raw_page_id, with_for_update=True)
        if page is None:
            return ProcessOutcome(raw_page_id, "missing", reason="no such raw page")
        source_row = session.get(SourceRow, page.source_id)
        source = source_from_row(source_row) if source_row is not None else None
        try:
            cleaned = clean_html(
                gzip.decompress(page.body_gz),
                url=page.fetched_url,
                source=source,
                declared_encoding=page.declared_encoding,
                max_bytes=get_settings().max_page_bytes,
            )
        except Rejected as rejection:
            page.state = PageState.REJECTED
            page.reject_reason = rejection.reason
            page.reject_detail = rejection.detail
            page.last_error = None
            page.processed_at = datetime.now(UTC)
            logger.info("raw page %s rejected: %s (%s)", raw_page_id, rejection.reason, rejection.detail)
            return ProcessOutcome(raw_page_id, PageState.REJECTED.value, reason=rejection.reason)

        article = store_article(session, page, cleaned, default_language=source.language if source else "ar")
        article_id = article.id
        relevant = article.relevant
        page.state = PageState.PROCESSED
        page.reject_reason = page.reject_detail = page.last_error = None
        page.processed_at = datetime.now(UTC)
        if relevant:
            on_commit(session, lambda: _enqueue_alert(article_id))
        return ProcessOutcome(raw_page_id, PageState.PROCESSED.value, article_id=article_id, relevant=relevant)


def _enqueue_alert(article_id: int) -> None:
    from workers.dispatch import enqueue_alert

    enqueue_alert(article_id)


def store_article(session: Session, page: RawPage, cleaned: CleanedArticle, *, default_language: str) -> Article:
    """Insert or update the article of `page`, link duplicates, and replace its extraction."""
    published = cleaned.published_at
    result = extract(
        title=cleaned.title,
        body=cleaned.body,
        published_at=published.date() if published else None,
        language=cleaned.language or default_language,
    )
    article = session.scalar(select(Article).where(Article.raw_page_id == page.id))
    if article is None:
        article = Article(raw_page_id=page.id, source_id=page.source_id, url=page.url)
        session.add(article)
    signature = minhash_signature(cleaned.body_normalized)
    article.title = cleaned.title
    article.body = cleaned.body
    article.body_normalized = cleaned.body_normalized
    article.language = cleaned.language or default_language
    article.authors = list(cleaned.authors)
    article.published_at = published
    article.content_hash = cleaned.content_hash
    article.minhash = signature_bytes(signature)
    article.relevant = result.relevant
    article.relevance = float(result.relevance)
    article.topics = [t.topic for t in result.topics if t.relevant]
    session.flush()

    article.duplicate_of_id = find_duplicate_of(session, article, signature)
    session.execute(delete(ArticleBand).where(ArticleBand.article_id == article.id))
    session.add_all(ArticleBand(article_id=article.id, band=band) for band in lsh_bands(signature))
    save_extraction(session, article.id, result)
    record_developments(
        session,
        article.id,
        to_json(result)["events"],
        published=published.date() if published else None,
        topics=article.topics,
    )
    return article


def find_duplicate_of(session: Session, article: Article, signature: MinHash) -> int | None:
    """The earliest other article with the same content, or a near-identical one (MinHash LSH)."""
    exact = session.scalar(
        select(Article.id)
        .where(Article.content_hash == article.content_hash, Article.id != article.id)
        .order_by(Article.id)
        .limit(1)
    )
    if exact is not None:
        return _root(session, exact)
    bands = lsh_bands(signature)
    candidates = session.execute(
        select(Article.id, Article.minhash)
        .join(ArticleBand, ArticleBand.article_id == Article.id)
        .where(ArticleBand.band.in_(bands), Article.id != article.id)
        .distinct()
        .order_by(Article.id)
    ).all()
    for candidate_id, candidate_hash in candidates:
        if candidate_hash and is_near_duplicate(signature, from_bytes(candidate_hash)):
            return _root(session, candidate_id)
    return None


def _root(session: Session, article_id: int) -> int:
    """Follow duplicate links to the first copy, so every copy points at the same article."""
    seen = {article_id}
    current = article_id
    while True:
        parent = session.scalar(select(Article.duplicate_of_id).where(Article.id == current))
        if parent is None or parent in seen:
            return current
        seen.add(parent)
        current = parent


def requeue_pending(*, database_url: str | None = None, limit: int = 10_000) -> int:
    """Queue every raw page still pending or failed, and the alert step of relevant articles that never ran it.

    Either can be left behind when the broker was down at the moment of the commit; a failed page has
    tries left. Quarantined pages are never sent (`release_quarantined`). Returns how many messages
    were sent.
    """
    from db.models import Alert
    from workers.dispatch import enqueue_alert, enqueue_page

    recent = datetime.now(UTC) - timedelta(days=ALERT_SWEEP_DAYS)
    with session_scope(database_url) as session:
        page_ids = pages.pages_to_send(session, limit=limit)
        unalerted = session.scalars(
            select(Article.id)
            .where(Article.relevant.is_(True), Article.duplicate_of_id.is_(None), Article.created_at >= recent)
            .where(~select(Alert.id).where(Alert.article_id == Article.id).exists())
            .order_by(Article.id)
            .limit(limit)
        ).all()
    sent = sum(1 for page_id in page_ids if enqueue_page(page_id))
    return sent + sum(1 for article_id in unalerted if enqueue_alert(article_id))


def release_quarantined(page_ids: list[int] | None = None, *, database_url: str | None = None) -> list[int]:
    """Release quarantined pages (all, or `page_ids`) by hand: tries reset to zero, queued again; their ids."""
    from workers.dispatch import enqueue_page

    with session_scope(database_url) as session:
        released = pages.release_quarantined(session, page_ids)
    for page_id in released:
        enqueue_page(page_id)  # a page not queued stays pending, for the sweeper
    return released
