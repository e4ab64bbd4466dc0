"""The timeline: developments (each real-world meeting once) with their sources and history."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import date
from typing import Any

from sqlalchemy import Select, func, literal, select
from sqlalchemy.orm import Session

from db.development_models import Development, DevelopmentChange, DevelopmentSource
from db.models import Article, SourceRow
from db.queries.cursor import InvalidCursor, decode_cursor, encode_cursor
from db.queries.kb import resolve_country, resolve_person
from db.queries.sql import dialect_of, json_array_contains, keyset_after

EVENT_SORTS = ("-date", "date", "-id", "id")
MAX_LIMIT = 200


@dataclass
class EventFilters:
    """Filters of the timeline (every field optional)."""

    person: str | None = None
    country: str | None = None
    level: str | None = None
    status: str | None = None
    kind: str | None = None
    topic: str | None = None
    date_from: date | None = None
    date_to: date | None = None


@dataclass
class EventPage:
    """One page of the timeline and the cursor of the next."""

    items: list[dict[str, Any]]
    next_cursor: str | None


def filtered_events(session: Session, filters: EventFilters) -> Select:
    """SELECT Development with the filters applied."""
    dialect = dialect_of(session)
    stmt = select(Development)
    if filters.person:
        person = resolve_person(filters.person)
        stmt = stmt.where(json_array_contains(dialect, Development.persons, person.name if person else filters.person))
    if filters.country:
        country = resolve_country(filters.country)
        code = country.code if country else filters.country.upper()
        # countries_key is "IR,RU,SY,TR": compare whole codes, the value bound as a parameter.
        padded = literal(",") + Development.countries_key + literal(",")
        stmt = stmt.where(padded.contains("," + code + ",", autoescape=True))
    if filters.level:
        stmt = stmt.where(Development.level == filters.level)
    if filters.status:
        stmt = stmt.where(Development.status == filters.status)
    if filters.kind:
        stmt = stmt.where(Development.kind == filters.kind)
    if filters.topic:
        stmt = stmt.where(json_array_contains(dialect, Development.topics, filters.topic))
    if filters.date_from:
        stmt = stmt.where(Development.date_start >= filters.date_from)
    if filters.date_to:
        stmt = stmt.where(Development.date_start <= filters.date_to)
    return stmt


def find_events(
    session: Session, filters: EventFilters, *, sort: str = "-date", limit: int = 50, cursor: str | None = None
) -> EventPage:
    """A page of developments, each with its change history and every source article."""
    if sort not in EVENT_SORTS:
        raise ValueError(f"unknown sort {sort!r}; choose one of {', '.join(EVENT_SORTS)}")
    limit = max(1, min(limit, MAX_LIMIT))
    descending = sort.startswith("-")
    stmt = filtered_events(session, filters)
    if sort.lstrip("-") == "id":
        stmt = stmt.order_by(Development.id.desc() if descending else Development.id.asc())
    else:
        order = Development.date_start.desc() if descending else Development.date_start.asc()
        stmt = stmt.order_by(order.nulls_last(), Development.id.desc() if descending else Development.id.asc())
    if cursor:
        values = decode_cursor(cursor, sort)
        if len(values) != 2:
            raise InvalidCursor("malformed cursor")
        value, last_id = values
        if sort.lstrip("-") == "id":
            if not isinstance(last_id, int):
                raise InvalidCursor("malformed cursor")
            stmt = stmt.where(Development.id < last_id if descending else Development.id > last_id)
        else:
            try:
                day = date.fromisoformat(value) if value is not None else None
            except (TypeError, ValueError) as exc:
                raise InvalidCursor("malformed cursor") from exc
            stmt = stmt.where(
                keyset_after(Development.date_start, Development.id, day, last_id, descending=descending, nullable=True)
            )
    developments = list(session.scalars(stmt.limit(limit + 1)).all())
    more = len(developments) > limit
    developments = developments[:limit]
    items = describe_events(session, developments)
    next_cursor = None
    if more and developments:
        last = developments[-1]
        key = last.id if sort.lstrip("-") == "id" else (last.date_start.isoformat() if last.date_start else None)
        next_cursor = encode_cursor(sort, [key, last.id])
    return EventPage(items, next_cursor)


def event_detail(session: Session, development_id: int) -> dict[str, Any] | None:
    """One development with its sources and history."""
    development = session.get(Development, development_id)
    return describe_events(session, [development])[0] if development else None


def describe_events(session: Session, developments: list[Development]) -> list[dict[str, Any]]:
    """Developments as dicts, their sources and changes loaded in two queries for the whole page."""
    ids = [d.id for d in developments]
    sources: dict[int, list[dict[str, Any]]] = defaultdict(list)
    changes: dict[int, list[dict[str, Any]]] = defaultdict(list)
    if ids:
        # Only the columns a source needs: loading whole articles would drag every body along.
        for row in session.execute(
            select(
                DevelopmentSource.development_id,
                DevelopmentSource.status,
                DevelopmentSource.evidence,
                Article.id,
                Article.title,
                Article.url,
                Article.source_id,
                Article.published_at,
                SourceRow.name.label("outlet"),
            )
            .join(Article, Article.id == DevelopmentSource.article_id)
            .join(SourceRow, SourceRow.id == Article.source_id)
            .where(DevelopmentSource.development_id.in_(ids))
            .order_by(DevelopmentSource.development_id, Article.published_at.asc().nulls_last(), Article.id)
        ).all():
            sources[row.development_id].append(
                {
                    "article_id": row.id, "title": row.title, "url": row.url, "source_id": row.source_id,
                    "outlet": row.outlet, "published_at": row.published_at, "status": row.status,
                    "evidence": row.evidence,
                }
            )  # fmt: skip
        for c in session.scalars(
            select(DevelopmentChange)
            .where(DevelopmentChange.development_id.in_(ids))
            .order_by(DevelopmentChange.development_id, DevelopmentChange.id)
        ).all():
            changes[c.development_id].append(
                {"change": c.change, "old_value": c.old_value, "new_value": c.new_value, "at": c.at,
                 "article_id": c.article_id}
            )  # fmt: skip
    return [
        {
            "id": d.id, "kind": d.kind, "status": d.status, "level": d.level, "countries": list(d.countries or []),
            "persons": list(d.persons or []), "location": d.location, "date": d.date, "date_start": d.date_start,
            "mediator": d.mediator, "topics": list(d.topics or []), "summary": d.summary,
            "first_reported_on": d.first_reported_on, "first_seen_at": d.first_seen_at, "updated_at": d.updated_at,
            "source_count": len(sources[d.id]), "sources": sources[d.id], "history": changes[d.id],
        }
        for d in developments
    ]  # fmt: skip


def events_per_month(session: Session, filters: EventFilters | None = None) -> list[tuple[str, int]]:
    """(YYYY-MM, developments dated in that month), oldest first."""
    stmt = filtered_events(session, filters or EventFilters()).where(Development.date_start.is_not(None))
    counts: dict[str, int] = defaultdict(int)
    for day in session.scalars(stmt.with_only_columns(Development.date_start)).all():
        if day is not None:
            counts[day.isoformat()[:7]] += 1
    return sorted(counts.items())


def count_events(session: Session) -> int:
    """How many developments are stored."""
    return session.scalar(select(func.count(Development.id))) or 0
