"""Fixtures of the API tests: populated SQLite and PostgreSQL stores, and a client over the app."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

import pytest

from tests.api.populate import populate

# Starlette's TestClient warns that it wants httpx2; the client itself works and is what FastAPI documents.
TESTCLIENT_WARNING = "ignore:Using `httpx` with `starlette.testclient` is deprecated"


@dataclass
class Store:
    """A populated database: its kind and the ids of the fixture articles."""

    kind: str
    ids: dict[str, int]


@pytest.fixture(params=["sqlite", "postgresql"])
def store(request: pytest.FixtureRequest) -> Store:
    """The fixture articles in the embedded SQLite, then in a fresh PostgreSQL database."""
    request.getfixturevalue("embedded_env" if request.param == "sqlite" else "production_env")
    return Store(request.param, populate())


@pytest.fixture
def sqlite_store(embedded_env: Any) -> Store:
    """The fixture articles in the embedded SQLite only."""
    return Store("sqlite", populate())


def make_client(**settings: Any) -> Any:
    """A TestClient over a fresh app (settings as ApiSettings keyword arguments)."""
    import warnings

    with warnings.catch_warnings():
        warnings.filterwarnings("ignore", message="Using `httpx` with `starlette.testclient` is deprecated")
        from fastapi.testclient import TestClient

    from rasad.api.app import create_app
    from rasad.settings import ApiSettings

    return TestClient(create_app(ApiSettings(**settings)), raise_server_exceptions=False)


@pytest.fixture
def client(store: Store) -> Iterator[Any]:
    """A client over the app with the populated store."""
    with make_client() as c:
        yield c
