"""The per-article record: an `alerts` row for each topic a relevant article is about, once per story.

It records which articles were found relevant (unique per article and topic, so retries never
write twice); what subscribers receive is decided by `workers.alerting.fan_out`.
"""

from __future__ import annotations

import logging

from sqlalchemy import select
from sqlalchemy.orm import Session

from db.models import Alert, Article, SourceRow

logger = logging.getLogger("rasad.alerts")


def alert_summary(article: Article, outlet: str) -> str:
    """One line: outlet, date, title."""
    date = article.published_at.date().isoformat() if article.published_at else "undated"
    return f"[{outlet}] {date} — {article.title or '(untitled)'}"


def record_alert(session: Session, article_id: int, topic: str) -> str | None:
    """Add the alert row of `article_id` for `topic`; its summary, or None when the article is gone.

    The row is unique per article and topic: a second one fails at the caller's commit.
    """
    article = session.get(Article, article_id)
    if article is None:
        return None
    source = session.get(SourceRow, article.source_id)
    summary = alert_summary(article, source.name if source else article.source_id)
    session.add(Alert(article_id=article_id, topic=topic, relevance=article.relevance, summary=summary))
    return summary


def relevant_article(session: Session, article_id: int) -> Article | None:
    """The article, when it exists and is relevant."""
    article = session.get(Article, article_id)
    return article if article is not None and article.relevant else None


def topics_to_alert(session: Session, article_id: int) -> list[str]:
    """The topics the article is relevant to that its story has not alerted yet (through another copy)."""
    article = relevant_article(session, article_id)
    if article is None:
        return []
    topics = list(article.topics or [])
    if article.duplicate_of_id is not None:
        # The story already alerted through its first copy (or will): do not repeat it.
        story_ids = [article.duplicate_of_id]
        story_ids += session.scalars(
            select(Article.id).where(Article.duplicate_of_id == article.duplicate_of_id, Article.id != article_id)
        ).all()
        already = set(session.scalars(select(Alert.topic).where(Alert.article_id.in_(story_ids))).all())
        topics = [t for t in topics if t not in already]
    return topics
