"""Sources at run time: their schedule state, enabled or not, their interval.

The sources file stays the truth for configuration (`rasad.sources.editing` adds to it); the
`sources` table holds the run-time state (enabled, interval) that the CLI changes and the scheduler
reads at every tick. The caller owns the session (and commits).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy.orm import Session

from db.models import SourceRow
from db.source_timing import SourceTiming, source_timings
from db.sources import sync_sources
from rasad.sources import Source, SourcesError, configured_sources


@dataclass(frozen=True)
class SourceState:
    """A source's configuration with its run-time state."""

    source: Source
    enabled: bool
    interval_minutes: int
    last_started: datetime | None
    next_due: datetime | None
    current_minutes: float = 0.0  # adaptive polling: the interval now, and why
    reason: str = ""
    failing: bool = False


def source_states(session: Session, profile: str) -> list[SourceState]:
    """Every configured source with the state the scheduler uses (synced from the file first)."""
    sources = configured_sources(profile)
    sync_sources(session, sources)
    session.flush()
    timings = {t.source_id: t for t in source_timings(session, [s.id for s in sources])}
    return [_state(s, timings[s.id]) for s in sources]


def _state(source: Source, t: SourceTiming) -> SourceState:
    return SourceState(
        source, t.enabled, t.interval_minutes, t.last_started, t.next_due, t.current_minutes, t.reason, t.failing
    )


def _row(session: Session, profile: str, source_id: str) -> SourceRow:
    sources = configured_sources(profile)
    if source_id not in {s.id for s in sources}:
        raise SourcesError(f"unknown source {source_id!r}; known: {', '.join(sorted(s.id for s in sources))}")
    sync_sources(session, sources)
    session.flush()
    row = session.get(SourceRow, source_id)
    assert row is not None
    return row


def set_enabled(session: Session, profile: str, source_id: str, enabled: bool) -> None:
    """Enable or disable scheduled crawls of a source (from the next scheduler tick after the commit)."""
    _row(session, profile, source_id).enabled = enabled


def set_interval(session: Session, profile: str, source_id: str, minutes: int) -> None:
    """Crawl a source every `minutes` (from the next scheduler tick after the commit)."""
    if not 1 <= minutes <= 7 * 24 * 60:
        raise SourcesError(f"interval must be between 1 and {7 * 24 * 60} minutes, got {minutes}")
    _row(session, profile, source_id).interval_minutes = minutes
