"""Migrations build exactly the schema the models describe, on SQLite and PostgreSQL."""

from __future__ import annotations

from pathlib import Path

import pytest
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import inspect

from db.api_models import include_name
from db.base import Base
from db.migrate import upgrade
from db.registry import import_all_models
from db.session import make_engine

import_all_models()


def assert_schema_matches_models(url: str) -> None:
    upgrade(url)
    engine = make_engine(url)
    try:
        with engine.connect() as conn:
            context = MigrationContext.configure(conn, opts={"include_name": include_name})
            diff = compare_metadata(context, Base.metadata)
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
