"""Core tables: sources, crawl runs and their failures, raw pages, articles, alerts.

Extraction tables (entities, mentions, events, quotes, topics) live in `db.extraction_models`.
"""

from __future__ import annotations

import enum
from datetime import UTC, datetime

from sqlalchemy import (
    JSON,
    Boolean,
    DateTime,
    Enum,
    Float,
    ForeignKey,
    Index,
    Integer,
    LargeBinary,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from db.base import Base


def utcnow() -> datetime:
    """Timezone-aware now, the default of every timestamp column."""
    return datetime.now(UTC)


class PageState(enum.StrEnum):
    """Where a raw page is in the processing chain."""

    PENDING = "pending"
    PROCESSED = "processed"
    REJECTED = "rejected"
    FAILED = "failed"  # the last try raised; tried again until `RASAD_MAX_ATTEMPTS`
    QUARANTINED = "quarantined"  # killed its worker or failed too often: never sent again by itself


class RunStatus(enum.StrEnum):
    """Outcome of a crawl run."""

    RUNNING = "running"
    OK = "ok"
    PARTIAL = "partial"
    FAILED = "failed"


class SourceRow(Base):
    """An outlet as last synced from the sources file, with its run-time state."""

    __tablename__ = "sources"

    id: Mapped[str] = mapped_column(String(64), primary_key=True)
    name: Mapped[str] = mapped_column(String(200))
    language: Mapped[str] = mapped_column(String(8), default="ar")
    base_url: Mapped[str] = mapped_column(String(500))
    enabled: Mapped[bool] = mapped_column(Boolean, default=True)
    verified: Mapped[bool] = mapped_column(Boolean, default=False)
    interval_minutes: Mapped[int] = mapped_column(Integer, default=30)
    config: Mapped[dict] = mapped_column(JSON, default=dict)
    updated_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow, onupdate=utcnow)


class CrawlRun(Base):
    """One crawl of one source: what it fetched, what was new, what failed."""

    __tablename__ = "crawl_runs"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    source_id: Mapped[str] = mapped_column(ForeignKey("sources.id"), index=True)
    profile: Mapped[str] = mapped_column(String(20), default="live")
    status: Mapped[RunStatus] = mapped_column(Enum(RunStatus, native_enum=False, length=20), default=RunStatus.RUNNING)
    started_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    finished_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    pages_fetched: Mapped[int] = mapped_column(Integer, default=0)
    new_pages: Mapped[int] = mapped_column(Integer, default=0)
    skipped_known: Mapped[int] = mapped_column(Integer, default=0)
    errors_count: Mapped[int] = mapped_column(Integer, default=0)
    stats: Mapped[dict] = mapped_column(JSON, default=dict)

    failures: Mapped[list[CrawlFailure]] = relationship(
        back_populates="run", cascade="all, delete-orphan", order_by="CrawlFailure.id"
    )


class CrawlFailure(Base):
    """A URL a crawl could not use, and why (HTTP status, timeout, not XML, not HTML, ...)."""

    __tablename__ = "crawl_failures"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    run_id: Mapped[int] = mapped_column(ForeignKey("crawl_runs.id", ondelete="CASCADE"), index=True)
    url: Mapped[str] = mapped_column(Text)
    kind: Mapped[str] = mapped_column(String(40))
    reason: Mapped[str] = mapped_column(Text)
    at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)

    run: Mapped[CrawlRun] = relationship(back_populates="failures")


class RawPage(Base):
    """A fetched article page, stored compressed, keyed by its canonical URL."""

    __tablename__ = "raw_pages"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    source_id: Mapped[str] = mapped_column(ForeignKey("sources.id"), index=True)
    crawl_run_id: Mapped[int | None] = mapped_column(ForeignKey("crawl_runs.id", ondelete="SET NULL"))
    url: Mapped[str] = mapped_column(Text, unique=True)
    fetched_url: Mapped[str] = mapped_column(Text)
    http_status: Mapped[int] = mapped_column(Integer)
    content_type: Mapped[str | None] = mapped_column(String(200))
    declared_encoding: Mapped[str | None] = mapped_column(String(40))
    body_gz: Mapped[bytes] = mapped_column(LargeBinary)
    body_sha256: Mapped[str] = mapped_column(String(64))
    discovered_via: Mapped[str | None] = mapped_column(String(40))
    fetched_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    state: Mapped[PageState] = mapped_column(
        Enum(PageState, native_enum=False, length=20), default=PageState.PENDING, index=True
    )
    reject_reason: Mapped[str | None] = mapped_column(String(40))
    reject_detail: Mapped[str | None] = mapped_column(Text)
    # Tries started, committed before each try begins (so a try that kills its worker still counts).
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    last_attempt_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    last_error: Mapped[str | None] = mapped_column(Text)
    processed_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))


class Article(Base):
    """A cleaned article: the exact text of the story and its metadata."""

    __tablename__ = "articles"
    __table_args__ = (Index("ix_articles_source_published", "source_id", "published_at"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    raw_page_id: Mapped[int] = mapped_column(ForeignKey("raw_pages.id", ondelete="CASCADE"), unique=True)
    source_id: Mapped[str] = mapped_column(ForeignKey("sources.id"))  # indexed by ix_articles_source_published
    url: Mapped[str] = mapped_column(Text, unique=True)
    title: Mapped[str | None] = mapped_column(Text)
    body: Mapped[str] = mapped_column(Text)
    body_normalized: Mapped[str] = mapped_column(Text)
    language: Mapped[str | None] = mapped_column(String(8))
    authors: Mapped[list] = mapped_column(JSON, default=list)
    published_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True), index=True)
    content_hash: Mapped[str] = mapped_column(String(64), index=True)
    minhash: Mapped[bytes | None] = mapped_column(LargeBinary)
    duplicate_of_id: Mapped[int | None] = mapped_column(ForeignKey("articles.id", ondelete="SET NULL"))
    relevant: Mapped[bool] = mapped_column(Boolean, default=False, index=True)
    relevance: Mapped[float] = mapped_column(Float, default=0.0)
    topics: Mapped[list] = mapped_column(JSON, default=list)  # ids of the topics it is relevant to
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow, onupdate=utcnow)


class ArticleBand(Base):
    """One MinHash LSH band key of an article: equal keys make near-duplicate candidates."""

    __tablename__ = "article_bands"
    __table_args__ = (UniqueConstraint("article_id", "band"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    article_id: Mapped[int] = mapped_column(ForeignKey("articles.id", ondelete="CASCADE"))
    band: Mapped[str] = mapped_column(String(80), index=True)


class Alert(Base):
    """A notification raised for an article on a topic; unique so a retry never alerts twice."""

    __tablename__ = "alerts"
    __table_args__ = (UniqueConstraint("article_id", "topic"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    article_id: Mapped[int] = mapped_column(ForeignKey("articles.id", ondelete="CASCADE"), index=True)
    topic: Mapped[str] = mapped_column(String(64))
    relevance: Mapped[float] = mapped_column(Float)
    summary: Mapped[str] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
