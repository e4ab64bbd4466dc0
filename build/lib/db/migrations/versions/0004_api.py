"""api: access tokens and the full-text index of articles

PostgreSQL: `article_search` holds a normalized 'simple' tsvector per article (both the folded
words and their clitic-stripped stems), kept in sync by a trigger on `articles`, GIN-indexed.
SQLite: an external-content FTS5 table `articles_fts` (trigram tokenizer, so a stem matches
inside a word carrying clitics) over `articles`, kept in sync by triggers. Nothing needs to be
called by the processing step: every insert, update and delete of an article updates the index.

Revision ID: 0004
Revises: 0001
Create Date: 2026-11-22
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

revision = "0004"
down_revision = "0001"
branch_labels = None
depends_on = None

# Letter folding of `rasad.text.arabic.normalize_arabic` for titles (bodies are indexed from
# `body_normalized`, already folded). Frozen here: a migration must not change when code does.
_FOLD = {"أ": "ا", "إ": "ا", "آ": "ا", "ٱ": "ا", "ى": "ي", "ئ": "ي", "ؤ": "و", "ة": "ه", "ی": "ي", "ک": "ك"}
_DROP = [chr(c) for c in range(0x064B, 0x0653)] + ["\u0670", "\u0640"]  # harakat, superscript alef, tatweel

# PostgreSQL: one search text per article, then a tsvector of its words plus their stems.
_PG_FUNCTIONS = """
CREATE OR REPLACE FUNCTION rasad_search_text(title text, body text) RETURNS text
LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
  SELECT regexp_replace(
    translate(lower(coalesce(title, '')), '{src}', '{dst}') || ' ' || coalesce(body, ''),
    '[^0-9a-zء-ي]+', ' ', 'g')
$$;
CREATE OR REPLACE FUNCTION rasad_search_document(title text, body text) RETURNS tsvector
LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
  SELECT strip(to_tsvector('simple', t || ' ' || regexp_replace(
    t, '(^| )(وبال|وكال|ولل|فبال|فكال|فلل|وال|فال|بال|كال|لل|ال|وب|وك|ول|فب|فك|فل|و|ف|ب|ك|ل)([^ ]{{3,}})',
    '\\1\\3', 'g')))
  FROM (SELECT rasad_search_text(title, body) AS t) AS s
$$;
CREATE OR REPLACE FUNCTION rasad_article_search_sync() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
  INSERT INTO article_search (article_id, document)
  VALUES (NEW.id, rasad_search_document(NEW.title, NEW.body_normalized))
  ON CONFLICT (article_id) DO UPDATE SET document = EXCLUDED.document;
  RETURN NULL;
END
$$;
CREATE TRIGGER articles_search_insert AFTER INSERT ON articles
  FOR EACH ROW EXECUTE FUNCTION rasad_article_search_sync();
CREATE TRIGGER articles_search_update AFTER UPDATE OF title, body_normalized ON articles
  FOR EACH ROW EXECUTE FUNCTION rasad_article_search_sync();
INSERT INTO article_search (article_id, document)
  SELECT id, rasad_search_document(title, body_normalized) FROM articles
  ON CONFLICT (article_id) DO NOTHING;
"""

_PG_DROP = """
DROP TRIGGER IF EXISTS articles_search_update ON articles;
DROP TRIGGER IF EXISTS articles_search_insert ON articles;
DROP FUNCTION IF EXISTS rasad_article_search_sync();
DROP FUNCTION IF EXISTS rasad_search_document(text, text);
DROP FUNCTION IF EXISTS rasad_search_text(text, text);
"""


def _sqlite_fold(column: str) -> str:
    """SQL that folds a title like normalize_arabic does for letters and diacritics."""
    expr = f"coalesce({column}, '')"
    for src, dst in _FOLD.items():
        expr = f"replace({expr}, '{src}', '{dst}')"
    for ch in _DROP:
        expr = f"replace({expr}, '{ch}', '')"
    return f"lower({expr})"


def _sqlite_statements() -> list[str]:
    new_title, old_title = _sqlite_fold("new.title"), _sqlite_fold("old.title")
    return [
        "CREATE VIRTUAL TABLE articles_fts USING fts5("
        "title, body_normalized, content='articles', content_rowid='id', tokenize='trigram')",
        f"""CREATE TRIGGER articles_fts_insert AFTER INSERT ON articles BEGIN
  INSERT INTO articles_fts (rowid, title, body_normalized) VALUES (new.id, {new_title}, new.body_normalized);
