"""A raw page's tries: counting them, recording failures, quarantining and releasing pages.

A try is counted in a short transaction of its own, committed before the work starts, so a try
that kills its worker (the kernel's OOM killer, a hard time limit) still counts: its own
transaction dies with it, the count does not. A page whose tries are used up without an outcome
is quarantined, and nothing sends it again until someone releases it by hand.
"""

from __future__ import annotations

import enum
import gzip
import hashlib
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import and_, func, or_, select, text, update
from sqlalchemy.orm import Session, defer

from db.models import PageState, RawPage, SourceRow, utcnow

# States a try may still change: the page has no outcome yet, or its last try failed.
UNFINISHED = (PageState.PENDING, PageState.FAILED)
ERROR_CHARS = 2000  # a traceback's last line is enough; the worker's log has the rest


class TryVerdict(enum.StrEnum):
    """Whether a try of a page may run."""

    RUN = "run"
    MISSING = "missing"
    QUARANTINED = "quarantined"


@dataclass(frozen=True)
class QuarantinedPage:
    """A quarantined page as `rasad status`, the dashboard and `rasad process quarantined` show it."""

    id: int
    source_id: str
    url: str
    attempts: int
    last_error: str | None
    last_attempt_at: datetime | None


def add_raw_page(
    session: Session,
    *,
    source_id: str,
    crawl_run_id: int | None,
    url: str,
    fetched_url: str,
    http_status: int,
    content_type: str | None,
    declared_encoding: str | None,
    body: bytes,
    discovered_via: str | None,
) -> int | None:
    """Store a fetched page (gzipped, with its SHA-256) as pending; its id, or None when the URL is stored already.

    Two crawls racing on one URL meet the unique constraint instead: the caller handles IntegrityError.
    """
    if session.scalar(select(RawPage.id).where(RawPage.url == url)) is not None:
        return None
    page = RawPage(
        source_id=source_id,
        crawl_run_id=crawl_run_id,
        url=url,
        fetched_url=fetched_url,
        http_status=http_status,
        content_type=content_type,
        declared_encoding=declared_encoding,
        body_gz=gzip.compress(body, compresslevel=6),
        body_sha256=hashlib.sha256(body).hexdigest(),
        discovered_via=discovered_via,
    )
    session.add(page)
    session.flush()
    return page.id


def start_try(session: Session, page_id: int, *, max_attempts: int) -> TryVerdict:
    """Count one more try of `page_id`, or quarantine it when `max_attempts` tries gave no outcome.

    Commit the caller's transaction before the try starts.
    """
    _commit_without_waiting_for_disk(session)
    if _count_try(session, page_id, max_attempts):
        return TryVerdict.RUN
    # Missing, quarantined or out of tries: look at the page to tell which (and quarantine it).
    # The body is not needed: the processing reads it in its own transaction.
    page = session.get(RawPage, page_id, with_for_update=True, options=[defer(RawPage.body_gz)])
    if page is None:
        return TryVerdict.MISSING
    if page.state == PageState.QUARANTINED:
        return TryVerdict.QUARANTINED
    if page.state in UNFINISHED and page.attempts >= max_attempts:
        last = page.last_error or "the worker was lost (killed, or over its time limit)"
        _quarantine(page, f"{page.attempts} tries without an outcome; last: {last}")
        return TryVerdict.QUARANTINED
    page.attempts += 1
    page.last_attempt_at = utcnow()
    return TryVerdict.RUN


def _count_try(session: Session, page_id: int, max_attempts: int) -> bool:
    """One statement for the usual case: count the try of a page that may run; False when none was counted."""
    may_run = and_(
        RawPage.id == page_id,
        RawPage.state != PageState.QUARANTINED,
        or_(RawPage.state.not_in(UNFINISHED), RawPage.attempts < max_attempts),
    )
    counted = session.execute(
        update(RawPage)
        .where(may_run)
        .values(attempts=RawPage.attempts + 1, last_attempt_at=utcnow())
        .returning(RawPage.id),
        execution_options={"synchronize_session": False},
    ).first()
    return counted is not None


def _commit_without_waiting_for_disk(session: Session) -> None:
    """PostgreSQL: this transaction's commit returns before its WAL reaches the disk.

    The count guards against a worker that dies (killed, out of memory), which loses nothing the
    server has; only a crash of the server itself could lose the count, and then the page is simply
    tried once more. The processing transaction that follows commits synchronously, which flushes
    this one too. Saves one disk flush per article.
    """
    if session.get_bind().dialect.name == "postgresql":
        session.execute(text("SET LOCAL synchronous_commit TO OFF"))


def page_with_source(session: Session, page_id: int) -> tuple[RawPage, SourceRow | None] | None:
    """The raw page, locked for this transaction, and its source's row, in one query (None: no such page)."""
    row = session.execute(
        select(RawPage, SourceRow)
        .outerjoin(SourceRow, SourceRow.id == RawPage.source_id)
        .where(RawPage.id == page_id)
        .with_for_update(of=RawPage)
    ).first()
    return (row[0], row[1]) if row is not None else None


def record_failure(session: Session, page_id: int, error: str, *, max_attempts: int) -> PageState | None:
    """Record a try that raised: `failed` (tried again later), or `quarantined` at the last try."""
    page = session.get(RawPage, page_id, with_for_update=True)
    if page is None or page.state not in UNFINISHED:
        return page.state if page is not None else None
    if page.attempts >= max_attempts:
        _quarantine(page, f"{page.attempts} tries failed; last: {error}")
    else:
        page.state = PageState.FAILED
        page.last_error = error[-ERROR_CHARS:]
    return page.state


def _quarantine(page: RawPage, reason: str) -> None:
    page.state = PageState.QUARANTINED
    page.last_error = reason[-ERROR_CHARS:]
    page.processed_at = utcnow()


def pages_to_send(session: Session, *, limit: int) -> Sequence[int]:
    """Ids of pages the sweeper sends again: pending, or failed with tries left (never quarantined)."""
    return session.scalars(
        select(RawPage.id).where(RawPage.state.in_(UNFINISHED)).order_by(RawPage.id).limit(limit)
    ).all()


def quarantined_pages(
    session: Session, *, page_ids: Sequence[int] | None = None, limit: int = 100
) -> list[QuarantinedPage]:
    """Quarantined pages, oldest first; only `page_ids` when given."""
    query = select(RawPage).where(RawPage.state == PageState.QUARANTINED).order_by(RawPage.id).limit(limit)
    if page_ids is not None:
        query = query.where(RawPage.id.in_(page_ids))
    return [
        QuarantinedPage(p.id, p.source_id, p.url, p.attempts, p.last_error, p.last_attempt_at)
        for p in session.scalars(query)
    ]


def release_quarantined(session: Session, page_ids: Sequence[int] | None = None) -> list[int]:
    """Make quarantined pages (all, or `page_ids`) pending again with their tries reset; their ids."""
    query = select(RawPage).where(RawPage.state == PageState.QUARANTINED).with_for_update()
    if page_ids is not None:
        query = query.where(RawPage.id.in_(page_ids))
    released = []
    for page in session.scalars(query):
        page.state = PageState.PENDING
        page.attempts = 0
        page.processed_at = None
        released.append(page.id)
    return released


def count_by_state(session: Session) -> dict[PageState, int]:
    """How many raw pages are in each state (every state present, zero when none)."""
    counts = dict.fromkeys(PageState, 0)
    for state, total in session.execute(select(RawPage.state, func.count()).group_by(RawPage.state)):
        counts[state] = total
    return counts
