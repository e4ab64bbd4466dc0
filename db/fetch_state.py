"""Reads and writes of the crawler's conditional-request state (`fetch_validators`)."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import UTC, datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from db.schedule_models import FetchValidator


@dataclass(frozen=True, slots=True)
class Validators:
    """What a discovery URL answered when it last changed."""

    etag: str | None
    last_modified: str | None
    body_sha256: str | None


def load_validators(session: Session, source_id: str) -> dict[str, Validators]:
    """Every discovery URL of a source with its validators, keyed by the URL as requested."""
    rows = session.scalars(select(FetchValidator).where(FetchValidator.source_id == source_id))
    return {row.url: Validators(row.etag, row.last_modified, row.body_sha256) for row in rows}


def save_validators(session: Session, source_id: str, changed: Mapping[str, Validators]) -> None:
    """Insert or replace the validators of the URLs whose answer changed in this crawl."""
    if not changed:
        return
    existing = {
        row.url: row for row in session.scalars(select(FetchValidator).where(FetchValidator.url.in_(list(changed))))
    }
    now = datetime.now(UTC)
    for url, new in changed.items():
        row = existing.get(url) or FetchValidator(url=url, source_id=source_id)
        row.etag, row.last_modified, row.body_sha256, row.changed_at = new.etag, new.last_modified, new.body_sha256, now
        session.add(row)
