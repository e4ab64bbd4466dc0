"""The scheduler's beat entries: a fixed set of ticks; what is due is decided from the database at each tick."""

from __future__ import annotations

from typing import Any

DEFAULT_TICK_SECONDS = 10.0  # adaptive intervals go down to a minute: look often (each tick is a few queries)


def service_schedule(profile: str, tick_seconds: float = DEFAULT_TICK_SECONDS) -> dict[str, dict[str, Any]]:
    """A `beat_schedule`: due crawls and due digests every tick; sweepers every few minutes."""
    # A tick not picked up before the next one is useless: let it expire.
    tick = {"expires": max(tick_seconds, 1.0)}
    return {
        "schedule-due-crawls": {
            "task": "rasad.schedule_due_crawls", "schedule": tick_seconds, "args": (profile,), "options": tick,
        },
        "send-due-digests": {"task": "rasad.send_due_digests", "schedule": tick_seconds, "options": tick},
        "requeue-deliveries": {"task": "rasad.requeue_deliveries", "schedule": 300.0, "options": {"expires": 300}},
        "requeue-pending-pages": {"task": "rasad.requeue_pending", "schedule": 600.0, "options": {"expires": 600}},
    }  # fmt: skip
