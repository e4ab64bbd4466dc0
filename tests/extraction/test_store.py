from __future__ import annotations

import datetime as dt
import importlib.util
from pathlib import Path

import sqlalchemy as sa
from alembic.migration import MigrationContext
from alembic.operations import Operations
from sqlalchemy.orm import Session

from db.base import Base
from db.extraction_models import ArticleTopic, ExtractedEntity, ExtractedEvent, ExtractedMention
from db.extraction_store import save_extraction
from db.registry import import_all_models
from rasad.extraction import extract

BODY = (
    "أجرى وزير الدفاع التركي خلوصي أكار ونظيره السوري علي محمود عباس محادثات في موسكو أمس، "
    "في إطار مسار تطبيع العلاقات بين أنقرة ودمشق."
)


def _engine() -> sa.Engine:
    import_all_models()
    engine = sa.create_engine("sqlite://")
    extraction_tables = [
        t for name, t in Base.metadata.tables.items() if name.startswith("extraction_") or name == "article_topics"
    ]
    with engine.begin() as conn:
        conn.exec_driver_sql("CREATE TABLE articles (id INTEGER PRIMARY KEY)")
        conn.exec_driver_sql("INSERT INTO articles (id) VALUES (1), (2)")
        Base.metadata.create_all(conn, tables=extraction_tables)
    return engine


def test_save_replaces_previous_extraction(kb):
    engine = _engine()
    result = extract(title=None, body=BODY, published_at=dt.date(2022, 12, 29), kb=kb)
    with Session(engine) as session, session.begin():
        save_extraction(session, 1, result)
        save_extraction(session, 2, result)
    with Session(engine) as session, session.begin():
        save_extraction(session, 1, result)  # re-run: replaced, not duplicated
    with Session(engine) as session:
        persons = session.scalars(
            sa.select(ExtractedEntity).where(ExtractedEntity.article_id == 1, ExtractedEntity.kind == "person")
        ).all()
        assert sorted(p.name for p in persons) == ["Ali Mahmoud Abbas", "Hulusi Akar"]
        akar = next(p for p in persons if p.name == "Hulusi Akar")
        assert akar.role == "Turkish defence minister" and akar.known
        mention = session.scalars(sa.select(ExtractedMention).where(ExtractedMention.entity_id == akar.id)).one()
        assert BODY[mention.start_offset : mention.end_offset] == "خلوصي أكار"
        (event,) = session.scalars(sa.select(ExtractedEvent).where(ExtractedEvent.article_id == 1)).all()
        assert event.level == "defence_ministers" and event.date == "2022-12-28" and len(event.evidence) == 1
        topics = session.scalars(
            sa.select(ArticleTopic).where(ArticleTopic.article_id == 1).order_by(ArticleTopic.id)
        ).all()
        assert [t.topic for t in topics] == ["turkey_syria_normalization", "turkey_syria_after_assad"]
        assert topics[0].relevant and not topics[1].relevant  # a meeting of 2022: the older story
        assert session.scalar(sa.select(sa.func.count()).select_from(ExtractedEvent)) == 2


def test_rollback_keeps_the_old_extraction(kb):
    engine = _engine()
    result = extract(title=None, body=BODY, published_at=dt.date(2022, 12, 29), kb=kb)
    with Session(engine) as session, session.begin():
        save_extraction(session, 1, result)
    session = Session(engine)
    session.begin()
    save_extraction(session, 1, extract(title=None, body="لا شيء هنا", published_at=None, kb=kb))
    session.rollback()
    session.close()
    with Session(engine) as session:
        assert session.scalar(sa.select(sa.func.count()).select_from(ExtractedEvent)) == 1


def _migration(filename: str):
    path = Path(__file__).resolve().parents[2] / "db" / "migrations" / "versions" / filename
    spec = importlib.util.spec_from_file_location(path.stem, path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_migration_matches_models():
    import_all_models()
    module = _migration("0002_extraction.py")
    assert (module.revision, module.down_revision) == ("0002", "0001")
    dropped_later = {index for index, _table, _column in _migration("0011_search_words_from_the_app.py")._COVERED}
    engine = sa.create_engine("sqlite://")
    with engine.begin() as conn:
        conn.exec_driver_sql("CREATE TABLE articles (id INTEGER PRIMARY KEY)")
        ctx = MigrationContext.configure(conn)
        module.op = Operations(ctx)
        module.upgrade()
        inspector = sa.inspect(conn)
        for name, table in Base.metadata.tables.items():
            if not (name.startswith("extraction_") or name == "article_topics"):
                continue
            columns = {c["name"] for c in inspector.get_columns(name)}
            assert columns == {c.name for c in table.columns}, name
            indexes = {i["name"] for i in inspector.get_indexes(name)} - dropped_later
            assert indexes == {i.name for i in table.indexes}, name
        module.downgrade()
        assert not [t for t in sa.inspect(conn).get_table_names() if t.startswith("extraction_")]
