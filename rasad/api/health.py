"""A summary of the service's health for `rasad status` (and the API's health endpoint)."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

from sqlalchemy import func, select

from db.models import CrawlRun, PageState, SourceRow
from db.pages import QuarantinedPage, count_by_state, quarantined_pages
from db.session import session_scope
from rasad.settings import Settings
from workers.app import app
from workers.queue import queue_depth

QUARANTINED_SHOWN = 10


@dataclass
class SourceHealth:
    """The last crawl of one outlet."""

    source_id: str
    enabled: bool
    last_run_at: datetime | None
    last_status: str | None
    last_new: int
    last_errors: int


@dataclass
class Health:
    """Queue, processing backlog, per-outlet crawl outcomes and live workers."""

    queue_depth: int | None
    pending_pages: int
    failed_pages: int
    quarantined_pages: int = 0
    quarantined: list[QuarantinedPage] = field(default_factory=list)  # the first few, oldest first
    sources: list[SourceHealth] = field(default_factory=list)
    workers: list[str] = field(default_factory=list)
    workers_checked: bool = False


def collect_health(settings: Settings, *, ping_workers: bool = True) -> Health:
    """Read the store and the broker; ask workers for a heartbeat when `ping_workers`."""
    with session_scope() as session:
        states = count_by_state(session)
        quarantined = quarantined_pages(session, limit=QUARANTINED_SHOWN)
        latest = (
            select(CrawlRun.source_id, func.max(CrawlRun.id).label("run_id")).group_by(CrawlRun.source_id).subquery()
        )
        rows = session.execute(
            select(SourceRow, CrawlRun)
            .outerjoin(latest, latest.c.source_id == SourceRow.id)
            .outerjoin(CrawlRun, CrawlRun.id == latest.c.run_id)
            .order_by(SourceRow.id)
        ).all()
        sources = [
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
    health = Health(
        queue_depth=queue_depth(settings),
        pending_pages=states[PageState.PENDING],
        failed_pages=states[PageState.FAILED],
        quarantined_pages=states[PageState.QUARANTINED],
        quarantined=quarantined,
        sources=sources,
    )
    if ping_workers:
        health.workers, health.workers_checked = _ping_workers()
    return health


def _ping_workers() -> tuple[list[str], bool]:

    try:
        replies = app.control.ping(timeout=1.0) or []
    except Exception:  # a broker without broadcast support, or down
        return [], False
    return sorted(name for reply in replies for name in reply), True
