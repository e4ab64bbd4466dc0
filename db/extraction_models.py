"""Extraction tables: entities (KB-linked or not), their mentions, events with evidence,
quotes and per-topic relevance of each article. Replaced per article by
`db.extraction_store.save_extraction`.
"""

from __future__ import annotations

from sqlalchemy import JSON, Boolean, Float, ForeignKey, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from db.base import Base


class ExtractedEntity(Base):
    """A person, organization or place of one article; `kb_id` is null for people the KB lacks."""

    __tablename__ = "extraction_entities"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    article_id: Mapped[int] = mapped_column(ForeignKey("articles.id", ondelete="CASCADE"), index=True)
    kind: Mapped[str] = mapped_column(String(16))  # person | organization | place
    name: Mapped[str] = mapped_column(String(300), index=True)
    kb_id: Mapped[str | None] = mapped_column(String(100), index=True)
    known: Mapped[bool] = mapped_column(Boolean, default=True)
    role: Mapped[str | None] = mapped_column(String(300))
    role_kind: Mapped[str | None] = mapped_column(String(64))
    wikidata: Mapped[str | None] = mapped_column(String(32))
    country: Mapped[str | None] = mapped_column(String(2))
    subtype: Mapped[str | None] = mapped_column(String(32))  # place kind or organization kind

    mentions: Mapped[list[ExtractedMention]] = relationship(
        back_populates="entity", cascade="all, delete-orphan", passive_deletes=True
    )


class ExtractedMention(Base):
    """Where an entity is named: offsets into the article's body."""

    __tablename__ = "extraction_mentions"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    entity_id: Mapped[int] = mapped_column(ForeignKey("extraction_entities.id", ondelete="CASCADE"), index=True)
    article_id: Mapped[int] = mapped_column(ForeignKey("articles.id", ondelete="CASCADE"), index=True)
    text: Mapped[str] = mapped_column(String(500))
    start_offset: Mapped[int] = mapped_column(Integer)
    end_offset: Mapped[int] = mapped_column(Integer)

    entity: Mapped[ExtractedEntity] = relationship(back_populates="mentions")


class ExtractedEvent(Base):
    """A meeting or call reported by one article."""

    __tablename__ = "extraction_events"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    article_id: Mapped[int] = mapped_column(ForeignKey("articles.id", ondelete="CASCADE"), index=True)
    position: Mapped[int] = mapped_column(Integer, default=0)
    kind: Mapped[str] = mapped_column(String(16))
    status: Mapped[str] = mapped_column(String(16), index=True)
    level: Mapped[str] = mapped_column(String(32), index=True)
    countries: Mapped[list[str]] = mapped_column(JSON, default=list)
    persons: Mapped[list[str]] = mapped_column(JSON, default=list)
    location: Mapped[str | None] = mapped_column(String(200))
    date: Mapped[str | None] = mapped_column(String(10), index=True)  # YYYY-MM-DD | YYYY-MM | YYYY
    mediator: Mapped[str | None] = mapped_column(String(2))

    evidence: Mapped[list[ExtractedEvidence]] = relationship(
        back_populates="event", cascade="all, delete-orphan", passive_deletes=True
    )


class ExtractedEvidence(Base):
    """A sentence reporting an event, with its offsets in the body."""

    __tablename__ = "extraction_event_evidence"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    event_id: Mapped[int] = mapped_column(ForeignKey("extraction_events.id", ondelete="CASCADE"), index=True)
    text: Mapped[str] = mapped_column(Text)
    start_offset: Mapped[int] = mapped_column(Integer)
    end_offset: Mapped[int] = mapped_column(Integer)

    event: Mapped[ExtractedEvent] = relationship(back_populates="evidence")


class ExtractedQuote(Base):
    """Words attributed to a person."""

    __tablename__ = "extraction_quotes"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    article_id: Mapped[int] = mapped_column(ForeignKey("articles.id", ondelete="CASCADE"), index=True)
    speaker: Mapped[str] = mapped_column(String(300), index=True)
    text: Mapped[str] = mapped_column(Text)
    direct: Mapped[bool] = mapped_column(Boolean, default=True)
    start_offset: Mapped[int] = mapped_column(Integer)
    end_offset: Mapped[int] = mapped_column(Integer)


class ArticleTopic(Base):
    """Relevance of an article to a topic, with the reasons that fired."""

    __tablename__ = "article_topics"
    __table_args__ = (UniqueConstraint("article_id", "topic", name="uq_article_topics_article_id_topic"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    article_id: Mapped[int] = mapped_column(ForeignKey("articles.id", ondelete="CASCADE"))  # the unique index leads
    topic: Mapped[str] = mapped_column(String(100), index=True)
    score: Mapped[float] = mapped_column(Float)
    relevant: Mapped[bool] = mapped_column(Boolean, index=True)
    reasons: Mapped[list[str]] = mapped_column(JSON, default=list)
