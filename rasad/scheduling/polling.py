"""Adaptive polling: how long to wait before the next crawl of an outlet, and why.

Pure arithmetic over what the store knows of an outlet (how often it published lately, when it
last published, how its recent crawls ended), so the policy is tested without a clock or a
database. The idea is Media Cloud's feed fetcher and every polite aggregator's: crawl an outlet at
about half its typical gap between articles (an article then waits a quarter gap on average),
sooner right after it published (news comes in bursts), later through a quiet spell, never
outside the bounds the user set for the source nor under the global floor, and back off from an
outlet that fails or asks us to (Retry-After).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

WINDOW = timedelta(hours=24)  # publications counted to learn the typical gap
BURST_WINDOW = timedelta(hours=1)  # ... and in the last hour, so a burst counts at once
QUIET_FACTOR = 3  # quiet for more than this many typical gaps: wait longer
MAX_BACKOFF_STEPS = 6  # failures double the wait up to 2**6 times (capped by the maximum)
FAILING_AFTER = timedelta(hours=3)  # failing for this long: the source is marked failing


@dataclass(frozen=True, slots=True)
class OutletActivity:
    """What the store knows of an outlet's recent publishing and crawling."""

    published_in_window: int  # articles published in the last WINDOW
    last_published: datetime | None
    consecutive_failures: int  # failed crawl runs since the last one that worked
    failing_since: datetime | None  # start of the first of those failed runs
    retry_after_until: datetime | None  # the outlet asked us to wait until then (429/503 Retry-After)
    published_last_hour: int = 0  # articles published in the last BURST_WINDOW
    first_published: datetime | None = None  # the earliest of those in WINDOW: how far back the store sees


@dataclass(frozen=True, slots=True)
class PollingBounds:
    """Per source (sources file) and global (settings) limits, in minutes."""

    configured: int  # the source's interval_minutes: used until its publishing is known
    minimum: int
    maximum: int
    floor: int  # global politeness floor: no outlet more often than this


@dataclass(frozen=True, slots=True)
class PollingDecision:
    """The wait before the next crawl and the reason, as `rasad sources show` prints it."""

    minutes: float
    reason: str
    failing: bool = False


def next_interval(activity: OutletActivity, bounds: PollingBounds, now: datetime) -> PollingDecision:
    """The wait before the next crawl of an outlet: learned from its publishing, bounded, backed off on failure."""
    low = max(bounds.minimum, bounds.floor)
    high = max(bounds.maximum, low)
    decision = _from_publishing(activity, bounds.configured, now, low, high)
    if activity.consecutive_failures:
        steps = min(activity.consecutive_failures, MAX_BACKOFF_STEPS)
        failing = activity.failing_since is not None and now - activity.failing_since >= FAILING_AFTER
        decision = PollingDecision(
            min(high, decision.minutes * 2**steps),
            f"{decision.reason}; backing off after {activity.consecutive_failures} failed crawl(s)"
            + ("; failing for hours, marked failing" if failing else ""),
            failing,
        )
    if activity.retry_after_until is not None and activity.retry_after_until > now:
        asked = (activity.retry_after_until - now).total_seconds() / 60
        if asked > decision.minutes:
            decision = PollingDecision(
                asked, f"the outlet asked to wait (Retry-After) {asked:.0f} min", decision.failing
            )
    return decision


def _typical_gap(activity: OutletActivity, now: datetime) -> float:
    """Minutes between articles: over the day, or over the last hour when the outlet is busier now.

    The day is the part of it the store has seen: an outlet first crawled an hour ago shows only the
    hour its feed covers, and six articles in that hour are a ten-minute gap, not four hours.
    """
    span = WINDOW
    if activity.first_published is not None:
        span = max(BURST_WINDOW, min(WINDOW, now - activity.first_published))
    gap = span.total_seconds() / 60 / max(1, activity.published_in_window)
    if activity.published_last_hour:
        gap = min(gap, BURST_WINDOW.total_seconds() / 60 / activity.published_last_hour)
    return gap


def _from_publishing(
    activity: OutletActivity, configured: int, now: datetime, low: float, high: float
) -> PollingDecision:
    def clamp(minutes: float) -> float:
        return max(low, min(high, minutes))

    if activity.published_in_window == 0 or activity.last_published is None:
        if activity.last_published is None:
            return PollingDecision(clamp(configured), f"no publication seen yet: configured {configured} min")
        quiet = (now - activity.last_published).total_seconds() / 60
        return PollingDecision(clamp(max(configured, quiet / QUIET_FACTOR)), "nothing published in 24 h: quiet")
    gap = _typical_gap(activity, now)
    since_last = max(0.0, (now - activity.last_published).total_seconds() / 60)
    if since_last > QUIET_FACTOR * gap:
        return PollingDecision(
            clamp(since_last / QUIET_FACTOR),
            f"quiet for {since_last:.0f} min (typical gap {gap:.0f} min)",
        )
    if since_last < gap / 2:
        return PollingDecision(clamp(gap / 4), f"published {since_last:.0f} min ago (typical gap {gap:.0f} min)")
    return PollingDecision(
        clamp(gap / 2), f"{activity.published_in_window} articles in 24 h: typical gap {gap:.0f} min"
    )
