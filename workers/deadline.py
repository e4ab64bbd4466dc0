"""A soft deadline that a pool process keeps by itself.

Celery's prefork pool enforces `task_soft_time_limit` from a timeout thread in the worker's main
process, which signals the child. Under load that thread has been seen not to fire for minutes (a
hanging page then holds its pool process until the hard limit, or forever), so each try of a page
also arms a timer in the child itself: the same `SoftTimeLimitExceeded`, whatever the parent does.
"""

from __future__ import annotations

import signal
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from types import FrameType

from billiard.exceptions import SoftTimeLimitExceeded


@contextmanager
def soft_deadline(seconds: float | None) -> Iterator[None]:
    """Raise `SoftTimeLimitExceeded` in this block after `seconds` (no-op off the main thread or without a limit)."""
    if not seconds or seconds <= 0 or threading.current_thread() is not threading.main_thread():
        yield  # the solo and threads pools run tasks where signals cannot be delivered
        return

    def expired(signum: int, frame: FrameType | None) -> None:
        raise SoftTimeLimitExceeded(f"soft time limit ({seconds:g}s) exceeded")

    previous = signal.signal(signal.SIGALRM, expired)
    signal.setitimer(signal.ITIMER_REAL, seconds)
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)
