"""The store's running totals that monitoring reads: pages fetched, articles stored, rejections, failures, retries.

Counted in the database rather than in process memory, so the figures hold across Celery's prefork
children, crawler processes and restarts.
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from db.models import Article, CrawlFailure, CrawlRun, PageState, RawPage
from db.pages import count_by_state


@dataclass(frozen=True)
class StoreTotals:
    """Totals over the whole store, each keyed as its metric is labelled."""

    fetched_by_source: dict[str, int]
    articles_by_source: dict[str, int]
    rejected_by_reason: dict[str, int]
    failures_by_kind: dict[str, int]
    pages_by_state: dict[PageState, int]
    retries: int  # processing attempts beyond the first


def store_totals(session: Session) -> StoreTotals:
    """Read every total (one query each)."""
    fetched = session.execute(
        select(CrawlRun.source_id, func.coalesce(func.sum(CrawlRun.pages_fetched), 0)).group_by(CrawlRun.source_id)
    )
    articles = session.execute(select(Article.source_id, func.count()).group_by(Article.source_id))
    rejected = session.execute(
        select(RawPage.reject_reason, func.count())
        .where(RawPage.state == PageState.REJECTED)
        .group_by(RawPage.reject_reason)
    )
    failures = session.execute(select(CrawlFailure.kind, func.count()).group_by(CrawlFailure.kind))
    retries = session.scalar(select(func.coalesce(func.sum(RawPage.attempts - 1), 0)).where(RawPage.attempts > 1))
    return StoreTotals(
        fetched_by_source={source: int(total) for source, total in fetched},
        articles_by_source={source: int(total) for source, total in articles},
        rejected_by_reason={(reason or "unknown"): int(total) for reason, total in rejected},
        failures_by_kind={kind: int(total) for kind, total in failures},
        pages_by_state=count_by_state(session),
        retries=int(retries or 0),
    )
