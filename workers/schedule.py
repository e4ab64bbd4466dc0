"""Celery beat entries from the sources data: one periodic crawl per enabled source."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from rasad.sources import Source


def crawl_schedule(sources: list[Source], profile: str) -> dict[str, dict[str, Any]]:
    """A `beat_schedule` mapping: crawl each enabled source every `interval_minutes`."""
    return {
        f"crawl-{source.id}": {
            "task": "rasad.crawl_source",
            "schedule": timedelta(minutes=source.interval_minutes),
            "args": (source.id, profile),
            # A crawl that has not started within one interval is stale; the next one replaces it.
            "options": {"expires": source.interval_minutes * 60},
        }
        for source in sources
        if source.enabled
    }
