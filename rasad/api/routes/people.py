"""GET /persons, /persons/{id}, /places, /places/{id}: the knowledge base with what the store says."""

from __future__ import annotations

from fastapi import APIRouter, Depends, HTTPException
from sqlalchemy.orm import Session

from db.queries.people import list_persons, list_places, person_detail, place_detail
from rasad.api.deps import get_session, read_access
from rasad.api.problems import problem_responses
from rasad.api.routes.params import KeyPath, Text
from rasad.api.schemas import PersonDetail, PersonItem, PlaceDetail, PlaceItem

router = APIRouter(dependencies=[Depends(read_access)], responses=problem_responses(401, 422))


@router.get("/persons", response_model=list[PersonItem], tags=["persons"], summary="People of the knowledge base")
def persons(country: Text = None, q: Text = None, session: Session = Depends(get_session)) -> list[PersonItem]:
    """KB people (filter by `country` ISO code or a name `q` in any spelling), most events first."""
    return [PersonItem.model_validate(p) for p in list_persons(session, country=country, q=q)]


@router.get(
    "/persons/{person_id}", response_model=PersonDetail, tags=["persons"], responses=problem_responses(404),
    summary="A person: roles over time, articles, events",
)  # fmt: skip
def person(person_id: KeyPath, session: Session = Depends(get_session)) -> PersonDetail:
    """`person_id` is the KB id (e.g. `fidan`), the canonical name or any Arabic spelling."""
    detail = person_detail(session, person_id)
    if detail is None:
        raise HTTPException(404, f"no person {person_id!r} in the knowledge base")
    return PersonDetail.model_validate(detail)


@router.get("/places", response_model=list[PlaceItem], tags=["places"], summary="Places of the knowledge base")
def places(country: Text = None, kind: Text = None) -> list[PlaceItem]:
    """KB places, countries first (kind `country`)."""
    return [PlaceItem.model_validate(p) for p in list_places(country=country, kind=kind)]


@router.get(
    "/places/{place_id}", response_model=PlaceDetail, tags=["places"], responses=problem_responses(404),
    summary="A place: articles naming it, events held there",
)  # fmt: skip
def place(place_id: KeyPath, session: Session = Depends(get_session)) -> PlaceDetail:
    """`place_id` is the KB id (e.g. `moscow`, `country:TR`), the English name or an Arabic spelling."""
    detail = place_detail(session, place_id)
    if detail is None:
        raise HTTPException(404, f"no place {place_id!r} in the knowledge base")
    return PlaceDetail.model_validate(detail)
