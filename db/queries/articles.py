"""Article lists (filters, sort, cursor pages) and the full article view."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from typing import Any

from sqlalchemy import Select, and_, literal, select
from sqlalchemy.orm import Session

from db.extraction_models import ArticleTopic
from db.models import Article, SourceRow
from db.queries import entities
from db.queries.cursor import InvalidCursor, decode_cursor, encode_cursor
from db.queries.sql import dialect_of, keyset_after, parse_datetime
from db.search_backend import match_hits
from rasad.search.parse import parse_query
from rasad.search.terms import ParsedQuery

ARTICLE_SORTS = ("-published_at", "published_at", "-id", "id", "-relevance", "rank")
DEFAULT_SORT = "-published_at"
MAX_LIMIT = 200
SPARSE_HITS = 1000  # up to this many matches, a search fetches its hits first (PostgreSQL)


@dataclass
class ArticleFilters:
    """What an analyst can narrow articles by (every field optional)."""

    q: str | None = None
    outlets: list[str] = field(default_factory=list)
    person: str | None = None
    place: str | None = None
    country: str | None = None
    topic: str | None = None
    relevant: bool | None = None
    published_from: date | None = None
    published_to: date | None = None


@dataclass
class ArticlePage:
    """One page of articles and the cursor of the next page (None on the last page)."""

    items: list[dict[str, Any]]
    next_cursor: str | None
    query: ParsedQuery | None = None


def start_of(day: date) -> datetime:
    """Midnight at the start of `day` (publication dates are compared at day precision)."""
    return datetime.combine(day, time.min)


def filtered_select(session: Session, filters: ArticleFilters, *, ranked: bool = False) -> tuple[Select, Any]:
    """SELECT Article, outlet name, score with every filter applied; also the parsed query (or None)."""
    dialect = dialect_of(session)
    parsed = parse_query(filters.q) if filters.q and filters.q.strip() else None
    stmt = select(Article, SourceRow.name.label("outlet"))
    stmt = stmt.join(SourceRow, SourceRow.id == Article.source_id)
    score: Any = literal(None)
    if parsed is not None:
        hits = match_hits(dialect, parsed, ranked=ranked) if not parsed.empty else None
        if hits is None:
            stmt = stmt.where(literal(False))
        elif ranked:
            sub = hits.subquery("hits")
            stmt = stmt.join(sub, sub.c.id == Article.id)
            score = sub.c.score
        else:
            ids = hits.with_only_columns(hits.selected_columns[0])
            if dialect == "postgresql":
                # The planner cannot know how many articles a word matches (its estimate for a rare
                # word is ~1%), and walking the date index for a word that matches nothing reads
                # every article. So look first: a few hits go in as ids, many hits make the walk cheap.
                probe = session.scalars(ids.limit(SPARSE_HITS + 1)).all()
                if len(probe) <= SPARSE_HITS:
                    stmt = stmt.where(Article.id.in_(probe) if probe else literal(False))
                else:
                    stmt = stmt.where(Article.id.in_(ids))
            else:
                stmt = stmt.where(Article.id.in_(ids))
    stmt = stmt.add_columns(score.label("score"))
    if filters.outlets:
        stmt = stmt.where(Article.source_id.in_(filters.outlets))
    if filters.relevant is not None:
        stmt = stmt.where(Article.relevant.is_(filters.relevant))
    if filters.topic:
        stmt = stmt.where(
            Article.id.in_(
                select(ArticleTopic.article_id).where(ArticleTopic.topic == filters.topic, ArticleTopic.relevant)
            )
        )
    if filters.published_from:
        stmt = stmt.where(Article.published_at >= start_of(filters.published_from))
    if filters.published_to and filters.published_to < date.max:
        stmt = stmt.where(Article.published_at < start_of(filters.published_to + timedelta(days=1)))
    for kind, value in (("person", filters.person), ("place", filters.place), ("country", filters.country)):
        if value:
            mentioning = entities.articles_mentioning(session, kind, value)
            stmt = stmt.where(Article.id.in_(mentioning) if mentioning is not None else literal(False))
    return stmt, parsed


def find_articles(
    session: Session,
    filters: ArticleFilters,
    *,
    sort: str = DEFAULT_SORT,
    limit: int = 50,
    cursor: str | None = None,
) -> ArticlePage:
    """A page of articles matching `filters`, in `sort` order, after `cursor`."""
    if sort not in ARTICLE_SORTS:
        raise ValueError(f"unknown sort {sort!r}; choose one of {', '.join(ARTICLE_SORTS)}")
    limit = max(1, min(limit, MAX_LIMIT))
    cursor = cursor or None
    ranked = sort == "rank"
    if ranked and not (filters.q and filters.q.strip()):
        raise ValueError("sort=rank needs a search query (q)")
    stmt, parsed = filtered_select(session, filters, ranked=ranked)
    if sort.lstrip("-") == "published_at":
        rows, offset = _by_publication(session, stmt, sort, cursor, limit + 1), 0
    else:
        ordered, offset = _order_and_seek(stmt, sort, cursor)
        rows = list(session.execute(ordered.limit(limit + 1)).all())
    more = len(rows) > limit
    rows = rows[:limit]
    items = [article_summary(a, outlet, score) for a, outlet, score in rows]
    next_cursor = None
    if more and rows:
        next_cursor = _cursor_after(sort, rows[-1][0], offset + len(rows))
    return ArticlePage(items, next_cursor, parsed)


def _by_publication(session: Session, stmt: Select, sort: str, cursor: str | None, size: int) -> list[Any]:
    """Dated articles in publication order, then the undated ones (newest id first), after `cursor`.

    Two plain queries instead of one `ORDER BY … NULLS LAST`: with `published_at IS NOT NULL` and a
    bare ASC/DESC the ordering is what the `published_at` index delivers on both databases, so a
    search for a common word walks the index and stops after one page instead of sorting every hit.
    """
    descending = sort.startswith("-")
    value: Any = None
    last_id: Any = None
    if cursor:
        values = decode_cursor(cursor, sort)
        if len(values) != 2:
            raise InvalidCursor("malformed cursor")
        value, last_id = values
        if not isinstance(last_id, int) or isinstance(last_id, bool) or not -(2**31) <= last_id < 2**31:
            raise InvalidCursor("malformed cursor")
    rows: list[Any] = []
    by_id = Article.id.desc() if descending else Article.id.asc()
    if cursor is None or value is not None:
        dated = stmt.where(Article.published_at.is_not(None))
        if cursor is not None:
            dated = dated.where(
                keyset_after(Article.published_at, Article.id, parse_datetime(value), last_id,
                             descending=descending, nullable=False)
            )  # fmt: skip
        order = Article.published_at.desc() if descending else Article.published_at.asc()
        rows = list(session.execute(dated.order_by(order, by_id).limit(size)).all())
    if len(rows) < size:
        undated = stmt.where(Article.published_at.is_(None))
        if cursor is not None and value is None:
            undated = undated.where(Article.id < last_id if descending else Article.id > last_id)
        rows += session.execute(undated.order_by(by_id).limit(size - len(rows))).all()
    return rows


def _order_and_seek(stmt: Select, sort: str, cursor: str | None) -> tuple[Select, int]:
    descending = sort.startswith("-")
    key = sort.lstrip("-")
    if key == "rank":
        offset = 0
        if cursor:
            values = decode_cursor(cursor, sort)
            if len(values) != 1 or not isinstance(values[0], int) or values[0] < 0:
                raise InvalidCursor("malformed cursor")
            offset = values[0]
        score = stmt.selected_columns.score
        return stmt.order_by(score.desc(), Article.id.desc()).offset(offset), offset
    column = {"id": Article.id, "relevance": Article.relevance}[key]
    if key == "id":
        stmt = stmt.order_by(Article.id.desc() if descending else Article.id.asc())
    else:
        order = column.desc() if descending else column.asc()
        stmt = stmt.order_by(order, Article.id.desc() if descending else Article.id.asc())
    if cursor:
        values = decode_cursor(cursor, sort)
        if len(values) != 2:
            raise InvalidCursor("malformed cursor")
        value, last_id = values
        if key == "id":
            if not isinstance(last_id, int) or isinstance(last_id, bool) or not -(2**31) <= last_id < 2**31:
                raise InvalidCursor("malformed cursor")
            stmt = stmt.where(Article.id < last_id if descending else Article.id > last_id)
        else:
            if not isinstance(value, int | float) or isinstance(value, bool):
                raise InvalidCursor("malformed cursor")
            stmt = stmt.where(keyset_after(column, Article.id, value, last_id, descending=descending, nullable=False))
    return stmt, 0


def _cursor_after(sort: str, last: Article, offset: int) -> str:
    key = sort.lstrip("-")
    if key == "rank":
        return encode_cursor(sort, [offset])
    value: Any = getattr(last, key)
    if isinstance(value, datetime):
        value = value.isoformat()
    return encode_cursor(sort, [value, last.id])


def article_summary(article: Article, outlet: str, score: float | None = None) -> dict[str, Any]:
    """The list form of an article."""
    return {
        "id": article.id,
        "source_id": article.source_id,
        "outlet": outlet,
        "title": article.title,
        "url": article.url,
        "published_at": article.published_at,
        "language": article.language,
        "relevant": article.relevant,
        "relevance": round(article.relevance or 0.0, 4),
        "topics": list(article.topics or []),
        "duplicate_of_id": article.duplicate_of_id,
        "score": score,
    }


def article_detail(session: Session, article_id: int) -> dict[str, Any] | None:
    """Everything about one article: body, entities with mentions, events, quotes, duplicates."""
    row = session.execute(
        select(Article, SourceRow.name)
        .join(SourceRow, SourceRow.id == Article.source_id)
        .where(Article.id == article_id)
    ).first()
    if row is None:
        return None
    article, outlet = row
    detail = article_summary(article, outlet)
    detail["body"] = article.body
    detail["authors"] = list(article.authors or [])
    detail["created_at"] = article.created_at
    detail["updated_at"] = article.updated_at
    detail["duplicates"] = _duplicates(session, article)
    detail.update(entities.article_extraction(session, article))
    detail["developments"] = entities.article_developments(session, article.id)
    return detail


def _duplicates(session: Session, article: Article) -> list[dict[str, Any]]:
    """Copies of this article (pointing at it) and the original it copies, if any."""
    condition = Article.duplicate_of_id == article.id
    if article.duplicate_of_id is not None:
        condition = condition | and_(Article.id == article.duplicate_of_id)
    rows = session.execute(
        select(Article.id, Article.title, Article.url, Article.source_id, Article.published_at, Article.duplicate_of_id)
        .where(condition)
        .order_by(Article.id)
    ).all()
    return [
        {
            "id": r.id, "title": r.title, "url": r.url, "source_id": r.source_id, "published_at": r.published_at,
            "relation": "original" if r.id == article.duplicate_of_id else "copy",
        }
        for r in rows
    ]  # fmt: skip
