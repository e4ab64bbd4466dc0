"""Who and what an article names, from the extraction tables (`db.extraction_models`).

Person, place and country filters use the stored entities: a person is matched by KB id (so
every spelling counts, and short forms only where the extractor resolved them), a person the KB
lacks by the name the extractor gave; a country matches the places of that country.
"""

from __future__ import annotations

from collections import defaultdict
from typing import Any

from sqlalchemy import Select, or_, select
from sqlalchemy.orm import Session, selectinload

from db.development_models import Development, DevelopmentSource
from db.extraction_models import ExtractedEntity, ExtractedEvent, ExtractedQuote
from db.models import Article
from db.queries.kb import resolve_country, resolve_person, resolve_place


def articles_mentioning(session: Session, kind: str, value: str) -> Select | None:
    """SELECT article ids naming the person, place or country `value` (None: nothing can match)."""
    ids = select(ExtractedEntity.article_id)
    if kind == "person":
        person = resolve_person(value)
        ids = ids.where(ExtractedEntity.kind == "person")
        if person is not None:
            return ids.where(ExtractedEntity.kb_id == person.id)
        return ids.where(ExtractedEntity.name == value)
    if kind == "place":
        place = resolve_place(value)
        if place is None:
            return None
        return ids.where(ExtractedEntity.kind == "place", ExtractedEntity.kb_id == place.id)
    country = resolve_country(value)
    if country is None:
        return None
    return ids.where(
        ExtractedEntity.kind == "place",
        or_(ExtractedEntity.country == country.code, ExtractedEntity.kb_id == f"country:{country.code}"),
    )


def _mentions(entity: ExtractedEntity) -> list[dict[str, Any]]:
    return [
        {"text": m.text, "start": m.start_offset, "end": m.end_offset}
        for m in sorted(entity.mentions, key=lambda m: m.start_offset)
    ]


def article_extraction(session: Session, article: Article) -> dict[str, Any]:
    """Entities with their mentions, events with evidence, and quotes of an article."""
    grouped: dict[str, list[dict[str, Any]]] = defaultdict(list)
    entities = session.scalars(
        select(ExtractedEntity)
        .options(selectinload(ExtractedEntity.mentions))
        .where(ExtractedEntity.article_id == article.id)
        .order_by(ExtractedEntity.id)
    ).all()
    for e in entities:
        key = {"person": "persons", "place": "places"}.get(e.kind, "organizations")
        grouped[key].append(
            {"name": e.name, "kb_id": e.kb_id, "role": e.role, "country": e.country, "kind": e.subtype,
             "mentions": _mentions(e)}
        )  # fmt: skip
    events = session.scalars(
        select(ExtractedEvent)
        .options(selectinload(ExtractedEvent.evidence))
        .where(ExtractedEvent.article_id == article.id)
        .order_by(ExtractedEvent.position, ExtractedEvent.id)
    ).all()
    quotes = session.scalars(
        select(ExtractedQuote).where(ExtractedQuote.article_id == article.id).order_by(ExtractedQuote.start_offset)
    ).all()
    return {
        "persons": grouped["persons"],
        "places": grouped["places"],
        "organizations": grouped["organizations"],
        "events": [
            {
                "kind": e.kind,
                "status": e.status,
                "level": e.level,
                "countries": list(e.countries or []),
                "persons": list(e.persons or []),
                "location": e.location,
                "date": e.date,
                "mediator": e.mediator,
                "evidence": [{"text": v.text, "start": v.start_offset, "end": v.end_offset} for v in e.evidence],
            }
            for e in events
        ],
        "quotes": [
            {"speaker": q.speaker, "text": q.text, "start": q.start_offset, "end": q.end_offset, "direct": q.direct}
            for q in quotes
        ],
    }


def article_developments(session: Session, article_id: int) -> list[dict[str, Any]]:
    """The developments (timeline events) this article is a source of."""
    rows = session.execute(
        select(Development, DevelopmentSource.status, DevelopmentSource.evidence)
        .join(DevelopmentSource, DevelopmentSource.development_id == Development.id)
        .where(DevelopmentSource.article_id == article_id)
        .order_by(Development.id)
    ).all()
    return [
        {"id": d.id, "summary": d.summary, "status": d.status, "reported_status": status, "evidence": evidence}
        for d, status, evidence in rows
    ]
