"""Fixtures of the fault tests: PostgreSQL with a private Redis, a direct view of the store."""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

from tests.conftest import _ENV_KEYS, apply_env, reset_caches
from tests.faults.services import RedisServer, Store, redis_server


@dataclass
class FaultEnv:
    """What a fault test breaks and inspects."""

    postgres_url: str
    redis: RedisServer
    store: Store
    queue: str


@pytest.fixture
def private_redis_env(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, postgres_url: str, fixture_site: str
) -> Iterator[FaultEnv]:
    """A fresh PostgreSQL database, our own redis-server (AOF on), the fixture profile, migrated.

    A private Redis keeps a short visibility timeout (and restarts) away from the shared server,
    whose `unacked` hash other engineers' workers also use.
    """
    for key in _ENV_KEYS:
        monkeypatch.delenv(key, raising=False)
    with redis_server(tmp_path / "redis") as server:
        queue = f"rasad-fault-{uuid.uuid4().hex[:8]}"
        apply_env(
            monkeypatch,
            RASAD_DATA_DIR=str(tmp_path / "data"),
            DATABASE_URL=postgres_url,
            REDIS_URL=server.url,
            RASAD_QUEUE=queue,
            RASAD_PROFILE="fixtures",
            RASAD_FIXTURES_URL=fixture_site,
        )
        from db.migrate import upgrade

        upgrade()
        store = Store(postgres_url)
        try:
            yield FaultEnv(postgres_url, server, store, queue)
        finally:
            store.dispose()
            reset_caches()
