"""Fixtures of the fault tests: PostgreSQL with a private Redis, or the embedded default; a direct view of the store."""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
from sqlalchemy import create_engine, text

from tests.conftest import _ENV_KEYS, apply_env, reset_caches
from tests.faults.services import RedisServer, Store, redis_server


@dataclass
class FaultEnv:
    """What a fault test breaks and inspects."""

    database_url: str
    redis: RedisServer | None  # None on the embedded broker
    store: Store
    queue: str
    broker_file: Path | None = None  # the embedded broker's SQLite file

    def broker_messages(self) -> tuple[int, int]:
        """(waiting, in flight) messages of the queue: Redis' list and `unacked` hash, or the broker's table."""
        if self.redis is not None:
            client = self.redis.client()
            try:
                return int(client.llen(self.queue)), int(client.hlen("unacked"))
            finally:
                client.close()
        assert self.broker_file is not None
        engine = create_engine(f"sqlite:///{self.broker_file}")
        try:
            with engine.connect() as conn:
                rows = conn.execute(
                    text(
                        "SELECT m.visible, count(*) FROM kombu_message m JOIN kombu_queue q ON m.queue_id = q.id "
                        "WHERE q.name = :queue GROUP BY m.visible"
                    ),
                    {"queue": self.queue},
                ).all()
        finally:
            engine.dispose()
        counts = {bool(visible): int(total) for visible, total in rows}
        return counts.get(True, 0), counts.get(False, 0)


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


@pytest.fixture
def embedded_fault_env(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, fixture_site: str) -> Iterator[FaultEnv]:
    """The embedded default (SQLite store, SQLite broker) in a fresh data folder, the fixture profile, migrated."""
    for key in _ENV_KEYS:
        monkeypatch.delenv(key, raising=False)
    data = tmp_path / "data"
    queue = f"rasad-fault-{uuid.uuid4().hex[:8]}"
    apply_env(
        monkeypatch,
        RASAD_DATA_DIR=str(data),
        RASAD_QUEUE=queue,
        RASAD_PROFILE="fixtures",
        RASAD_FIXTURES_URL=fixture_site,
    )
    from db.migrate import upgrade
    from rasad.settings import get_settings

    upgrade()
    url = get_settings().resolved_database_url
    store = Store(url)
    try:
        yield FaultEnv(url, None, store, queue, broker_file=data / "broker.sqlite")
    finally:
        store.dispose()
        reset_caches()


@pytest.fixture(params=["embedded", "redis"])
def fault_env(request: pytest.FixtureRequest) -> FaultEnv:
    """Each backend in turn: the embedded default, then PostgreSQL with a private Redis."""
    name = "embedded_fault_env" if request.param == "embedded" else "private_redis_env"
    env: FaultEnv = request.getfixturevalue(name)
    return env
