"""People and places of the knowledge base, with the articles and events that name them."""

from __future__ import annotations

from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from db.development_models import Development
from db.queries.articles import ArticleFilters, find_articles
from db.queries.events import EventFilters, find_events
from db.queries.kb import resolve_person, resolve_place, role_history
from db.queries.sql import dialect_of, json_array_contains
from rasad.search.aliases import load_kb


def person_summary(person: Any) -> dict[str, Any]:
    """The list form of a KB person."""
    current = person.role_at(None)
    return {
        "id": person.id,
        "name": person.name,
        "country": person.country,
        "arabic_names": list(person.names),
        "short_names": list(person.short),
        "wikidata": person.wikidata,
        "current_role": current.label if current else None,
    }


def list_persons(session: Session, *, country: str | None = None, q: str | None = None) -> list[dict[str, Any]]:
    """KB persons (optionally of one country or matching a name), with how many events name them."""
    kb = load_kb()
    dialect = dialect_of(session)
    people = []
    needle = (q or "").strip().lower()
    resolved = resolve_person(q or "") if needle else None  # once: resolving a spelling is costly
    for person in kb.persons.values():
        if country and person.country != country.upper():
            continue
        if needle and needle not in person.name.lower() and resolved is not person:
            continue
        row = person_summary(person)
        row["event_count"] = session.scalar(
            select(func.count(Development.id)).where(json_array_contains(dialect, Development.persons, person.name))
        )
        people.append(row)
    return sorted(people, key=lambda p: (-p["event_count"], p["name"]))


def person_detail(session: Session, value: str, *, limit: int = 20) -> dict[str, Any] | None:
    """A person: roles over time from the KB, the latest articles naming them, their events."""
    person = resolve_person(value)
    if person is None:
        return None
    detail = person_summary(person)
    detail["roles"] = role_history(person)
    detail["articles"] = find_articles(session, ArticleFilters(person=person.id), limit=limit).items
    detail["events"] = find_events(session, EventFilters(person=person.id), limit=limit).items
    return detail


def place_summary(place: Any) -> dict[str, Any]:
    """The list form of a KB place."""
    return {
        "id": place.id, "name": place.name, "country": place.country, "kind": place.kind,
        "arabic_names": list(place.names), "wikidata": place.wikidata,
    }  # fmt: skip


def list_places(*, country: str | None = None, kind: str | None = None) -> list[dict[str, Any]]:
    """KB places (countries included, kind 'country')."""
    kb = load_kb()
    return [
        place_summary(p)
        for p in sorted(kb.places.values(), key=lambda p: (p.kind != "country", p.name))
        if (not country or p.country == country.upper()) and (not kind or p.kind == kind)
    ]


def place_detail(session: Session, value: str, *, limit: int = 20) -> dict[str, Any] | None:
    """A place with the latest articles naming it and the events held there."""
    place = resolve_place(value)
    if place is None:
        return None
    detail = place_summary(place)
    detail["articles"] = find_articles(session, ArticleFilters(place=place.id), limit=limit).items
    events = session.scalars(
        select(Development).where(Development.location == place.name).order_by(Development.id.desc()).limit(limit)
    ).all()
    detail["events"] = [{"id": d.id, "summary": d.summary, "status": d.status, "date": d.date} for d in events]
    return detail
