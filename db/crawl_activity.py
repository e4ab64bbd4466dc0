"""Reads of what adaptive polling learns from: each outlet's recent publishing and crawl outcomes."""

from __future__ import annotations

from datetime import UTC, datetime

from sqlalchemy import and_, func, select
from sqlalchemy.orm import Session

from db.models import Article, CrawlRun, RunStatus
from db.times import as_utc_or_none
from rasad.scheduling.polling import BURST_WINDOW, WINDOW, OutletActivity

_EPOCH = datetime(1970, 1, 1, tzinfo=UTC)


def outlet_activity(session: Session, now: datetime) -> dict[str, OutletActivity]:
    """Per source: articles published in the last day, the latest publication, failures since the last good crawl."""
    published = session.execute(
        select(
            Article.source_id,
            func.count().filter(Article.published_at >= now - WINDOW),
            func.max(Article.published_at),
            func.count().filter(Article.published_at >= now - BURST_WINDOW),
            func.min(Article.published_at).filter(Article.published_at >= now - WINDOW),
        )
        # A copy of another article (wire copy, a republished story) is still something the outlet
        # published: it counts for how often the outlet publishes.
        .where(Article.published_at <= now)
        .group_by(Article.source_id)
    ).all()
    failures = _failures_since_last_good(session)
    retry = _retry_after(session)
    sources = {row[0] for row in published} | set(failures) | set(retry)
    out = {}
    for source_id in sources:
        count, last, last_hour, first = next(
            ((c, m, h, f) for s, c, m, h, f in published if s == source_id), (0, None, 0, None)
        )
        failed, since = failures.get(source_id, (0, None))
        out[source_id] = OutletActivity(
            int(count),
            as_utc_or_none(last),
            failed,
            as_utc_or_none(since),
            retry.get(source_id),
            int(last_hour),
            as_utc_or_none(first),
        )
    return out


def _failures_since_last_good(session: Session) -> dict[str, tuple[int, datetime | None]]:
    good = (
        select(CrawlRun.source_id.label("source_id"), func.max(CrawlRun.started_at).label("at"))
        .where(CrawlRun.status.in_([RunStatus.OK, RunStatus.PARTIAL]))
        .group_by(CrawlRun.source_id)
        .subquery()
    )
    rows = session.execute(
        select(CrawlRun.source_id, func.count(), func.min(CrawlRun.started_at))
        .outerjoin(good, good.c.source_id == CrawlRun.source_id)
        .where(CrawlRun.status == RunStatus.FAILED, CrawlRun.started_at > func.coalesce(good.c.at, _EPOCH))
        .group_by(CrawlRun.source_id)
    ).all()
    return {source_id: (int(count), since) for source_id, count, since in rows}


def _retry_after(session: Session) -> dict[str, datetime]:
    """The Retry-After an outlet sent in its latest crawl run, as the moment it expires."""
    latest = (
        select(CrawlRun.source_id.label("source_id"), func.max(CrawlRun.started_at).label("at"))
        .group_by(CrawlRun.source_id)
        .subquery()
    )
    rows = session.execute(
        select(CrawlRun.source_id, CrawlRun.stats).join(
            latest, and_(latest.c.source_id == CrawlRun.source_id, latest.c.at == CrawlRun.started_at)
        )
    ).all()
    out = {}
    for source_id, stats in rows:
        until = (stats or {}).get("retry_after_until")
        if until:
            out[source_id] = datetime.fromisoformat(until)
    return out
