"""The soft deadline a pool process keeps by itself (workers/deadline.py)."""

from __future__ import annotations

import threading
import time

import pytest
from billiard.exceptions import SoftTimeLimitExceeded

from workers.deadline import soft_deadline


def test_a_try_that_overruns_its_deadline_raises_soft_time_limit_exceeded() -> None:
    started = time.monotonic()
    with pytest.raises(SoftTimeLimitExceeded), soft_deadline(0.2):
        time.sleep(5)
    assert time.monotonic() - started < 2


def test_a_try_within_its_deadline_is_untouched_and_the_timer_is_disarmed() -> None:
    with soft_deadline(0.5):
        value = sum(range(1000))
    time.sleep(0.7)  # the timer was cancelled: nothing fires after the block
    assert value == 499500


def test_off_the_main_thread_and_without_a_limit_it_is_a_no_op() -> None:
    outcome: list[str] = []

    def run() -> None:
        with soft_deadline(0.1):
            time.sleep(0.3)
        outcome.append("done")

    worker = threading.Thread(target=run)
    worker.start()
    worker.join()
    with soft_deadline(None):
        time.sleep(0.05)
    assert outcome == ["done"]
