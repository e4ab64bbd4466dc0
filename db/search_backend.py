"""The full-text match on each database, behind one function: which article ids match, and how well.

PostgreSQL: `article_search.document @@ to_tsquery('simple', ...)` over the GIN index, ranked by
`ts_rank`. SQLite: `articles_fts MATCH ...` (FTS5, trigram tokenizer), ranked by `bm25`. The query
text is always a bound parameter; its words are limited to letters and digits by `index_words`.
"""

from __future__ import annotations

from sqlalchemy import Float, Select, bindparam, column, func, literal, literal_column, select, table, text
from sqlalchemy.sql.elements import ColumnElement

from db.api_models import ArticleSearch
from rasad.search.terms import MIN_STEM, Alternative, ParsedQuery

_FTS = table("articles_fts", column("rowid"))


def tsquery_text(parsed: ParsedQuery) -> str:
    """The PostgreSQL tsquery: terms AND-ed, alternatives OR-ed, a word's variants OR-ed."""

    def word(variants: tuple[str, ...]) -> str:
        return "(" + " | ".join(f"'{v}'" for v in variants) + ")"

    def alternative(alt: Alternative) -> str:
        return "(" + " & ".join(word(w) for w in alt.words) + ")"

    return " & ".join("(" + " | ".join(alternative(a) for a in t.alternatives) + ")" for t in parsed.terms)


def fts5_query_text(parsed: ParsedQuery) -> str | None:
    """The SQLite FTS5 MATCH expression; None when no term is long enough for trigrams."""

    def word(variants: tuple[str, ...]) -> str | None:
        # A trigram index finds a string inside any word, so the shortest stem covers the others.
        usable = [v for v in variants if len(v) >= MIN_STEM]
        return f'"{min(usable, key=len)}"' if usable else None

    def alternative(alt: Alternative) -> str | None:
        words = [w for w in (word(v) for v in alt.words) if w]
        return "(" + " AND ".join(words) + ")" if words else None

    terms = []
    for term in parsed.terms:
        alts = [a for a in (alternative(a) for a in term.alternatives) if a]
        if alts:
            terms.append("(" + " OR ".join(alts) + ")")
    return " AND ".join(terms) if terms else None


def match_hits(dialect: str, parsed: ParsedQuery, *, ranked: bool) -> Select | None:
    """SELECT id, score of the matching articles (score higher is better; NULL when not ranked).

    None when the query has nothing searchable: the caller returns no results.
    """
    if dialect == "postgresql":
        query = func.to_tsquery(literal_column("'simple'::regconfig"), bindparam("fts_query", tsquery_text(parsed)))
        score: ColumnElement = (
            func.ts_rank(ArticleSearch.document, query).cast(Float) if ranked else literal(None, Float)
        )
        return select(ArticleSearch.article_id.label("id"), score.label("score")).where(
            ArticleSearch.document.op("@@")(query)
        )
    expression = fts5_query_text(parsed)
    if expression is None:
        return None
    # bm25() is lower for better matches; negate it so that higher is better on both databases.
    score = (-literal_column("bm25(articles_fts)")).cast(Float) if ranked else literal(None, Float)
    return select(_FTS.c.rowid.label("id"), score.label("score")).where(
        text("articles_fts MATCH :fts_query").bindparams(fts_query=expression)
    )
