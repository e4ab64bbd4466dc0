"""Arabic full-text search over articles, on PostgreSQL (tsvector) and SQLite (FTS5).

    from rasad.search import search_articles
    page = search_articles(session, "جاويش أوغلو موسكو", ArticleFilters(outlets=["orient"]), 20, None)

Query words are normalized as the index is (hamza, alef, yaa, taa marbuta, diacritics), searched
with and without their proclitics, and a person's name is expanded to every KB spelling.
"""

from __future__ import annotations

from typing import Any

__all__ = ["ArticleFilters", "ArticlePage", "parse_query", "search_articles"]


def __getattr__(name: str) -> Any:
    # Lazy: rasad.query imports rasad.search's submodules, so this package must not import it eagerly.
    if name in ("ArticleFilters", "ArticlePage"):
        from rasad.query import articles

        return getattr(articles, name)
    if name == "parse_query":
        from rasad.search.parse import parse_query

        return parse_query
    if name == "search_articles":
        from rasad.search.service import search_articles

        return search_articles
    raise AttributeError(name)
