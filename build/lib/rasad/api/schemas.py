"""Response models: they document the API (OpenAPI at /docs) and are checked by schemathesis."""

from __future__ import annotations

from datetime import UTC, date, datetime
from typing import Annotated, Any

from pydantic import AfterValidator, BaseModel


def _aware(value: datetime) -> datetime:
    # SQLite hands timestamps back without their zone; they were written in UTC.
    return value.replace(tzinfo=UTC) if value.tzinfo is None else value


Timestamp = Annotated[datetime, AfterValidator(_aware)]
CalendarDay = date  # EventItem has a field named `date`, which would shadow the type


class ArticleItem(BaseModel):
    """An article in a list; `snippet` and `title_html` are HTML with matches in <mark> (searches only)."""

    id: int
    source_id: str
    outlet: str
    title: str | None
    url: str
    published_at: Timestamp | None
    language: str | None
    relevant: bool
    relevance: float
    topics: list[str]
    duplicate_of_id: int | None
    score: float | None = None
    title_html: str | None = None
    snippet: str | None = None


class ArticleList(BaseModel):
    """A page of articles; pass `next_cursor` as `cursor` for the next page."""

    items: list[ArticleItem]
    next_cursor: str | None


class Mention(BaseModel):
    """A span of the original body."""

    text: str
    start: int
    end: int


class EntityItem(BaseModel):
    """A person, place or organization named in an article, with its mentions."""

    name: str
    kb_id: str | None = None
    role: str | None = None
    country: str | None = None
    kind: str | None = None
    mentions: list[Mention] = []


class ArticleEvent(BaseModel):
    """A meeting or call the article reports, with the sentences that say so."""

    kind: str
    status: str
    level: str | None = None
    countries: list[str] = []
    persons: list[str] = []
    location: str | None = None
    date: str | None = None
    mediator: str | None = None
    evidence: list[Mention] = []


class QuoteItem(BaseModel):
    """Words attributed to a speaker."""

    speaker: str
    text: str
    start: int
    end: int
    direct: bool = True


class DuplicateItem(BaseModel):
    """A copy of the article, or the original it copies."""

    id: int
    title: str | None
    url: str
    source_id: str
    published_at: Timestamp | None
    relation: str


class ArticleDevelopment(BaseModel):
    """A timeline event the article is a source of."""

    id: int
    summary: str
    status: str
    reported_status: str
    evidence: str


class ArticleDetail(ArticleItem):
    """An article with its body and everything extracted from it."""

    body: str
    authors: list[Any]
    created_at: Timestamp
    updated_at: Timestamp
    persons: list[EntityItem]
    places: list[EntityItem]
    organizations: list[EntityItem]
    events: list[ArticleEvent]
    quotes: list[QuoteItem]
    duplicates: list[DuplicateItem]
    developments: list[ArticleDevelopment]


class EventSource(BaseModel):
    """An article reporting a development."""

    article_id: int
    title: str | None
    url: str
    source_id: str
    outlet: str
    published_at: Timestamp | None
    status: str
    evidence: str


class EventChange(BaseModel):
    """One step of a development's history."""

    change: str
    old_value: str | None
    new_value: str | None
    at: Timestamp
    article_id: int | None


class EventItem(BaseModel):
    """A real-world meeting or call, once, with every source and its status history."""

    id: int
    kind: str
    status: str
    level: str | None
    countries: list[str]
    persons: list[str]
    location: str | None
    date: str | None
    date_start: CalendarDay | None
    mediator: str | None
    topics: list[str]
    summary: str
    first_reported_on: CalendarDay | None
    first_seen_at: Timestamp
    updated_at: Timestamp
    source_count: int
    sources: list[EventSource]
    history: list[EventChange]


class EventList(BaseModel):
    """A page of the timeline."""

    items: list[EventItem]
    next_cursor: str | None


class RoleItem(BaseModel):
    """An office held, with its dates."""

    kind: str
    label: str
    country: str | None
    start: date | None
    end: date | None


class PersonItem(BaseModel):
    """A person of the knowledge base."""

    id: str
    name: str
    country: str | None
    arabic_names: list[str]
    short_names: list[str]
    wikidata: str | None
    current_role: str | None
    event_count: int | None = None


class PersonEventItem(EventItem):
    """An event the person took part in."""


class PersonDetail(PersonItem):
    """A person with roles over time, latest articles and events."""

    roles: list[RoleItem]
    articles: list[ArticleItem]
    events: list[EventItem]


class PlaceItem(BaseModel):
    """A place of the knowledge base (countries have kind 'country')."""

    id: str
    name: str
    country: str | None
    kind: str
    arabic_names: list[str]
    wikidata: str | None


class PlaceEvent(BaseModel):
    """An event held at a place."""

    id: int
    summary: str
    status: str
    date: str | None


class PlaceDetail(PlaceItem):
    """A place with the latest articles naming it and the events held there."""

    articles: list[ArticleItem]
    events: list[PlaceEvent]


class CrawlFailureItem(BaseModel):
    """A URL a crawl could not use."""

    url: str
    kind: str
    reason: str
    at: Timestamp


class CrawlRunItem(BaseModel):
    """A crawl of one outlet."""

    id: int
    source_id: str
    profile: str
    status: str
    started_at: Timestamp
    finished_at: Timestamp | None
    pages_fetched: int
    new_pages: int
    skipped_known: int
    errors_count: int
    failures: list[CrawlFailureItem] = []


class SourceItem(BaseModel):
    """An outlet with its article count and latest crawl."""

    id: str
    name: str
    language: str
    base_url: str
    enabled: bool
    verified: bool
    interval_minutes: int
    country: str | None
    article_count: int
    last_run: CrawlRunItem | None
