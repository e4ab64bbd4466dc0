"""What to alert: group articles into stories and name what each article brings that is new.

A story is a first article and everything that tells the same thing: its near-duplicates
(`articles.duplicate_of_id`) and every later report of a development it reported. An article
brings *alert keys*: one per development change it recorded (`dev:12:new`,
`dev:12:status:held`, ...), or `story:N` when it is a relevant article without any extracted
development. A subscriber is told about each key once (`alert_notified_keys` is unique), so a
second outlet reporting the same meeting adds a source to the story and no alert, and a report
that the planned meeting was held is one update.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from db.alert_models import Story, StoryArticle, StoryDevelopment
from db.development_models import Development, DevelopmentChange, DevelopmentSource
from db.developments import ALERTING_CHANGES
from db.models import Article, SourceRow
from rasad.alerts.messages import first_sentences, iso
from rasad.alerts.rules import ArticleFacts, DevelopmentFacts
from rasad.i18n import DEFAULT_LANGUAGE, describe
from rasad.text.arabic import normalize_arabic


def article_developments(session: Session, article_id: int) -> list[Development]:
    """The developments an article reports, oldest first."""
    return list(
        session.scalars(
            select(Development)
            .join(DevelopmentSource, DevelopmentSource.development_id == Development.id)
            .where(DevelopmentSource.article_id == article_id)
            .order_by(Development.id)
        ).all()
    )


def article_changes(session: Session, article_id: int) -> list[DevelopmentChange]:
    """The alerting changes (new, status, date, location, level) an article made to developments."""
    return list(
        session.scalars(
            select(DevelopmentChange)
            .where(DevelopmentChange.article_id == article_id, DevelopmentChange.change.in_(ALERTING_CHANGES))
            .order_by(DevelopmentChange.id)
        ).all()
    )


def change_key(change: DevelopmentChange) -> str:
    """The alert key of a development change: the same change is never told twice."""
    if change.change == "new":
        return f"dev:{change.development_id}:new"
    return f"dev:{change.development_id}:{change.change}:{change.new_value or ''}"[:200]


def assign_story(session: Session, article: Article) -> Story:
    """The article's story: its first copy's, else that of a development it reports, else a new one."""
    existing = session.scalar(
        select(Story).join(StoryArticle, StoryArticle.story_id == Story.id).where(StoryArticle.article_id == article.id)
    )
    developments = article_developments(session, article.id)
    story = existing or _story_of_copies(session, article) or _story_of_developments(session, developments)
    if story is None:
        story = Story(first_article_id=article.id, title=article.title or "")
        session.add(story)
        session.flush()
    if existing is None:
        session.add(StoryArticle(story_id=story.id, article_id=article.id))
    claimed = set(
        session.scalars(
            select(StoryDevelopment.development_id).where(
                StoryDevelopment.development_id.in_([d.id for d in developments])
            )
        ).all()
    )
    session.add_all(
        StoryDevelopment(story_id=story.id, development_id=d.id) for d in developments if d.id not in claimed
    )
    session.flush()
    return story


def _story_of_copies(session: Session, article: Article) -> Story | None:
    root = article.duplicate_of_id
    if root is None:
        return None
    copies = select(Article.id).where((Article.id == root) | (Article.duplicate_of_id == root))
    return session.scalar(
        select(Story)
        .join(StoryArticle, StoryArticle.story_id == Story.id)
        .where(StoryArticle.article_id.in_(copies))
        .order_by(Story.id)
        .limit(1)
    )


def _story_of_developments(session: Session, developments: list[Development]) -> Story | None:
    if not developments:
        return None
    return session.scalar(
        select(Story)
        .join(StoryDevelopment, StoryDevelopment.story_id == Story.id)
        .where(StoryDevelopment.development_id.in_([d.id for d in developments]))
        .order_by(Story.id)
        .limit(1)
    )


def alert_keys(session: Session, article: Article, story: Story) -> list[str]:
    """What this article may alert about: its development changes, or the story when it has no development."""
    keys = [change_key(c) for c in article_changes(session, article.id)]
    if not keys and not article_developments(session, article.id):
        keys = [f"story:{story.id}"]
    return list(dict.fromkeys(keys))


def article_facts(session: Session, article: Article) -> ArticleFacts:
    """The facts rules are matched against."""
    developments = article_developments(session, article.id)
    return ArticleFacts(
        source_id=article.source_id,
        relevance=float(article.relevance or 0.0),
        topics=tuple(article.topics or ()),
        text_normalized=normalize_arabic(f"{article.title or ''}\n{article.body or ''}"),
        developments=tuple(
            DevelopmentFacts(d.kind, d.status, tuple(d.countries or ()), tuple(d.persons or ())) for d in developments
        ),
    )


def story_sources(session: Session, story: Story) -> list[dict[str, Any]]:
    """Every article of the story (outlet, title, link, time), first report first."""
    rows = session.execute(
        select(Article, SourceRow.name)
        .join(StoryArticle, StoryArticle.article_id == Article.id)
        .outerjoin(SourceRow, SourceRow.id == Article.source_id)
        .where(StoryArticle.story_id == story.id)
        .order_by(Article.id)
    ).all()
    return [
        {
            "article_id": a.id,
            "outlet": name or a.source_id,
            "outlet_id": a.source_id,
            "title": a.title,
            "url": a.url,
            "published_at": iso(a.published_at),
        }
        for a, name in rows
    ]


def alert_item(
    session: Session,
    article: Article,
    story: Story,
    keys: list[str],
    *,
    kind: str,
    in_reply_to: str | None,
    language: str = DEFAULT_LANGUAGE,
) -> dict[str, Any]:
    """The alert for one article in the subscriber's language: title, outlet, time, developments, summary, links.

    Fixed when raised (every retry sends the same message); the changes keep their stored values
    and are worded when the message is written.
    """
    source = session.get(SourceRow, article.source_id)
    developments = article_developments(session, article.id)
    changes = [c for c in article_changes(session, article.id) if change_key(c) in keys]
    sources = story_sources(session, story)
    return {
        "kind": kind,
        "story_id": story.id,
        "article_id": article.id,
        "title": article.title,
        "outlet": source.name if source else article.source_id,
        "outlet_id": article.source_id,
        "url": article.url,
        "published_at": iso(article.published_at),
        "topics": list(article.topics or []),
        "relevance": round(float(article.relevance or 0.0), 3),
        "language": language,
        "developments": [describe(d, language) for d in developments],
        "development_ids": [d.id for d in developments],
        "changes": [
            {"development_id": c.development_id, "change": c.change, "old": c.old_value, "new": c.new_value}
            for c in changes
        ],
        "summary": first_sentences(article.body or ""),
        "sources": sources,
        "links": list(dict.fromkeys([article.url, *(s["url"] for s in sources)])),
        "keys": keys,
        "in_reply_to": in_reply_to,
    }
