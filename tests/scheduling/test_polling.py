"""Adaptive polling: sooner for a busy outlet or right after it published, later when quiet or failing."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session
from typer.testing import CliRunner

from db.models import Article, CrawlRun, RawPage, RunStatus
from db.session import session_scope
from db.source_timing import source_timings
from rasad.cli.main import app
from rasad.scheduling.polling import OutletActivity, PollingBounds, next_interval
from workers import scheduling as due

NOW = datetime(2024, 5, 1, 12, 0, tzinfo=UTC)
BOUNDS = PollingBounds(configured=20, minimum=2, maximum=60, floor=1)


def activity(count: int = 0, last_minutes_ago: float | None = None, **kw: object) -> OutletActivity:
    last = NOW - timedelta(minutes=last_minutes_ago) if last_minutes_ago is not None else None
    return OutletActivity(count, last, kw.get("failures", 0), kw.get("since"), kw.get("retry"))  # type: ignore[arg-type]


def test_unknown_outlet_keeps_its_configured_interval() -> None:
    decision = next_interval(activity(), BOUNDS, NOW)
    assert decision.minutes == 20 and "configured" in decision.reason


def test_a_busy_outlet_is_polled_at_half_its_gap_and_sooner_right_after_it_published() -> None:
    busy = next_interval(activity(count=96, last_minutes_ago=10), BOUNDS, NOW)  # every 15 min
    assert busy.minutes == 7.5 and "typical gap 15 min" in busy.reason
    burst = next_interval(activity(count=96, last_minutes_ago=2), BOUNDS, NOW)
    assert burst.minutes == pytest.approx(3.75) and "published 2 min ago" in burst.reason
    flood = next_interval(activity(count=2000, last_minutes_ago=0), BOUNDS, NOW)
    assert flood.minutes == 2  # never under the source's minimum


def test_a_burst_in_the_last_hour_counts_at_once() -> None:
    burst = OutletActivity(6, NOW - timedelta(minutes=7), 0, None, None, published_last_hour=6)  # 6 in an hour
    decision = next_interval(burst, BOUNDS, NOW)
    assert decision.minutes == 5 and "typical gap 10 min" in decision.reason  # not 24 h / 6 = 4 h


def test_the_gap_is_learned_over_the_time_the_store_has_seen() -> None:
    # six articles over the 70 minutes a new outlet's feed covered: a gap of about 12 min, not 24 h / 6
    seen = OutletActivity(6, NOW - timedelta(minutes=40), 0, None, None, 0, NOW - timedelta(minutes=70))
    decision = next_interval(seen, BOUNDS, NOW)
    assert "typical gap 12 min" in decision.reason and decision.minutes == pytest.approx(40 / 3)  # quiet: 3 gaps
    short = OutletActivity(2, NOW - timedelta(minutes=1), 0, None, None, 2, NOW - timedelta(minutes=3))
    assert "typical gap 30 min" in next_interval(short, BOUNDS, NOW).reason  # at least an hour is assumed


def test_quiet_outlets_wait_longer_within_the_maximum() -> None:
    quiet = next_interval(activity(count=24, last_minutes_ago=300), BOUNDS, NOW)  # hourly, silent for 5 h
    assert quiet.minutes == 60 and "quiet for 300 min" in quiet.reason
    silent = next_interval(activity(count=0, last_minutes_ago=3 * 24 * 60), BOUNDS, NOW)
    assert silent.minutes == 60 and "quiet" in silent.reason


def test_failures_back_off_and_mark_the_source_after_hours() -> None:
    once = next_interval(activity(count=96, last_minutes_ago=10, failures=1, since=NOW), BOUNDS, NOW)
    assert once.minutes == 15 and not once.failing and "1 failed crawl" in once.reason
    long = next_interval(
        activity(count=96, last_minutes_ago=10, failures=12, since=NOW - timedelta(hours=4)), BOUNDS, NOW
    )
    assert long.minutes == 60 and long.failing and "marked failing" in long.reason


def test_retry_after_and_the_global_floor() -> None:
    asked = next_interval(activity(count=96, last_minutes_ago=10, retry=NOW + timedelta(minutes=45)), BOUNDS, NOW)
    assert asked.minutes == 45 and "Retry-After" in asked.reason
    floor = PollingBounds(configured=1, minimum=1, maximum=60, floor=5)
    assert next_interval(activity(count=2000, last_minutes_ago=0), floor, NOW).minutes == 5


def _article(session: Session, source: str, n: int, published: datetime) -> None:
    page = RawPage(source_id=source, url=f"https://x.example/{source}/{n}", fetched_url="u", http_status=200,
                   body_gz=b"", body_sha256="0" * 64)  # fmt: skip
    session.add(page)
    session.flush()
    session.add(Article(raw_page_id=page.id, source_id=source, url=page.url, body="b", body_normalized="b",
                        content_hash=str(n), published_at=published))  # fmt: skip


def test_the_scheduler_learns_from_the_store(embedded_env: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(due, "_enqueue", lambda jobs, profile: None)
    now = datetime.now(UTC).replace(microsecond=0)
    due.schedule_due_crawls("fixtures", now=now - timedelta(hours=1))  # rows for the fixture sources
    with session_scope() as session:
        for n in range(48):  # orient: every 30 minutes over the last day, the last 20 minutes ago
            _article(session, "orient", n, now - timedelta(minutes=20 + 30 * n))
        session.flush()
        first, *others = session.scalars(select(Article).where(Article.source_id == "orient").order_by(Article.id))
        for copy in others[::2]:  # wire copy and republished stories are publications of the outlet too
            copy.duplicate_of_id = first.id
        for minutes_ago in (50, 30, 10):
            session.add(CrawlRun(source_id="syriatv", profile="fixtures", status=RunStatus.FAILED,
                                 started_at=now - timedelta(minutes=minutes_ago)))  # fmt: skip
    with session_scope() as session:
        timings = {t.source_id: t for t in source_timings(session, now=now)}
    # 48 articles over the 1430 minutes since the first of the day: a gap of 29.8 min, polled at half of it
    assert timings["orient"].current_minutes == pytest.approx(1430 / 48 / 2)
    assert "typical gap 30 min" in timings["orient"].reason
    assert timings["syriatv"].current_minutes == 60 and "3 failed crawl(s)" in timings["syriatv"].reason
    assert timings["alaraby"].current_minutes == 20  # nothing known: its configured interval
    result = CliRunner().invoke(app, ["sources", "show", "orient", "--profile", "fixtures"])
    assert result.exit_code == 0 and "polling now: every 14.9 min" in result.output, result.output
