"""Digest timing: cron in the subscriber's time zone."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from rasad.alerts.digest import InvalidSchedule, is_due, latest_slot, next_slot, validate_schedule
from rasad.alerts.messages import first_sentences


def test_slots_are_read_in_the_time_zone() -> None:
    now = datetime(2024, 5, 1, 4, 30, tzinfo=UTC)  # 07:30 in Damascus (UTC+3)
    assert next_slot("0 8 * * *", "Asia/Damascus", now) == datetime(2024, 5, 1, 5, 0, tzinfo=UTC)
    assert latest_slot("0 8 * * *", "Asia/Damascus", now) == datetime(2024, 4, 30, 5, 0, tzinfo=UTC)
    assert latest_slot("0 8 * * *", "Asia/Damascus", datetime(2024, 5, 1, 5, 0, tzinfo=UTC)) == datetime(
        2024, 5, 1, 5, 0, tzinfo=UTC
    )


def test_a_digest_is_due_once_per_slot() -> None:
    created = datetime(2024, 5, 1, 0, 0, tzinfo=UTC)
    before = datetime(2024, 5, 1, 4, 59, tzinfo=UTC)
    after = datetime(2024, 5, 1, 5, 1, tzinfo=UTC)
    assert is_due("0 8 * * *", "Asia/Damascus", last_sent=None, created=created, now=before) is None
    slot = is_due("0 8 * * *", "Asia/Damascus", last_sent=None, created=created, now=after)
    assert slot == datetime(2024, 5, 1, 5, 0, tzinfo=UTC)
    assert is_due("0 8 * * *", "Asia/Damascus", last_sent=slot, created=created, now=after) is None
    naive_sqlite_value = slot.replace(tzinfo=None)
    assert is_due("0 8 * * *", "Asia/Damascus", last_sent=naive_sqlite_value, created=created, now=after) is None


@pytest.mark.parametrize(
    ("cron", "tz", "reason"),
    [
        ("99 * * * *", "UTC", "cron"),
        ("0 8 * * *", "Mars/Base", "time zone"),
        ("0 0 8 * * *", "UTC", "five cron fields"),  # croniter would read the sixth field as seconds
        ("", "UTC", "five cron fields"),
        ("0 8 31 2 *", "UTC", "never fires"),
        ("0 8 30 2 *", "Asia/Damascus", "never fires"),
    ],
)
def test_invalid_schedules(cron: str, tz: str, reason: str) -> None:
    with pytest.raises(InvalidSchedule, match=reason):
        validate_schedule(cron, tz)


def test_two_sentence_summary() -> None:
    body = "الجملة الأولى. الجملة الثانية؟ الجملة الثالثة.\n\nفقرة أخرى."
    assert first_sentences(body) == "الجملة الأولى. الجملة الثانية؟"
    assert first_sentences("عنوان بلا نقطة\nجملة ثانية. ثالثة.") == "عنوان بلا نقطة جملة ثانية."
