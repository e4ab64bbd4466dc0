"""A summary of the service's health for `rasad status` (and the API's health endpoint)."""

from __future__ import annotations

from dataclasses import dataclass, field

from db.crawl_history import SourceHealth, last_runs
from db.models import PageState
from db.pages import QuarantinedPage, count_by_state, quarantined_pages
from db.session import session_scope
from rasad.settings import Settings
from workers.app import app
from workers.queue import queue_depth

QUARANTINED_SHOWN = 10


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
        sources = last_runs(session)
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
