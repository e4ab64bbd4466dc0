"""extraction: entities, mentions, events with evidence, quotes, article topics

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-22
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None


def _article_fk(table: str) -> sa.ForeignKeyConstraint:
    return sa.ForeignKeyConstraint(
        ["article_id"], ["articles.id"], name=op.f(f"fk_{table}_article_id_articles"), ondelete="CASCADE"
    )


def upgrade() -> None:
    op.create_table(
        "extraction_entities",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("article_id", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(length=16), nullable=False),
        sa.Column("name", sa.String(length=300), nullable=False),
        sa.Column("kb_id", sa.String(length=100), nullable=True),
        sa.Column("known", sa.Boolean(), nullable=False),
        sa.Column("role", sa.String(length=300), nullable=True),
        sa.Column("role_kind", sa.String(length=64), nullable=True),
        sa.Column("wikidata", sa.String(length=32), nullable=True),
        sa.Column("country", sa.String(length=2), nullable=True),
        sa.Column("subtype", sa.String(length=32), nullable=True),
        _article_fk("extraction_entities"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_extraction_entities")),
    )
    op.create_index(op.f("ix_extraction_entities_article_id"), "extraction_entities", ["article_id"])
    op.create_index(op.f("ix_extraction_entities_name"), "extraction_entities", ["name"])
    op.create_index(op.f("ix_extraction_entities_kb_id"), "extraction_entities", ["kb_id"])
    op.create_table(
        "extraction_mentions",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("entity_id", sa.Integer(), nullable=False),
        sa.Column("article_id", sa.Integer(), nullable=False),
        sa.Column("text", sa.String(length=500), nullable=False),
        sa.Column("start_offset", sa.Integer(), nullable=False),
        sa.Column("end_offset", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["entity_id"],
            ["extraction_entities.id"],
            name=op.f("fk_extraction_mentions_entity_id_extraction_entities"),
            ondelete="CASCADE",
        ),
        _article_fk("extraction_mentions"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_extraction_mentions")),
    )
    op.create_index(op.f("ix_extraction_mentions_entity_id"), "extraction_mentions", ["entity_id"])
    op.create_index(op.f("ix_extraction_mentions_article_id"), "extraction_mentions", ["article_id"])
    op.create_table(
        "extraction_events",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("article_id", sa.Integer(), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(length=16), nullable=False),
        sa.Column("status", sa.String(length=16), nullable=False),
        sa.Column("level", sa.String(length=32), nullable=False),
        sa.Column("countries", sa.JSON(), nullable=False),
        sa.Column("persons", sa.JSON(), nullable=False),
        sa.Column("location", sa.String(length=200), nullable=True),
        sa.Column("date", sa.String(length=10), nullable=True),
        sa.Column("mediator", sa.String(length=2), nullable=True),
        _article_fk("extraction_events"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_extraction_events")),
    )
    for col in ("article_id", "status", "level", "date"):
        op.create_index(op.f(f"ix_extraction_events_{col}"), "extraction_events", [col])
    op.create_table(
        "extraction_event_evidence",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("event_id", sa.Integer(), nullable=False),
        sa.Column("text", sa.Text(), nullable=False),
        sa.Column("start_offset", sa.Integer(), nullable=False),
        sa.Column("end_offset", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["event_id"],
            ["extraction_events.id"],
            name=op.f("fk_extraction_event_evidence_event_id_extraction_events"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_extraction_event_evidence")),
    )
    op.create_index(op.f("ix_extraction_event_evidence_event_id"), "extraction_event_evidence", ["event_id"])
    op.create_table(
        "extraction_quotes",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("article_id", sa.Integer(), nullable=False),
        sa.Column("speaker", sa.String(length=300), nullable=False),
        sa.Column("text", sa.Text(), nullable=False),
        sa.Column("direct", sa.Boolean(), nullable=False),
        sa.Column("start_offset", sa.Integer(), nullable=False),
        sa.Column("end_offset", sa.Integer(), nullable=False),
        _article_fk("extraction_quotes"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_extraction_quotes")),
    )
    op.create_index(op.f("ix_extraction_quotes_article_id"), "extraction_quotes", ["article_id"])
    op.create_index(op.f("ix_extraction_quotes_speaker"), "extraction_quotes", ["speaker"])
    op.create_table(
        "article_topics",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("article_id", sa.Integer(), nullable=False),
        sa.Column("topic", sa.String(length=100), nullable=False),
        sa.Column("score", sa.Float(), nullable=False),
        sa.Column("relevant", sa.Boolean(), nullable=False),
        sa.Column("reasons", sa.JSON(), nullable=False),
        _article_fk("article_topics"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_article_topics")),
        sa.UniqueConstraint("article_id", "topic", name="uq_article_topics_article_id_topic"),
    )
    for col in ("article_id", "topic", "relevant"):
        op.create_index(op.f(f"ix_article_topics_{col}"), "article_topics", [col])


def downgrade() -> None:
    for col in ("relevant", "topic", "article_id"):
        op.drop_index(op.f(f"ix_article_topics_{col}"), table_name="article_topics")
    op.drop_table("article_topics")
    op.drop_index(op.f("ix_extraction_quotes_speaker"), table_name="extraction_quotes")
    op.drop_index(op.f("ix_extraction_quotes_article_id"), table_name="extraction_quotes")
    op.drop_table("extraction_quotes")
    op.drop_index(op.f("ix_extraction_event_evidence_event_id"), table_name="extraction_event_evidence")
    op.drop_table("extraction_event_evidence")
    for col in ("date", "level", "status", "article_id"):
        op.drop_index(op.f(f"ix_extraction_events_{col}"), table_name="extraction_events")
    op.drop_table("extraction_events")
    op.drop_index(op.f("ix_extraction_mentions_article_id"), table_name="extraction_mentions")
    op.drop_index(op.f("ix_extraction_mentions_entity_id"), table_name="extraction_mentions")
    op.drop_table("extraction_mentions")
    op.drop_index(op.f("ix_extraction_entities_kb_id"), table_name="extraction_entities")
    op.drop_index(op.f("ix_extraction_entities_name"), table_name="extraction_entities")
    op.drop_index(op.f("ix_extraction_entities_article_id"), table_name="extraction_entities")
    op.drop_table("extraction_entities")
