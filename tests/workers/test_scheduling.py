"""Which sources are due, and CLI-managed state (enabled, interval) surviving the sync from the file."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from sqlalchemy import select

from db import source_admin
from db.models import CrawlRun, SourceRow
from db.session import session_scope
from rasad.sources import SourcesError
from workers import scheduling as due

FIXTURE_IDS = {"orient", "arabi21", "alaraby", "syriatv", "syrian-wp"}


@pytest.fixture
def queued(embedded_env: Path, monkeypatch: pytest.MonkeyPatch) -> list[tuple[str, int]]:
    """Crawls the scheduler queues (captured instead of sent to the broker)."""
    sent: list[tuple[str, int]] = []
    monkeypatch.setattr(due, "_enqueue", lambda jobs, profile: sent.extend(jobs))
    return sent


def test_every_source_is_due_at_first_then_after_its_interval(queued: list[tuple[str, int]]) -> None:
    now = datetime(2024, 5, 1, 12, 0, tzinfo=UTC)
    assert set(due.schedule_due_crawls("fixtures", now=now)) == FIXTURE_IDS
    assert due.schedule_due_crawls("fixtures", now=now + timedelta(minutes=5)) == []
    intervals = {s.source.id: s.interval_minutes for s in source_states("fixtures")}
    assert intervals["orient"] == 20
    assert "orient" in due.schedule_due_crawls("fixtures", now=now + timedelta(minutes=20))


def test_a_recent_crawl_run_counts_as_the_last_crawl(queued: list[tuple[str, int]]) -> None:
    now = datetime.now(UTC)
    due.schedule_due_crawls("fixtures", now=now - timedelta(days=1))
    with session_scope() as session:
        session.add(CrawlRun(source_id="orient", profile="fixtures", started_at=now - timedelta(minutes=1)))
    assert "orient" not in due.schedule_due_crawls("fixtures", now=now)


def test_disable_enable_and_interval_take_effect_at_the_next_tick(queued: list[tuple[str, int]]) -> None:
    now = datetime(2024, 5, 1, 12, 0, tzinfo=UTC)
    set_enabled("fixtures", "orient", False)
    set_interval("fixtures", "syriatv", 5)
    assert "orient" not in due.schedule_due_crawls("fixtures", now=now)
    assert due.schedule_due_crawls("fixtures", now=now + timedelta(minutes=5)) == ["syriatv"]
    set_enabled("fixtures", "orient", True)
    assert "orient" in due.schedule_due_crawls("fixtures", now=now + timedelta(minutes=6))
    with session_scope() as session:  # the sync from the file kept the CLI's values
        assert session.get(SourceRow, "syriatv").interval_minutes == 5  # type: ignore[union-attr]


def test_the_file_wins_when_the_file_itself_changes(queued: list[tuple[str, int]], tmp_path: Path,
                                                    monkeypatch: pytest.MonkeyPatch) -> None:  # fmt: skip
    from rasad.sources.loader import default_sources_path
    from tests.conftest import apply_env

    sources_file = tmp_path / "sources.yaml"
    original = default_sources_path().read_text(encoding="utf-8")
    sources_file.write_text(original, encoding="utf-8")
    apply_env(monkeypatch, RASAD_SOURCES_FILE=str(sources_file))
    set_interval("live", "orient", 7)
    due.schedule_due_crawls("live")
    with session_scope() as session:
        assert session.get(SourceRow, "orient").interval_minutes == 7  # type: ignore[union-attr]
    sources_file.write_text(original.replace("interval_minutes: 20", "interval_minutes: 45", 1), encoding="utf-8")
    due.schedule_due_crawls("live")
    with session_scope() as session:
        assert session.get(SourceRow, "orient").interval_minutes == 45  # type: ignore[union-attr]


def test_unknown_sources_and_bad_intervals_are_refused(embedded_env: Path) -> None:
    with pytest.raises(SourcesError, match="unknown source"):
        set_enabled("fixtures", "nosuch", False)
    with pytest.raises(SourcesError, match="interval"):
        set_interval("fixtures", "orient", 0)


def test_sources_outside_the_profile_are_not_scheduled(queued: list[tuple[str, int]]) -> None:
    due.schedule_due_crawls("live")
    with session_scope() as session:
        assert len(session.scalars(select(SourceRow.id)).all()) > 5
    queued.clear()
    assert set(due.schedule_due_crawls("fixtures", now=datetime.now(UTC) + timedelta(days=1))) == FIXTURE_IDS


def source_states(profile: str) -> list[source_admin.SourceState]:
    with session_scope() as session:
        return source_admin.source_states(session, profile)


def set_enabled(profile: str, source_id: str, enabled: bool) -> None:
    with session_scope() as session:
        source_admin.set_enabled(session, profile, source_id, enabled)


def set_interval(profile: str, source_id: str, minutes: int) -> None:
    with session_scope() as session:
        source_admin.set_interval(session, profile, source_id, minutes)
