"""Tables of the query API: access tokens and the PostgreSQL full-text index of articles.

SQLite keeps its full-text index in an FTS5 virtual table (`articles_fts`, trigram tokenizer)
that is created with its triggers by migration 0004 and is not modelled here: virtual tables
and their shadow tables are not something SQLAlchemy metadata can describe.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import DateTime, ForeignKey, Index, Integer, String, Text
from sqlalchemy.dialects.postgresql import TSVECTOR
from sqlalchemy.orm import Mapped, mapped_column

from db.base import Base
from db.models import Article, utcnow

# The article view lists an article's copies (`duplicate_of_id = id`): without an index that is a
# scan of every article.
Index("ix_articles_duplicate_of_id", Article.duplicate_of_id)

# SQLite's FTS5 index: the virtual table and the shadow tables FTS5 creates beside it.
SQLITE_SEARCH_TABLES = frozenset(
    {"articles_fts", "articles_fts_data", "articles_fts_idx", "articles_fts_docsize", "articles_fts_config"}
)


def include_name(name: str | None, type_: str, parent_names: object) -> bool:
    """Alembic `include_name` hook: leave SQLite's FTS5 tables (made by migration 0004) out of comparisons."""
    return not (type_ == "table" and name in SQLITE_SEARCH_TABLES)


# The search document is a tsvector on PostgreSQL; the table stays empty on SQLite.
SearchDocument = Text().with_variant(TSVECTOR(), "postgresql")


class ApiToken(Base):
    """An API token: only its SHA-256 hash is stored; the token itself is shown once, at creation."""

    __tablename__ = "api_tokens"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    name: Mapped[str] = mapped_column(String(100), unique=True)
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    prefix: Mapped[str] = mapped_column(String(12))  # first characters, to recognise a token in lists
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    last_used_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    revoked_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))


class ArticleSearch(Base):
    """PostgreSQL: the tsvector of an article's words and stems (`db.search_backend`; migration 0011)."""

    __tablename__ = "article_search"
    __table_args__ = (
        # fastupdate off: searches never scan a pending list of unmerged entries (see migration 0004).
        Index("ix_article_search_document", "document", postgresql_using="gin", postgresql_with={"fastupdate": "off"}),
    )

    article_id: Mapped[int] = mapped_column(ForeignKey("articles.id", ondelete="CASCADE"), primary_key=True)
    document: Mapped[str | None] = mapped_column(SearchDocument)
