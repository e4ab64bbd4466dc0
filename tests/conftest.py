"""Shared fixtures: an isolated configuration per test, real PostgreSQL/Redis, the fixture site."""

from __future__ import annotations

import os
import socket
import threading
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import create_engine, text

from db.session import dispose_engines
from rasad.settings import get_settings

POSTGRES_ADMIN_URL = os.environ.get("RASAD_TEST_POSTGRES_URL", "postgresql+psycopg://postgres@127.0.0.1:5432/test")
REDIS_URL = os.environ.get("RASAD_TEST_REDIS_URL", "redis://127.0.0.1:6379/0")

_ENV_KEYS = (
    "RASAD_DATA_DIR",
    "DATABASE_URL",
    "REDIS_URL",
    "CELERY_BROKER_URL",
    "RASAD_QUEUE",
    "RASAD_PROFILE",
    "RASAD_FIXTURES_URL",
)


def apply_env(monkeypatch: pytest.MonkeyPatch, **values: str | None) -> None:
    """Set (or unset, with None) environment variables and reset every cache that read them."""
    for key, value in values.items():
        if value is None:
            monkeypatch.delenv(key, raising=False)
        else:
            monkeypatch.setenv(key, value)
    reset_caches()


def reset_caches() -> None:
    """Forget settings, engines and the Celery app's broker so the next use reads the environment."""
    get_settings.cache_clear()
    dispose_engines()
    from workers.app import app, configure

    configure(app, get_settings())


@pytest.fixture(autouse=True)
def _settings_of_the_restored_environment() -> Iterator[None]:
    """After each test, once its environment is restored, forget what was read from the test's own.

    Autouse fixtures are set up first, so this teardown runs after `monkeypatch` has put the
    environment back: a cache filled during an earlier teardown (with a test's RASAD_TOPICS_DIR, say)
    does not leak into the next test.
    """
    yield
    reset_caches()


@pytest.fixture
def embedded_env(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    """The embedded default (SQLite + serverless broker) in a fresh data folder, migrated."""
    for key in _ENV_KEYS:
        monkeypatch.delenv(key, raising=False)
    apply_env(monkeypatch, RASAD_DATA_DIR=str(tmp_path / "data"), RASAD_QUEUE=f"rasad-test-{uuid.uuid4().hex[:8]}")
    from db.migrate import upgrade

    upgrade()
    yield tmp_path / "data"
    reset_caches()


@pytest.fixture
def postgres_url() -> Iterator[str]:
    """A fresh PostgreSQL database on 127.0.0.1 for this test, dropped afterwards."""
    name = f"rasad_test_{uuid.uuid4().hex[:12]}"
    admin = create_engine(POSTGRES_ADMIN_URL, isolation_level="AUTOCOMMIT")
    try:
        with admin.connect() as conn:
            conn.execute(text(f'CREATE DATABASE "{name}"'))
    except Exception as exc:  # pragma: no cover - CI starts PostgreSQL; a dev machine may not have it
        admin.dispose()
        pytest.fail(f"PostgreSQL at {POSTGRES_ADMIN_URL} is required for this test: {exc}")
    url = POSTGRES_ADMIN_URL.rsplit("/", 1)[0] + f"/{name}"
    yield url
    dispose_engines()
    with admin.connect() as conn:
        conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
    admin.dispose()


@pytest.fixture
def redis_url() -> str:
    """Real Redis on 127.0.0.1 (tests isolate themselves by queue name)."""
    import redis

    client = redis.Redis.from_url(REDIS_URL)
    try:
        client.ping()
    except redis.RedisError as exc:  # pragma: no cover
        pytest.fail(f"Redis at {REDIS_URL} is required for this test: {exc}")
    finally:
        client.close()
    return REDIS_URL


@pytest.fixture
def production_env(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, postgres_url: str, redis_url: str) -> Iterator[str]:
    """PostgreSQL + Redis configuration with a unique queue, migrated."""
    for key in _ENV_KEYS:
        monkeypatch.delenv(key, raising=False)
    apply_env(
        monkeypatch,
        RASAD_DATA_DIR=str(tmp_path / "data"),
        DATABASE_URL=postgres_url,
        REDIS_URL=redis_url,
        RASAD_QUEUE=f"rasad-test-{uuid.uuid4().hex[:8]}",
    )
    from db.migrate import upgrade

    upgrade()
    yield postgres_url
    reset_caches()


@pytest.fixture
def fixture_site(tmp_path: Path) -> Iterator[str]:
    """The fixture site on a free loopback port; yields its base URL."""
    from rasad.fixture_site import make_server

    server = make_server("127.0.0.1", 0, tmp_path / "site")
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}"
    server.shutdown()
    server.server_close()
    thread.join(5)


def free_port() -> int:
    """A TCP port nobody listens on right now (for 'outlet is down' tests)."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]
