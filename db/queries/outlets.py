"""Outlets, their crawl runs and failures, and per-day article counts (the crawl status view)."""

from __future__ import annotations

from collections import defaultdict
from datetime import UTC, date, datetime, timedelta
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session, selectinload

from db.models import Article, CrawlRun, SourceRow

MAX_LIMIT = 200


def list_sources(session: Session) -> list[dict[str, Any]]:
    """Every outlet with its article count and its latest crawl run."""
    counts = dict(session.execute(select(Article.source_id, func.count(Article.id)).group_by(Article.source_id)).all())
    latest_ids = select(func.max(CrawlRun.id)).group_by(CrawlRun.source_id)
    latest = {r.source_id: r for r in session.scalars(select(CrawlRun).where(CrawlRun.id.in_(latest_ids))).all()}
    rows = []
    for source in session.scalars(select(SourceRow).order_by(SourceRow.id)).all():
        run = latest.get(source.id)
        rows.append(
            {
                "id": source.id, "name": source.name, "language": source.language, "base_url": source.base_url,
                "enabled": source.enabled, "verified": source.verified, "interval_minutes": source.interval_minutes,
                "country": (source.config or {}).get("country"), "article_count": counts.get(source.id, 0),
                "last_run": run_summary(run) if run else None,
            }
        )  # fmt: skip
    return rows


def run_summary(run: CrawlRun, *, failures: bool = False) -> dict[str, Any]:
    """A crawl run as a dict (with its failures if asked)."""
    data: dict[str, Any] = {
        "id": run.id, "source_id": run.source_id, "profile": run.profile, "status": str(run.status.value),
        "started_at": run.started_at, "finished_at": run.finished_at, "pages_fetched": run.pages_fetched,
        "new_pages": run.new_pages, "skipped_known": run.skipped_known, "errors_count": run.errors_count,
    }  # fmt: skip
    if failures:
        data["failures"] = [{"url": f.url, "kind": f.kind, "reason": f.reason, "at": f.at} for f in run.failures]
    return data


def list_crawl_runs(
    session: Session,
    *,
    source: str | None = None,
    status: str | None = None,
    limit: int = 50,
    before_id: int | None = None,
) -> list[dict[str, Any]]:
    """Crawl runs, newest first, each with its failures."""
    stmt = select(CrawlRun).options(selectinload(CrawlRun.failures)).order_by(CrawlRun.id.desc())
    if source:
        stmt = stmt.where(CrawlRun.source_id == source)
    if status:
        stmt = stmt.where(CrawlRun.status == status)
    if before_id is not None:
        stmt = stmt.where(CrawlRun.id < before_id)
    limit = max(1, min(limit, MAX_LIMIT))
    return [run_summary(r, failures=True) for r in session.scalars(stmt.limit(limit)).all()]


def articles_per_day(session: Session, *, days: int = 30, today: date | None = None) -> dict[str, dict[str, int]]:
    """{outlet id: {YYYY-MM-DD: articles published that day}} over the last `days` days."""
    end = today or datetime.now(UTC).date()
    start = end - timedelta(days=days - 1)
    counts: dict[str, dict[str, int]] = defaultdict(dict)
    rows = session.execute(
        select(Article.source_id, Article.published_at).where(
            Article.published_at >= datetime.combine(start, datetime.min.time())
        )
    ).all()
    for source_id, published in rows:
        if published is None:
            continue
        day = published.date().isoformat()
        if day <= end.isoformat():
            counts[source_id][day] = counts[source_id].get(day, 0) + 1
    return dict(counts)
