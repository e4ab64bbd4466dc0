"""Persist an article's extraction: replace what was stored before, inside the caller's transaction."""

from __future__ import annotations

from collections.abc import Iterable

from sqlalchemy import delete
from sqlalchemy.orm import Session

from db.extraction_models import (
    ArticleTopic,
    ExtractedEntity,
    ExtractedEvent,
    ExtractedEvidence,
    ExtractedMention,
    ExtractedQuote,
)
from rasad.extraction.model import Extraction, Mention


def delete_extraction(session: Session, article_id: int) -> None:
    """Remove everything extracted from `article_id` (children first, for databases without cascades)."""
    event_ids = session.query(ExtractedEvent.id).filter(ExtractedEvent.article_id == article_id)
    session.execute(delete(ExtractedEvidence).where(ExtractedEvidence.event_id.in_(event_ids.scalar_subquery())))
    session.execute(delete(ExtractedEvent).where(ExtractedEvent.article_id == article_id))
    session.execute(delete(ExtractedMention).where(ExtractedMention.article_id == article_id))
    session.execute(delete(ExtractedEntity).where(ExtractedEntity.article_id == article_id))
    session.execute(delete(ExtractedQuote).where(ExtractedQuote.article_id == article_id))
    session.execute(delete(ArticleTopic).where(ArticleTopic.article_id == article_id))


def _mentions(article_id: int, mentions: Iterable[Mention]) -> list[ExtractedMention]:
    """Mention rows of one entity (text capped at the column's size)."""
    return [
        ExtractedMention(article_id=article_id, text=m.text[:500], start_offset=m.start, end_offset=m.end)
        for m in mentions
    ]


def save_extraction(session: Session, article_id: int, result: Extraction) -> None:
    """Replace the stored extraction of `article_id` with `result` (delete + insert; no commit)."""
    delete_extraction(session, article_id)
    rows: list[object] = []
    for p in result.persons:
        entity = ExtractedEntity(
            article_id=article_id,
            kind="person",
            name=p.name[:300],
            kb_id=p.kb_id,
            known=p.known,
            role=p.role,
            role_kind=p.role_kind,
            wikidata=p.wikidata,
            country=p.country,
        )
        entity.mentions = _mentions(article_id, p.mentions)
        rows.append(entity)
    for o in result.organizations:
        entity = ExtractedEntity(
            article_id=article_id, kind="organization", name=o.name, kb_id=o.kb_id, known=True, subtype=o.kind
        )
        entity.mentions = _mentions(article_id, o.mentions)
        rows.append(entity)
    for pl in result.places:
        entity = ExtractedEntity(
            article_id=article_id,
            kind="place",
            name=pl.name,
            kb_id=pl.kb_id,
            known=True,
            country=pl.country,
            subtype=pl.kind,
        )
        entity.mentions = _mentions(article_id, pl.mentions)
        rows.append(entity)
    for i, e in enumerate(result.events):
        event = ExtractedEvent(
            article_id=article_id,
            position=i,
            kind=e.kind,
            status=e.status,
            level=e.level,
            countries=list(e.countries),
            persons=list(e.persons),
            location=e.location,
            date=e.date,
            mediator=e.mediator,
        )
        event.evidence = [ExtractedEvidence(text=v.text, start_offset=v.start, end_offset=v.end) for v in e.evidence]
        rows.append(event)
    for q in result.quotes:
        rows.append(
            ExtractedQuote(
                article_id=article_id,
                speaker=q.speaker[:300],
                text=q.text,
                direct=q.direct,
                start_offset=q.start,
                end_offset=q.end,
            )
        )
    for t in result.topics:
        rows.append(
            ArticleTopic(
                article_id=article_id, topic=t.topic, score=float(t.score), relevant=t.relevant, reasons=list(t.reasons)
            )
        )
    session.add_all(rows)
    session.flush()
