"""Migrations build exactly the schema the models describe, on SQLite and PostgreSQL."""

from __future__ import annotations

from pathlib import Path

import pytest
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import inspect

import db.models  # noqa: F401
from db.base import Base
from db.migrate import upgrade
from db.session import make_engine

try:
    import db.extraction_models  # noqa: F401
except ImportError:  # pragma: no cover
    pass


def assert_schema_matches_models(url: str) -> None:
    upgrade(url)
    engine = make_engine(url)
    try:
        with engine.connect() as conn:
            diff = compare_metadata(MigrationContext.configure(conn), Base.metadata)
            assert diff == [], f"models and migrations disagree: {diff}"
            tables = set(inspect(conn).get_table_names())
        assert {"sources", "crawl_runs", "crawl_failures", "raw_pages", "articles", "alerts"} <= tables
    finally:
        engine.dispose()


def test_sqlite_schema(tmp_path: Path) -> None:
    assert_schema_matches_models(f"sqlite:///{tmp_path / 'x.sqlite'}")


@pytest.mark.integration
def test_postgres_schema(postgres_url: str) -> None:
    assert_schema_matches_models(postgres_url)


def test_upgrade_is_idempotent(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'x.sqlite'}"
    upgrade(url)
    upgrade(url)  # a second run is a no-op, not an error
