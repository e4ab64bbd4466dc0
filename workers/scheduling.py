"""Which sources are due for a crawl: enabled, and their current interval has passed since the last one.

The interval adapts to each outlet (`rasad.scheduling.polling`): learned from how often it
published lately, within the source's bounds and the global floor, backed off when it fails.

The scheduler (Celery beat) has one entry, `rasad.schedule_due_crawls`, every few seconds; each
tick syncs the sources file into the `sources` table (CLI changes there are kept) and queues
`rasad.crawl_source` for each due source. Nothing is cached between ticks, so a changed interval
or enabled flag counts from the next tick.
"""

from __future__ import annotations

import logging
from datetime import UTC, datetime

from db.session import on_commit, session_scope
from db.source_timing import due_sources, mark_enqueued
from db.sources import sync_sources
from rasad.settings import get_settings
from rasad.sources import configured_sources
from workers.dispatch import enqueue_crawl

logger = logging.getLogger(__name__)


def schedule_due_crawls(profile: str | None = None, *, now: datetime | None = None) -> list[str]:
    """Sync the sources file, then queue a crawl of every due source (after commit); return their ids."""
    profile = profile or get_settings().profile
    now = now or datetime.now(UTC)
    sources = configured_sources(profile)
    with session_scope() as session:
        sync_sources(session, sources)
        session.flush()
        due = due_sources(session, [s.id for s in sources], now)
        mark_enqueued(session, [t.source_id for t in due], now)
        jobs = [(t.source_id, max(1, round(t.current_minutes))) for t in due]
        if jobs:
            on_commit(session, lambda: _enqueue(jobs, profile))
    return [source_id for source_id, _ in jobs]


def _enqueue(jobs: list[tuple[str, int]], profile: str) -> None:
    for source_id, interval in jobs:
        enqueue_crawl(source_id, profile, expires_s=interval * 60)
