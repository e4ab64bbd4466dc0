"""Digest timing: a cron expression read in the subscriber's time zone (croniter + zoneinfo)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from croniter import CroniterBadDateError, croniter


class InvalidSchedule(ValueError):
    """A digest schedule that cannot be used; the message says why."""


CRON_FIELDS = 5  # minute hour day month weekday: croniter reads a sixth field as seconds, which digests never mean


def validate_schedule(cron: str, tz: str) -> tuple[str, str]:
    """Return (cron, tz) when both are valid and the schedule ever fires; raise `InvalidSchedule` naming the problem."""
    cron = " ".join(cron.split())
    if len(cron.split()) != CRON_FIELDS or not croniter.is_valid(cron):
        raise InvalidSchedule(
            f"invalid digest schedule {cron!r}: expected five cron fields (minute hour day month weekday), "
            "like '0 8 * * *'"
        )
    try:
        ZoneInfo(tz)
    except (ZoneInfoNotFoundError, ValueError) as exc:
        raise InvalidSchedule(f"unknown time zone {tz!r}: expected an IANA name like 'Asia/Damascus'") from exc
    try:
        next_slot(cron, tz, datetime.now(UTC))
    except (CroniterBadDateError, ValueError) as exc:
        raise InvalidSchedule(f"digest schedule {cron!r} never fires (no such date, e.g. 31 February)") from exc
    return cron, tz


def as_utc(moment: datetime) -> datetime:
    """An aware UTC datetime (SQLite returns naive values, which are UTC)."""
    return moment.replace(tzinfo=UTC) if moment.tzinfo is None else moment.astimezone(UTC)


def latest_slot(cron: str, tz: str, now: datetime) -> datetime:
    """The most recent scheduled moment at or before `now`, in UTC."""
    local_now = as_utc(now).astimezone(ZoneInfo(tz))
    # get_prev is strictly before its start: start a second later so a slot equal to `now` counts.
    return as_utc(croniter(cron, local_now + timedelta(seconds=1)).get_prev(datetime))


def next_slot(cron: str, tz: str, after: datetime) -> datetime:
    """The first scheduled moment after `after`, in UTC."""
    local = as_utc(after).astimezone(ZoneInfo(tz))
    return as_utc(croniter(cron, local).get_next(datetime))


def is_due(cron: str, tz: str, *, last_sent: datetime | None, created: datetime, now: datetime) -> datetime | None:
    """The slot a digest is due for (a slot passed since it was last sent, or since creation), else None."""
    slot = latest_slot(cron, tz, now)
    since = as_utc(last_sent or created)
    return slot if slot > since else None
