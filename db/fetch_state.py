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


@dataclass(frozen=True, slots=True)
class Discovery:
    """A feed or sitemap the outlet named (home page, robots.txt), and when it last named it."""

    kind: str  # "feed" or "sitemap"
    at: datetime


def load_discoveries(session: Session, source_id: str) -> dict[str, Discovery]:
    """The feeds and sitemaps remembered for a source, keyed by URL."""
    rows = session.scalars(
        select(FetchValidator).where(FetchValidator.source_id == source_id, FetchValidator.discovered_as.is_not(None))
    )
    return {row.url: Discovery(row.discovered_as or "", _aware(row.discovered_at)) for row in rows}


def save_discoveries(session: Session, source_id: str, found: Mapping[str, str], *, complete: bool) -> None:
    """Remember the feeds and sitemaps named in this crawl (URL -> kind).

    `complete`: the outlet's home page and robots.txt were both read in full, so a remembered
    endpoint they no longer name is forgotten (it stays a plain conditional URL). A crawl that
    found its remembered endpoints failing passes `complete` with nothing found: all are forgotten
    and the next crawl looks again.
    """
    rows = {
        row.url: row for row in session.scalars(select(FetchValidator).where(FetchValidator.source_id == source_id))
    }
    now = datetime.now(UTC)
    for url, kind in found.items():
        row = rows.get(url) or FetchValidator(url=url, source_id=source_id, changed_at=now)
        row.discovered_as, row.discovered_at = kind, now
        session.add(row)
    if complete:
        for url, row in rows.items():
            if row.discovered_as is not None and url not in found:
                row.discovered_as = row.discovered_at = None


def _aware(moment: datetime | None) -> datetime:
    if moment is None:
        return datetime(1970, 1, 1, tzinfo=UTC)
    return moment.replace(tzinfo=UTC) if moment.tzinfo is None else moment
