"""Persist an article's extraction: replace what was stored before, inside the caller's transaction.

Rows go in as one multi-row INSERT per table (SQLAlchemy's "insertmanyvalues", with RETURNING for
the parents whose ids the children need), not object by object through the unit of work.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import delete
from sqlalchemy.orm import Session

from db.bulk import insert_returning_ids, insert_rows
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
    """Remove everything extracted from `article_id`.

    Mentions and evidence go with their entity and event: the schema cascades (`ON DELETE CASCADE`,
    and SQLite connections turn foreign keys on in `db.session`).
    """
    session.execute(delete(ExtractedEvent).where(ExtractedEvent.article_id == article_id))
    session.execute(delete(ExtractedEntity).where(ExtractedEntity.article_id == article_id))
    session.execute(delete(ExtractedQuote).where(ExtractedQuote.article_id == article_id))
    session.execute(delete(ArticleTopic).where(ArticleTopic.article_id == article_id))


def save_extraction(session: Session, article_id: int, result: Extraction, *, first_time: bool = False) -> None:
    """Store `result` as the extraction of `article_id`, replacing an earlier one unless `first_time` (no commit)."""
    if not first_time:
        delete_extraction(session, article_id)
    _save_entities(session, article_id, result)
    _save_events(session, article_id, result)
    quotes = [
        {"article_id": article_id, "speaker": q.speaker[:300], "text": q.text, "direct": q.direct,
         "start_offset": q.start, "end_offset": q.end}
        for q in result.quotes
    ]  # fmt: skip
    topics = [
        {"article_id": article_id, "topic": t.topic, "score": float(t.score), "relevant": t.relevant,
         "reasons": list(t.reasons)}
        for t in result.topics
    ]  # fmt: skip
    insert_rows(session, ExtractedQuote, quotes)
    insert_rows(session, ArticleTopic, topics)


def _entity_rows(article_id: int, result: Extraction) -> list[tuple[dict[str, Any], list[Mention]]]:
    rows: list[tuple[dict[str, Any], list[Mention]]] = []
    row: dict[str, Any]
    for p in result.persons:
        row = {"kind": "person", "name": p.name[:300], "kb_id": p.kb_id, "known": p.known, "role": p.role,
               "role_kind": p.role_kind, "wikidata": p.wikidata, "country": p.country, "subtype": None}  # fmt: skip
        rows.append((row, list(p.mentions)))
    for o in result.organizations:
        row = {"kind": "organization", "name": o.name, "kb_id": o.kb_id, "known": True, "role": None,
               "role_kind": None, "wikidata": None, "country": None, "subtype": o.kind}  # fmt: skip
        rows.append((row, list(o.mentions)))
    for pl in result.places:
        row = {"kind": "place", "name": pl.name, "kb_id": pl.kb_id, "known": True, "role": None,
               "role_kind": None, "wikidata": None, "country": pl.country, "subtype": pl.kind}  # fmt: skip
        rows.append((row, list(pl.mentions)))
    return [({**row, "article_id": article_id}, mentions) for row, mentions in rows]


def _save_entities(session: Session, article_id: int, result: Extraction) -> None:
    entities = _entity_rows(article_id, result)
    ids = insert_returning_ids(session, ExtractedEntity, [row for row, _ in entities])
    mentions = [
        {"entity_id": entity_id, "article_id": article_id, "text": m.text[:500], "start_offset": m.start,
         "end_offset": m.end}
        for entity_id, (_, entity_mentions) in zip(ids, entities, strict=True)
        for m in entity_mentions
    ]  # fmt: skip
    insert_rows(session, ExtractedMention, mentions)


def _save_events(session: Session, article_id: int, result: Extraction) -> None:
    rows = [
        {"article_id": article_id, "position": i, "kind": e.kind, "status": e.status, "level": e.level,
         "countries": list(e.countries), "persons": list(e.persons), "location": e.location, "date": e.date,
         "mediator": e.mediator}
        for i, e in enumerate(result.events)
    ]  # fmt: skip
    ids = insert_returning_ids(session, ExtractedEvent, rows)
    evidence = [
        {"event_id": event_id, "text": v.text, "start_offset": v.start, "end_offset": v.end}
        for event_id, e in zip(ids, result.events, strict=True)
        for v in e.evidence
    ]
    insert_rows(session, ExtractedEvidence, evidence)
