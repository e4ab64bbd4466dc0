"""Alert tables: subscriptions, stories, the notifications they raised and their deliveries.

The unit of an alert is a story (near-duplicates and articles about the same development). A
subscriber hears about each development change once: `alert_notified_keys` is unique per
subscription and key ("dev:12:new", "dev:12:status:held", "story:7"), so neither a retried task
nor a restart can alert twice. The per-article `alerts` table of `db.models` stays as the record
of which articles were found relevant; these tables are what users receive.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import JSON, Boolean, DateTime, ForeignKey, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from db.base import Base
from db.models import utcnow


class Subscription(Base):
    """Who wants to hear about what: a rule, a channel, and instant or digest delivery."""

    __tablename__ = "alert_subscriptions"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    name: Mapped[str] = mapped_column(String(100), unique=True)
    enabled: Mapped[bool] = mapped_column(Boolean, default=True)
    rule: Mapped[dict] = mapped_column(JSON, default=dict)  # rasad.alerts.rules.Rule as JSON
    channel: Mapped[str] = mapped_column(String(20))  # webhook | email | apprise
    target: Mapped[str] = mapped_column(Text)  # URL, e-mail address or Apprise URL
    secret: Mapped[str | None] = mapped_column(String(200))  # webhook HMAC key
    digest_cron: Mapped[str | None] = mapped_column(String(100))  # None: instant
    digest_tz: Mapped[str | None] = mapped_column(String(64))
    language: Mapped[str] = mapped_column(String(8), default="ar", server_default="ar")  # of its messages
    last_digest_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)


class Story(Base):
    """Articles that tell one story: near-duplicates and reports of the same developments."""

    __tablename__ = "alert_stories"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    first_article_id: Mapped[int | None] = mapped_column(ForeignKey("articles.id", ondelete="SET NULL"))
    title: Mapped[str] = mapped_column(Text, default="")
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)


class StoryArticle(Base):
    """An article's place in a story (each article belongs to one story)."""

    __tablename__ = "alert_story_articles"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    story_id: Mapped[int] = mapped_column(ForeignKey("alert_stories.id", ondelete="CASCADE"), index=True)
    article_id: Mapped[int] = mapped_column(ForeignKey("articles.id", ondelete="CASCADE"), unique=True)
    added_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)


class StoryDevelopment(Base):
    """A development's story: later reports of it join that story."""

    __tablename__ = "alert_story_developments"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    story_id: Mapped[int] = mapped_column(ForeignKey("alert_stories.id", ondelete="CASCADE"), index=True)
    development_id: Mapped[int] = mapped_column(ForeignKey("developments.id", ondelete="CASCADE"), unique=True)


class Delivery(Base):
    """One message to one subscriber's channel, with its delivery state (the delivery log)."""

    __tablename__ = "alert_deliveries"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    subscription_id: Mapped[int] = mapped_column(ForeignKey("alert_subscriptions.id", ondelete="CASCADE"), index=True)
    idempotency_key: Mapped[str] = mapped_column(String(200), unique=True)
    kind: Mapped[str] = mapped_column(String(10))  # new | update | digest | test
    status: Mapped[str] = mapped_column(String(20), default="pending", index=True)
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    last_error: Mapped[str | None] = mapped_column(Text)
    payload: Mapped[dict] = mapped_column(JSON, default=dict)  # the message, fixed at creation
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    last_attempt_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    delivered_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))


class Notification(Base):
    """What one article told one subscriber: a story's first alert or an update to it."""

    __tablename__ = "alert_notifications"
    __table_args__ = (UniqueConstraint("subscription_id", "article_id"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    subscription_id: Mapped[int] = mapped_column(ForeignKey("alert_subscriptions.id", ondelete="CASCADE"))
    story_id: Mapped[int] = mapped_column(ForeignKey("alert_stories.id", ondelete="CASCADE"), index=True)
    article_id: Mapped[int | None] = mapped_column(ForeignKey("articles.id", ondelete="SET NULL"))
    kind: Mapped[str] = mapped_column(String(10))  # new | update
    parent_id: Mapped[int | None] = mapped_column(ForeignKey("alert_notifications.id", ondelete="SET NULL"))
    payload: Mapped[dict] = mapped_column(JSON, default=dict)
    delivery_id: Mapped[int | None] = mapped_column(
        ForeignKey("alert_deliveries.id", ondelete="SET NULL"), index=True
    )  # None while waiting for its digest
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)


class NotifiedKey(Base):
    """A development change (or an undeveloped story) a subscriber has been told about."""

    __tablename__ = "alert_notified_keys"
    __table_args__ = (UniqueConstraint("subscription_id", "key"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    subscription_id: Mapped[int] = mapped_column(ForeignKey("alert_subscriptions.id", ondelete="CASCADE"))
    key: Mapped[str] = mapped_column(String(200))
    notification_id: Mapped[int] = mapped_column(ForeignKey("alert_notifications.id", ondelete="CASCADE"), index=True)
