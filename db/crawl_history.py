"""Crawl history: each run with its counts (pages fetched, new articles, rejections by reason, errors), and skips."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from db.models import Article, CrawlFailure, CrawlRun, PageState, RawPage, SourceRow
from db.schedule_models import CrawlSkip
from db.times import as_utc


@dataclass
class SourceHealth:
    """The last crawl of one outlet."""

    source_id: str
    enabled: bool
    last_run_at: datetime | None
    last_status: str | None
    last_new: int
    last_errors: int


def last_runs(session: Session) -> list[SourceHealth]:
    """Every source with its latest crawl run (none yet: no time, no status, zero counts), by source id."""
    latest = select(CrawlRun.source_id, func.max(CrawlRun.id).label("run_id")).group_by(CrawlRun.source_id).subquery()
    rows = session.execute(
        select(SourceRow, CrawlRun)
        .outerjoin(latest, latest.c.source_id == SourceRow.id)
        .outerjoin(CrawlRun, CrawlRun.id == latest.c.run_id)
        .order_by(SourceRow.id)
    ).all()
    return [
        SourceHealth(
            source_id=row.id,
            enabled=row.enabled,
            last_run_at=run.started_at if run else None,
            last_status=run.status.value if run else None,
            last_new=run.new_pages if run else 0,
            last_errors=run.errors_count if run else 0,
        )
        for row, run in rows
    ]


@dataclass(frozen=True)
class HistoryEntry:
    """One line of the crawl history: a run, or a crawl skipped because the previous one overran."""

    source_id: str
    started_at: datetime
    status: str
    run_id: int | None = None
    finished_at: datetime | None = None
    pages_fetched: int = 0
    new_pages: int = 0
    new_articles: int = 0
    rejected: dict[str, int] = field(default_factory=dict)
    errors: int = 0
    note: str = ""

    @property
    def seconds(self) -> float | None:
        """How long the run took."""
        if self.finished_at is None:
            return None
        return (as_utc(self.finished_at) - as_utc(self.started_at)).total_seconds()

    def as_dict(self) -> dict[str, object]:
        """JSON-friendly form."""
        return {
            "source": self.source_id, "run_id": self.run_id, "status": self.status,
            "started_at": as_utc(self.started_at).isoformat(),
            "finished_at": as_utc(self.finished_at).isoformat() if self.finished_at else None,
            "pages_fetched": self.pages_fetched, "new_pages": self.new_pages, "new_articles": self.new_articles,
            "rejected": self.rejected, "errors": self.errors, "note": self.note,
        }  # fmt: skip


def crawl_history(session: Session, *, source_id: str | None = None, limit: int = 20) -> list[HistoryEntry]:
    """The latest runs and skips, newest first."""
    runs_query = select(CrawlRun).order_by(CrawlRun.id.desc()).limit(limit)
    skips_query = select(CrawlSkip).order_by(CrawlSkip.id.desc()).limit(limit)
    if source_id:
        runs_query = runs_query.where(CrawlRun.source_id == source_id)
        skips_query = skips_query.where(CrawlSkip.source_id == source_id)
    runs = session.scalars(runs_query).all()
    run_ids = [r.id for r in runs]
    articles = dict(
        session.execute(
            select(RawPage.crawl_run_id, func.count(Article.id))
            .join(Article, Article.raw_page_id == RawPage.id)
            .where(RawPage.crawl_run_id.in_(run_ids))
            .group_by(RawPage.crawl_run_id)
        ).all()
    )
    rejected: dict[int, dict[str, int]] = {}
    for run_id, reason, count in session.execute(
        select(RawPage.crawl_run_id, RawPage.reject_reason, func.count())
        .where(RawPage.crawl_run_id.in_(run_ids), RawPage.state == PageState.REJECTED)
        .group_by(RawPage.crawl_run_id, RawPage.reject_reason)
    ).all():
        if run_id is not None:
            rejected.setdefault(run_id, {})[reason or "unknown"] = count
    failures = dict(
        session.execute(
            select(CrawlFailure.run_id, func.count())
            .where(CrawlFailure.run_id.in_(run_ids))
            .group_by(CrawlFailure.run_id)
        ).all()
    )
    entries = [
        HistoryEntry(
            source_id=r.source_id,
            started_at=r.started_at,
            status=r.status.value,
            run_id=r.id,
            finished_at=r.finished_at,
            pages_fetched=r.pages_fetched,
            new_pages=r.new_pages,
            new_articles=articles.get(r.id, 0),
            rejected=rejected.get(r.id, {}),
            errors=max(r.errors_count, failures.get(r.id, 0)),
        )
        for r in runs
    ]
    entries += [
        HistoryEntry(source_id=s.source_id, started_at=s.at, status="skipped", note=s.reason)
        for s in session.scalars(skips_query).all()
    ]
    entries.sort(key=lambda e: as_utc(e.started_at), reverse=True)
    return entries[:limit]
