"""GET /sources and /crawl-runs: outlets and how their crawls went."""

from __future__ import annotations

from typing import Annotated, Literal

from fastapi import APIRouter, Depends, Query
from sqlalchemy.orm import Session

from db.queries.outlets import list_crawl_runs, list_sources
from rasad.api.deps import get_session, read_access
from rasad.api.problems import problem_responses
from rasad.api.routes.params import MAX_ID, Limit, Text
from rasad.api.schemas import CrawlRunItem, SourceItem

router = APIRouter(tags=["crawling"], dependencies=[Depends(read_access)], responses=problem_responses(401, 422))


@router.get("/sources", response_model=list[SourceItem], summary="Outlets with their latest crawl")
def sources(session: Session = Depends(get_session)) -> list[SourceItem]:
    """Every outlet, its article count and its latest crawl run."""
    return [SourceItem.model_validate(s) for s in list_sources(session)]


@router.get("/crawl-runs", response_model=list[CrawlRunItem], summary="Crawl runs with their failures")
def crawl_runs(
    source: Text = None,
    status: Literal["running", "ok", "partial", "failed"] | None = None,
    limit: Limit = 50,
    before_id: Annotated[int | None, Query(ge=1, le=MAX_ID, description="Runs older than this id.")] = None,
    session: Session = Depends(get_session),
) -> list[CrawlRunItem]:
    """Crawl runs, newest first, each with every failure (URL, kind, reason)."""
    runs = list_crawl_runs(session, source=source, status=status, limit=limit, before_id=before_id)
    return [CrawlRunItem.model_validate(r) for r in runs]
