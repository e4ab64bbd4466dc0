"""Programmatic Alembic: `upgrade()` brings a database to the newest schema."""

from __future__ import annotations

from pathlib import Path

from alembic import command
from alembic.config import Config

ALEMBIC_INI = Path(__file__).with_name("alembic.ini")


def alembic_config(database_url: str | None = None) -> Config:
    """The project's Alembic configuration, optionally pinned to a database URL."""
    config = Config(str(ALEMBIC_INI))
    config.set_main_option("script_location", str(ALEMBIC_INI.parent / "migrations"))
    if database_url:
        config.attributes["database_url"] = database_url
    return config


def upgrade(database_url: str | None = None, revision: str = "heads") -> None:
    """Apply every migration up to `revision` (default: all heads, so parallel branches all apply)."""
    command.upgrade(alembic_config(database_url), revision)


def current(database_url: str | None = None) -> None:
    """Print the current revision."""
    command.current(alembic_config(database_url))
