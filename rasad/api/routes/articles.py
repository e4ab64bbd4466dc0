"""GET /articles (filters, full-text `q`, cursor pages, sort) and GET /articles/{id}."""

from __future__ import annotations

from typing import Annotated, Any, Literal

from fastapi import APIRouter, Depends, HTTPException, Query
from sqlalchemy.orm import Session

from db.queries.articles import ArticleFilters, article_detail, find_articles
from db.queries.search import add_snippets
from rasad.api.deps import get_session, read_access
from rasad.api.problems import problem_responses
from rasad.api.routes.params import Cursor, Day, IdPath, Limit, SearchText, Text
from rasad.api.schemas import ArticleDetail, ArticleList

router = APIRouter(tags=["articles"], dependencies=[Depends(read_access)], responses=problem_responses(401, 422))

ArticleSort = Literal["-published_at", "published_at", "-id", "id", "-relevance", "rank"]


def article_filters(
    q: SearchText = None,
    outlet: Annotated[list[str], Query(max_length=50, description="Outlet (source) id; repeatable.")] = [],  # noqa: B006
    person: Text = None,
    place: Text = None,
    country: Text = None,
    topic: Text = None,
    relevant: bool | None = None,
    published_from: Day = None,
    published_to: Day = None,
) -> ArticleFilters:
    """The article filters of a request (shared by the API and the export)."""
    outlets = [o for o in outlet if o]
    for value in outlets:
        if len(value) > 64 or "\x00" in value:
            raise HTTPException(422, "invalid outlet: an outlet id is at most 64 characters")
    return ArticleFilters(
        q=q, outlets=outlets, person=person, place=place, country=country, topic=topic, relevant=relevant,
        published_from=published_from, published_to=published_to,
    )  # fmt: skip


@router.get("/articles", response_model=ArticleList, summary="List or search articles")
def list_articles(
    filters: ArticleFilters = Depends(article_filters),
    sort: ArticleSort = "-published_at",
    limit: Limit = 50,
    cursor: Cursor = None,
    session: Session = Depends(get_session),
) -> dict[str, Any]:
    """Articles, newest first by default. With `q`, a full-text search (Arabic spelling variants, clitics
    and every KB spelling of a person are matched) and each item carries a highlighted `snippet`."""
    try:
        page = find_articles(session, filters, sort=sort, limit=limit, cursor=cursor)
    except ValueError as exc:
        raise HTTPException(422, str(exc)) from exc
    add_snippets(session, page)
    return {"items": page.items, "next_cursor": page.next_cursor}  # validated once, by response_model


@router.get(
    "/articles/{article_id}", response_model=ArticleDetail, responses=problem_responses(404),
    summary="One article with entities, events, quotes and duplicates",
)  # fmt: skip
def get_article(article_id: IdPath, session: Session = Depends(get_session)) -> dict[str, Any]:
    """The article's body, the people/places/organizations it names (with mentions), the events it
    reports (with evidence), its quotes, its duplicates and the timeline events it is a source of."""
    detail = article_detail(session, article_id)
    if detail is None:
        raise HTTPException(404, f"article {article_id} does not exist")
    return detail
