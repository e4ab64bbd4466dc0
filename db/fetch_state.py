"""Reads and writes of the crawler's conditional-request state (`fetch_validators`)."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import UTC, datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from db.schedule_models import FetchValidator
from db.times import as_utc


@dataclass(frozen=True, slots=True)
class Validators:
    """What a discovery URL answered when it last changed."""

    etag: str | None
    last_modified: str | None
    body_sha256: str | None


def load_validators(session: Session, source_id: str) -> dict[str, Validators]:
    """Every discovery URL of a source with its validators, keyed by the URL as requested."""
    return load_fetch_state(session, source_id)[0]


def load_fetch_state(session: Session, source_id: str) -> tuple[dict[str, Validators], dict[str, Discovery]]:
    """A source's validators and the feeds and sitemaps remembered for it, from one read of its rows."""
    validators: dict[str, Validators] = {}
    discovered: dict[str, Discovery] = {}
    for row in session.scalars(select(FetchValidator).where(FetchValidator.source_id == source_id)):
        validators[row.url] = Validators(row.etag, row.last_modified, row.body_sha256)
        if row.discovered_as is not None and row.discovered_at is not None:
            discovered[row.url] = Discovery(row.discovered_as, as_utc(row.discovered_at))
    return validators, discovered


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
    return load_fetch_state(session, source_id)[1]


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
