"""Secrets come from the environment and are never printed or logged, even when things go wrong."""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlalchemy.engine import make_url

from tests.conftest import _ENV_KEYS, apply_env, free_port
from tests.integration.helpers import rasad

pytestmark = pytest.mark.integration

DB_SECRET = "Sup3r-S3cret-db-pw"
BROKER_SECRET = "Br0ker-S3cret-pw"


def test_passwords_appear_in_no_output_or_log(
    postgres_url: str, fixture_site: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    for key in _ENV_KEYS:
        monkeypatch.delenv(key, raising=False)
    # The test server trusts loopback, so it accepts any password: the URL still carries one.
    with_password = make_url(postgres_url).set(password=DB_SECRET).render_as_string(hide_password=False)
    apply_env(
        monkeypatch,
        RASAD_DATA_DIR=str(tmp_path / "data"),
        DATABASE_URL=with_password,
        # A broker that is down, with a password: its failures are logged, its secret must not be.
        REDIS_URL=f"redis://:{BROKER_SECRET}@127.0.0.1:{free_port()}/0",
        RASAD_PROFILE="fixtures",
        RASAD_FIXTURES_URL=fixture_site,
    )
    outputs = [
        rasad("db", "upgrade"),
        rasad("--verbose", "crawl", "orient", "syriatv", timeout=180),
        rasad("--verbose", "--log-format", "json", "status", "--json", check=False),
    ]
    assert outputs[-1].returncode == 1  # the broker is down: status says so in its exit code too
    down = make_url(postgres_url).set(password=DB_SECRET, port=free_port()).render_as_string(hide_password=False)
    monkeypatch.setenv("DATABASE_URL", down)
    outputs.append(rasad("--verbose", "db", "upgrade", check=False))
    assert outputs[-1].returncode != 0
    assert "***" in outputs[0].stdout  # the upgrade names its database, password masked
    assert "stays pending" in outputs[1].stderr  # the broker failure was logged
    for result in outputs:
        for secret in (DB_SECRET, BROKER_SECRET):
            assert secret not in result.stdout and secret not in result.stderr, (result.args, secret)
