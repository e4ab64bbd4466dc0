"""The per-page chain a worker runs: clean → extract → store (→ alert, queued after commit).

Plain functions over one unit of work each; Celery tasks in `workers.tasks` only call them.
Re-running any of them on the same input changes nothing: the article is keyed by its raw
page, its extraction is replaced atomically, and alerts are unique per article and topic.
"""

from __future__ import annotations

import gzip
import logging
from dataclasses import asdict, dataclass
from datetime import UTC, datetime

from sqlalchemy.exc import InterfaceError, OperationalError

from db import pages
from db.articles import store_article, unalerted_article_ids
from db.models import PageState
from db.session import on_commit, session_scope
from db.sources import source_from_row
from rasad.cleaning import CleanedArticle, Rejected, clean_html
from rasad.extraction import Extraction, extract
from rasad.indexing import article_keys
from rasad.settings import get_settings
from workers.dispatch import enqueue_alert, enqueue_page

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


def process_raw_page(raw_page_id: int) -> ProcessOutcome:
    """Count a try of a raw page (committed first), then clean, extract and store it in one transaction.

    A page whose tries are used up (`RASAD_MAX_ATTEMPTS`) is quarantined instead of tried again. A
    try that raises anything but a transient error (a bug, a soft time limit, a MemoryError) is
    recorded on the page as a failure; transient errors propagate, for the task to retry.
    """
    max_attempts = get_settings().max_attempts
    with session_scope() as session:
        verdict = pages.start_try(session, raw_page_id, max_attempts=max_attempts)
    if verdict is pages.TryVerdict.MISSING:
        logger.warning("raw page %s does not exist; nothing to do", raw_page_id)
        return ProcessOutcome(raw_page_id, "missing", reason="no such raw page")
    if verdict is pages.TryVerdict.QUARANTINED:
        logger.warning("raw page %s is quarantined; not processed (rasad process quarantined)", raw_page_id)
        return ProcessOutcome(raw_page_id, PageState.QUARANTINED.value, reason="quarantined")
    try:
        return _process_try(raw_page_id)
    except TRANSIENT_ERRORS:
        raise
    except Exception as exc:  # hostile input or a bug: a recorded failure, never a lost page
        return record_failed_try(raw_page_id, exc)


def extract_article(cleaned: CleanedArticle, *, language: str) -> Extraction:
    """Run extraction on a cleaned article (relative dates resolve against its publication day)."""
    published = cleaned.published_at
    return extract(
        title=cleaned.title,
        body=cleaned.body,
        published_at=published.date() if published else None,
        language=language,
    )


def record_failed_try(raw_page_id: int, exc: BaseException) -> ProcessOutcome:
    """Record that a try of the page raised `exc`: failed (tried again), or quarantined at the last try."""
    error = f"{type(exc).__name__}: {exc}"
    logger.error("raw page %s: processing failed (%s)", raw_page_id, error, exc_info=exc)
    with session_scope() as session:
        state = pages.record_failure(session, raw_page_id, error, max_attempts=get_settings().max_attempts)
    return ProcessOutcome(raw_page_id, state.value if state else "missing", reason=error)


def _process_try(raw_page_id: int) -> ProcessOutcome:
    with session_scope() as session:
        # FOR UPDATE serializes two workers handed the same page (a no-op on SQLite, which locks the file).
        found = pages.page_with_source(session, raw_page_id)
        if found is None:
            return ProcessOutcome(raw_page_id, "missing", reason="no such raw page")
        page, source_row = found
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

        language = cleaned.language or (source.language if source else "ar")
        extraction = extract_article(cleaned, language=language)
        article = store_article(session, page, cleaned, extraction, article_keys(cleaned), language=language)
        article_id = article.id
        relevant = article.relevant
        page.state = PageState.PROCESSED
        page.reject_reason = page.reject_detail = page.last_error = None
        page.processed_at = datetime.now(UTC)
        if relevant:
            on_commit(session, lambda: enqueue_alert(article_id))
        return ProcessOutcome(raw_page_id, PageState.PROCESSED.value, article_id=article_id, relevant=relevant)


def requeue_pending(*, limit: int = 10_000) -> int:
    """Queue every raw page still pending or failed, and the alert step of relevant articles that never ran it.

    Either can be left behind when the broker was down at the moment of the commit; a failed page has
    tries left. Quarantined pages are never sent (`release_quarantined`). Returns how many messages
    were sent.
    """
    with session_scope() as session:
        page_ids = pages.pages_to_send(session, limit=limit)
        unalerted = unalerted_article_ids(session, max_age_days=ALERT_SWEEP_DAYS, limit=limit)
    sent = sum(1 for page_id in page_ids if enqueue_page(page_id))
    return sent + sum(1 for article_id in unalerted if enqueue_alert(article_id))


def release_quarantined(page_ids: list[int] | None = None) -> list[int]:
    """Release quarantined pages (all, or `page_ids`) by hand: tries reset to zero, queued again; their ids."""
    with session_scope() as session:
        released = pages.release_quarantined(session, page_ids)
    for page_id in released:
        enqueue_page(page_id)  # a page not queued stays pending, for the sweeper
    return released
