"""search document of a new article from the application; indexes that other indexes cover dropped

Revision ID: 0011
Revises: 0010
Create Date: 2026-12-04

PostgreSQL: `article_search` was filled by a trigger on `articles` whose regular expression (the
proclitic chains of every word) cost 3-5 ms per 5 KB article inside the store's transaction. For a
new article the store now sends its distinct words and stems (`rasad.search.terms.document_words`,
the same result: `tests/db/test_search_document.py` compares it with `rasad_search_document`) and
PostgreSQL only builds the tsvector. The update trigger stays: any change to an article's title or
text (a re-processing that changed them, an edit by hand) re-indexes it. SQLite's FTS5 triggers
are unchanged.

Three indexes are the leading column of a composite index on the same table, which serves the same
lookups: `ix_articles_source_id`, `ix_article_topics_article_id`, `ix_development_sources_development_id`.
"""

from __future__ import annotations

from alembic import op

revision = "0011"
down_revision = "0010"
branch_labels = None
depends_on = None

# Frozen copy of migration 0004's insert trigger, for the downgrade.
_PG_INSERT_TRIGGER = """
CREATE TRIGGER articles_search_insert AFTER INSERT ON articles
  FOR EACH ROW EXECUTE FUNCTION rasad_article_search_sync();
"""

# (index, table, column): each covered by a composite index that starts with the column.
_COVERED = (
    ("ix_articles_source_id", "articles", "source_id"),
    ("ix_article_topics_article_id", "article_topics", "article_id"),
    ("ix_development_sources_development_id", "development_sources", "development_id"),
)


def upgrade() -> None:
    """Drop the PostgreSQL search trigger on insert and the covered indexes."""
    if op.get_bind().dialect.name == "postgresql":
        op.execute("DROP TRIGGER IF EXISTS articles_search_insert ON articles")
    for index, table, _column in _COVERED:
        with op.batch_alter_table(table) as batch:
            batch.drop_index(index)


def downgrade() -> None:
    """Restore the indexes and the insert trigger."""
    for index, table, column in _COVERED:
        with op.batch_alter_table(table) as batch:
            batch.create_index(index, [column], unique=False)
    if op.get_bind().dialect.name == "postgresql":
        op.execute(_PG_INSERT_TRIGGER)
