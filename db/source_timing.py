"""When each source is due: its adaptive interval from the outlet's activity and the last crawl or queued one.

Read by the scheduler (`workers.scheduling`) and by `rasad sources show`.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from db.crawl_activity import outlet_activity
from db.models import CrawlRun, SourceRow
from db.schedule_models import CrawlSchedule
from db.times import as_utc_or_none
from rasad.scheduling.polling import OutletActivity, PollingBounds, next_interval
from rasad.settings import get_settings

DEFAULT_MIN_INTERVAL = 2  # minutes: a busy outlet's feed (a 304 most times) every 2 minutes at most
DEFAULT_MAX_INTERVAL = 60  # minutes: a quiet outlet is still looked at every hour


@dataclass(frozen=True)
class SourceTiming:
    """A source's schedule as the scheduler sees it."""

    source_id: str
    enabled: bool
    interval_minutes: int  # configured: the start, until the outlet's publishing is known
    last_started: datetime | None  # the later of the last queued crawl and the last crawl run
    next_due: datetime | None  # None when disabled
    current_minutes: float = 0.0  # the adaptive interval now
    reason: str = ""  # why it is what it is
    failing: bool = False  # failing for hours: marked, polled at most every maximum interval


def source_timings(
    session: Session, source_ids: list[str] | None = None, *, now: datetime | None = None
) -> list[SourceTiming]:
    """Enabled flag, interval, last start and next due time (`now` if never crawled) of each source row."""
    now = now or datetime.now(UTC)
    query = select(SourceRow).order_by(SourceRow.id)
    if source_ids is not None:
        query = query.where(SourceRow.id.in_(source_ids))
    rows = session.scalars(query).all()
    last_runs = dict(
        session.execute(select(CrawlRun.source_id, func.max(CrawlRun.started_at)).group_by(CrawlRun.source_id)).all()
    )
    queued = dict(session.execute(select(CrawlSchedule.source_id, CrawlSchedule.last_enqueued_at)).all())
    activity = outlet_activity(session, now)
    timings = []
    for row in rows:
        moments = [
            m for m in (as_utc_or_none(last_runs.get(row.id)), as_utc_or_none(queued.get(row.id))) if m is not None
        ]
        last = max(moments) if moments else None
        decision = next_interval(activity.get(row.id) or _NO_ACTIVITY, polling_bounds(row), now)
        next_due = None
        if row.enabled:
            next_due = last + timedelta(minutes=decision.minutes) if last else now
        timings.append(
            SourceTiming(
                row.id, row.enabled, row.interval_minutes, last, next_due, decision.minutes, decision.reason,
                decision.failing,
            )
        )  # fmt: skip
    return timings


_NO_ACTIVITY = OutletActivity(0, None, 0, None, None)


def polling_bounds(row: SourceRow) -> PollingBounds:
    """The source's configured interval and bounds (sources file, or the defaults around its interval)."""
    config = row.config or {}
    configured = row.interval_minutes
    minimum = config.get("min_interval_minutes") or min(DEFAULT_MIN_INTERVAL, configured)
    maximum = config.get("max_interval_minutes") or max(DEFAULT_MAX_INTERVAL, configured)
    return PollingBounds(configured, minimum, maximum, get_settings().crawl_floor_minutes)


def due_sources(session: Session, source_ids: list[str], now: datetime) -> list[SourceTiming]:
    """The enabled sources among `source_ids` whose interval has passed at `now`."""
    return [t for t in source_timings(session, source_ids, now=now) if t.next_due is not None and t.next_due <= now]


def mark_enqueued(session: Session, source_ids: list[str], now: datetime) -> None:
    """Record that a crawl of each source was queued at `now` (the next one counts from it)."""
    for source_id in source_ids:
        entry = session.get(CrawlSchedule, source_id)
        if entry is None:
            session.add(CrawlSchedule(source_id=source_id, last_enqueued_at=now))
        else:
            entry.last_enqueued_at = now
