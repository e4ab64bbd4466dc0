"""The full-text index on each database: writing an article into it, and which article ids match, how well.

PostgreSQL: `index_articles` writes a new article's `article_search.document`, the tsvector of the
words and stems the domain computed (`rasad.search.terms.document_words`); a trigger re-indexes an
article whose title or text changes (migrations 0004 and 0011). SQLite: FTS5 triggers keep
`articles_fts` in step with `articles` (migration 0004); a trigram index needs no stems.

PostgreSQL: `article_search.document @@ to_tsquery('simple', ...)` over the GIN index, ranked by
`ts_rank`. SQLite: `articles_fts MATCH ...` (FTS5, trigram tokenizer), ranked by `bm25`. The query
text is always a bound parameter; its words are limited to letters and digits by `index_words`.
"""

from __future__ import annotations

from collections.abc import Iterable

from sqlalchemy import Float, Select, bindparam, column, func, literal, literal_column, select, table, text
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.orm import Session
from sqlalchemy.sql.elements import ColumnElement

from db.api_models import ArticleSearch
from rasad.search.terms import MIN_STEM, Alternative, ParsedQuery

_FTS = table("articles_fts", column("rowid"))
_SIMPLE: ColumnElement[str] = literal_column("'simple'::regconfig")


def index_articles(session: Session, documents: Iterable[tuple[int, str]]) -> None:
    """Index new articles on PostgreSQL: (article id, search words), one statement; an entry there is replaced.

    On SQLite nothing is to be done: triggers index `articles` as it is written.
    """
    rows = [{"article_id": article_id, "words": words} for article_id, words in documents]
    if not rows or session.get_bind().dialect.name != "postgresql":
        return
    statement = pg_insert(ArticleSearch).values(
        article_id=bindparam("article_id"), document=func.strip(func.to_tsvector(_SIMPLE, bindparam("words")))
    )
    statement = statement.on_conflict_do_update(
        index_elements=[ArticleSearch.article_id], set_={"document": statement.excluded.document}
    )
    session.execute(statement, rows)


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
        query = func.to_tsquery(_SIMPLE, bindparam("fts_query", tsquery_text(parsed)))
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
