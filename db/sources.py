"""Mirror the sources file into the `sources` table, which crawl runs and pages refer to."""

from __future__ import annotations

import logging

from pydantic import ValidationError
from sqlalchemy.orm import Session

from db.models import SourceRow
from rasad.sources.models import Source

logger = logging.getLogger(__name__)


def sync_sources(session: Session, sources: list[Source]) -> None:
    """Insert or update one row per source (the file is the truth for configuration)."""
    for source in sources:
        row = session.get(SourceRow, source.id)
        if row is None:
            row = SourceRow(id=source.id)
            session.add(row)
        row.name = source.name
        row.language = source.language
        row.base_url = source.base_url
        # enabled and interval are run-time state (`rasad sources enable|disable|set-interval`): the file
        # overrides the table only when the file's own value changed since the last sync.
        last_synced = row.config or {}
        if row.enabled is None or last_synced.get("enabled") != source.enabled:
            row.enabled = source.enabled
        if row.interval_minutes is None or last_synced.get("interval_minutes") != source.interval_minutes:
            row.interval_minutes = source.interval_minutes
        row.verified = source.verified
        row.config = source.model_dump(mode="json")


def source_from_row(row: SourceRow) -> Source:
    """The configuration a page was crawled with, as stored on its source row.

    A row stored before today's validation (an invalid selector, say) is read without the fields
    that fail, so its pages are still processed.
    """
    try:
        return Source.model_validate(row.config)
    except ValidationError as exc:
        bad = {str(error["loc"][0]) for error in exc.errors() if error["loc"]}
        logger.warning("source %s: stored configuration no longer valid (%s); read without it", row.id, bad)
        defaults = {"id": row.id, "name": row.name or row.id, "base_url": row.base_url}
        config = {key: value for key, value in (row.config or {}).items() if key not in bad}
        try:
            return Source.model_validate(defaults | config)
        except ValidationError:
            return Source.model_construct(**(defaults | (row.config or {})))
