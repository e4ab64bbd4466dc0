"""Scheduling state: when each source was last sent to crawl, crawl locks, and skipped crawls.

A source's interval and enabled flag live on `sources`; these tables hold what the scheduler
needs besides. `crawl_locks` is the embedded default's lock (Redis holds it in production).
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import DateTime, ForeignKey, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from db.base import Base
from db.models import utcnow


class CrawlSchedule(Base):
    """When the scheduler last queued a crawl of a source."""

    __tablename__ = "crawl_schedule"

    source_id: Mapped[str] = mapped_column(ForeignKey("sources.id", ondelete="CASCADE"), primary_key=True)
    last_enqueued_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))


class CrawlLock(Base):
    """A source being crawled right now (embedded mode): held by `token` until `expires_at`."""

    __tablename__ = "crawl_locks"

    source_id: Mapped[str] = mapped_column(String(64), primary_key=True)
    token: Mapped[str] = mapped_column(String(64))
    expires_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))


class CrawlSkip(Base):
    """A crawl that did not start because the previous one of the same source was still running."""

    __tablename__ = "crawl_skips"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    source_id: Mapped[str] = mapped_column(ForeignKey("sources.id", ondelete="CASCADE"), index=True)
    at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    reason: Mapped[str] = mapped_column(Text)


class FetchValidator(Base):
    """What a discovery URL (feed, sitemap, listing or home page) answered last time it changed.

    The crawler sends `etag` and `last_modified` back (If-None-Match, If-Modified-Since); an
    answer 304, or a body with the same SHA-256 where the outlet sends no validators, means
    nothing new there. A feed the home page names, or a sitemap robots.txt names, is remembered
    (`discovered_as`, `discovered_at`): later crawls read it first and the home page only when it
    is not enough, and look again for what the outlet names once a day.
    """

    __tablename__ = "fetch_validators"

    url: Mapped[str] = mapped_column(String(2000), primary_key=True)
    source_id: Mapped[str] = mapped_column(ForeignKey("sources.id", ondelete="CASCADE"), index=True)
    etag: Mapped[str | None] = mapped_column(String(500))
    last_modified: Mapped[str | None] = mapped_column(String(100))
    body_sha256: Mapped[str | None] = mapped_column(String(64))
    changed_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    discovered_as: Mapped[str | None] = mapped_column(String(16))  # "feed" or "sitemap": found, not configured
    discovered_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))  # last named by the outlet
