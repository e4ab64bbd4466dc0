"""GET /events: the timeline of developments, and GET /events/{id}."""

from __future__ import annotations

from typing import Any, Literal

from fastapi import APIRouter, Depends, HTTPException
from sqlalchemy.orm import Session

from db.queries.events import EventFilters, event_detail, find_events
from rasad.api.deps import get_session, read_access
from rasad.api.problems import problem_responses
from rasad.api.routes.params import Cursor, Day, IdPath, Limit, Text
from rasad.api.schemas import EventItem, EventList

router = APIRouter(tags=["events"], dependencies=[Depends(read_access)], responses=problem_responses(401, 422))


def event_filters(
    person: Text = None,
    country: Text = None,
    level: Text = None,
    status: Literal["proposed", "planned", "held"] | None = None,
    kind: Literal["meeting", "call"] | None = None,
    topic: Text = None,
    date_from: Day = None,
    date_to: Day = None,
) -> EventFilters:
    """The timeline filters of a request."""
    return EventFilters(
        person=person, country=country, level=level, status=status, kind=kind, topic=topic,
        date_from=date_from, date_to=date_to,
    )  # fmt: skip


@router.get("/events", response_model=EventList, summary="The timeline: each real-world meeting once")
def list_events(
    filters: EventFilters = Depends(event_filters),
    sort: Literal["-date", "date", "-id", "id"] = "-date",
    limit: Limit = 25,
    cursor: Cursor = None,
    session: Session = Depends(get_session),
) -> dict[str, Any]:
    """Developments (meetings and calls merged across articles and outlets), newest first, each with its
    status history and every source article (outlet, URL). `person` is a KB id, canonical name or
    Arabic spelling; `country` an ISO code or name."""
    page = find_events(session, filters, sort=sort, limit=limit, cursor=cursor)
    return {"items": page.items, "next_cursor": page.next_cursor}  # validated once, by response_model


@router.get("/events/{event_id}", response_model=EventItem, responses=problem_responses(404), summary="One event")
def get_event(event_id: IdPath, session: Session = Depends(get_session)) -> dict[str, Any]:
    """One development with its sources and history."""
    detail = event_detail(session, event_id)
    if detail is None:
        raise HTTPException(404, f"event {event_id} does not exist")
    return detail