END""",
        f"""CREATE TRIGGER articles_fts_delete AFTER DELETE ON articles BEGIN
  INSERT INTO articles_fts (articles_fts, rowid, title, body_normalized)
  VALUES ('delete', old.id, {old_title}, old.body_normalized);
END""",
        f"""CREATE TRIGGER articles_fts_update AFTER UPDATE OF title, body_normalized ON articles BEGIN
  INSERT INTO articles_fts (articles_fts, rowid, title, body_normalized)
  VALUES ('delete', old.id, {old_title}, old.body_normalized);
  INSERT INTO articles_fts (rowid, title, body_normalized) VALUES (new.id, {new_title}, new.body_normalized);
END""",
        "INSERT INTO articles_fts (rowid, title, body_normalized) "
        f"SELECT id, {_sqlite_fold('title')}, body_normalized FROM articles",
    ]


def upgrade() -> None:
    op.create_table(
        "api_tokens",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(length=100), nullable=False),
        sa.Column("token_hash", sa.String(length=64), nullable=False),
        sa.Column("prefix", sa.String(length=12), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("last_used_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("revoked_at", sa.DateTime(timezone=True), nullable=True),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_api_tokens")),
        sa.UniqueConstraint("name", name=op.f("uq_api_tokens_name")),
        sa.UniqueConstraint("token_hash", name=op.f("uq_api_tokens_token_hash")),
    )
    op.create_table(
        "article_search",
        sa.Column("article_id", sa.Integer(), nullable=False),
        sa.Column("document", sa.Text().with_variant(postgresql.TSVECTOR(), "postgresql"), nullable=True),
        sa.ForeignKeyConstraint(
            ["article_id"], ["articles.id"], name=op.f("fk_article_search_article_id_articles"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("article_id", name=op.f("pk_article_search")),
    )
    # fastupdate off: a pending list of new entries would be scanned by every search until the next
    # vacuum (measured: search p95 190 ms instead of 30 ms after a bulk load); articles arrive one
    # at a time, so updating the index in place costs little.
    op.create_index(
        "ix_article_search_document",
        "article_search",
        ["document"],
        postgresql_using="gin",
        postgresql_with={"fastupdate": "off"},
    )
    op.create_index("ix_articles_duplicate_of_id", "articles", ["duplicate_of_id"])

    dialect = op.get_bind().dialect.name
    if dialect == "postgresql":
        src, dst = "".join(_FOLD) + "".join(_DROP), "".join(_FOLD.values())
        op.execute(_PG_FUNCTIONS.format(src=src, dst=dst))
    elif dialect == "sqlite":
        for statement in _sqlite_statements():
            op.execute(statement)


def downgrade() -> None:
    dialect = op.get_bind().dialect.name
    if dialect == "postgresql":
        op.execute(_PG_DROP)
    elif dialect == "sqlite":
        for trigger in ("articles_fts_insert", "articles_fts_delete", "articles_fts_update"):
            op.execute(f"DROP TRIGGER IF EXISTS {trigger}")
        op.execute("DROP TABLE IF EXISTS articles_fts")
    op.drop_index("ix_articles_duplicate_of_id", table_name="articles")
    op.drop_index("ix_article_search_document", table_name="article_search")
    op.drop_table("article_search")
    op.drop_table("api_tokens")
