"""`search_articles`: the one search interface the API, CLI and dashboard call."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from db.models import Article
from db.queries.articles import DEFAULT_SORT, ArticleFilters, ArticlePage, find_articles
from rasad.search.highlight import highlight, snippet


def search_articles(
    session: Session,
    query: str,
    filters: ArticleFilters | None = None,
    limit: int = 20,
    cursor: str | None = None,
    *,
    sort: str = DEFAULT_SORT,
) -> ArticlePage:
    """Articles matching `query` (and `filters`), each with `title_html` and a `snippet` (HTML, <mark>)."""
    filters = ArticleFilters(**{**(filters.__dict__ if filters else {}), "q": query})
    page = find_articles(session, filters, sort=sort, limit=limit, cursor=cursor)
    add_snippets(session, page)
    return page


def add_snippets(session: Session, page: ArticlePage) -> None:
    """Fill `title_html` and `snippet` of a searched page's items from the original text."""
    if page.query is None or not page.items:
        return
    targets = page.query.highlight_words()
    bodies = dict(
        session.execute(select(Article.id, Article.body).where(Article.id.in_([i["id"] for i in page.items]))).all()
    )
    for item in page.items:
        item["title_html"] = highlight(item["title"] or "", targets)
        item["snippet"] = snippet(bodies.get(item["id"], ""), targets)
