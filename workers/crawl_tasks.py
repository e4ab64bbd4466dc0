"""Celery task of the scheduler: every tick, queue a crawl of each source whose interval has passed."""

from __future__ import annotations

from workers.app import app
from workers.scheduling import schedule_due_crawls as queue_due_crawls
from workers.tasks import RETRYING


@app.task(name="rasad.schedule_due_crawls", **RETRYING)
def schedule_due_crawls(profile: str | None = None) -> list[str]:
    """Queue `rasad.crawl_source` for every enabled source that is due; return their ids."""
    return queue_due_crawls(profile)
