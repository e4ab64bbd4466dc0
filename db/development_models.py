"""Developments: real-world meetings and calls, each once, merged across articles and outlets.

An extracted event belongs to one article; a development is what analysts mean by "the Moscow
meeting of 25 April": every article that reports it is a source, and its status moves from
proposed to planned to held as the story unfolds.
"""

from __future__ import annotations

import datetime as dt

from sqlalchemy import JSON, Date, DateTime, ForeignKey, Index, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from db.base import Base
from db.models import utcnow


class Development(Base):
    """One real-world meeting or call, as known so far."""

    __tablename__ = "developments"
    __table_args__ = (Index("ix_developments_kind_countries", "kind", "countries_key"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    kind: Mapped[str] = mapped_column(String(20))  # meeting | call
    status: Mapped[str] = mapped_column(String(20))  # proposed | planned | held
    level: Mapped[str | None] = mapped_column(String(40))
    countries: Mapped[list] = mapped_column(JSON, default=list)  # sorted ISO alpha-2 codes
    countries_key: Mapped[str] = mapped_column(String(120))  # "IR,RU,SY,TR": indexable form of countries
    persons: Mapped[list] = mapped_column(JSON, default=list)  # canonical names
    location: Mapped[str | None] = mapped_column(String(200))
    date: Mapped[str | None] = mapped_column(String(10))  # ISO date or YYYY-MM, as precise as known
    date_start: Mapped[dt.date | None] = mapped_column(Date, index=True)  # first day the date can mean
    mediator: Mapped[str | None] = mapped_column(String(2))
    topics: Mapped[list] = mapped_column(JSON, default=list)  # topics of the articles that report it
    summary: Mapped[str] = mapped_column(Text, default="")
    first_reported_on: Mapped[dt.date | None] = mapped_column(Date)  # publication date of the first report
    first_article_id: Mapped[int | None] = mapped_column(ForeignKey("articles.id", ondelete="SET NULL"))
    first_seen_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    updated_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True), default=utcnow, onupdate=utcnow)

    sources: Mapped[list[DevelopmentSource]] = relationship(
        back_populates="development", cascade="all, delete-orphan", order_by="DevelopmentSource.id"
    )
    changes: Mapped[list[DevelopmentChange]] = relationship(
        back_populates="development", cascade="all, delete-orphan", order_by="DevelopmentChange.id"
    )


class DevelopmentSource(Base):
    """An article that reports a development, with what it said (status, evidence)."""

    __tablename__ = "development_sources"
    __table_args__ = (UniqueConstraint("development_id", "article_id"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    # The unique (development_id, article_id) index serves lookups by development.
    development_id: Mapped[int] = mapped_column(ForeignKey("developments.id", ondelete="CASCADE"))
    article_id: Mapped[int] = mapped_column(ForeignKey("articles.id", ondelete="CASCADE"), index=True)
    status: Mapped[str] = mapped_column(String(20))
    evidence: Mapped[str] = mapped_column(Text, default="")
    added_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True), default=utcnow)

    development: Mapped[Development] = relationship(back_populates="sources")


class DevelopmentChange(Base):
    """What an article changed about a development: created it, moved its status, dated or placed it."""

    __tablename__ = "development_changes"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    development_id: Mapped[int] = mapped_column(ForeignKey("developments.id", ondelete="CASCADE"), index=True)
    article_id: Mapped[int | None] = mapped_column(ForeignKey("articles.id", ondelete="SET NULL"), index=True)
    change: Mapped[str] = mapped_column(String(20))  # new | status | date | location | level | persons
    old_value: Mapped[str | None] = mapped_column(Text)
    new_value: Mapped[str | None] = mapped_column(Text)
    at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True), default=utcnow)

    development: Mapped[Development] = relationship(back_populates="changes")
