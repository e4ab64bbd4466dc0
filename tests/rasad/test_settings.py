"""A setting that cannot work is one line naming its variable, in every command, never a traceback."""

from __future__ import annotations

import json
import os
import socket
import subprocess
import sys
from pathlib import Path

import pytest
from typer.testing import CliRunner

from rasad.cli.main import app
from rasad.settings import SettingsError, get_settings
from tests.conftest import apply_env, reset_caches

RASAD = [sys.executable, "-m", "rasad"]


@pytest.mark.parametrize(
    ("variable", "value"),
    [
        ("DATABASE_URL", "not a url"),
        ("DATABASE_URL", "mysql://root@127.0.0.1/test"),
        ("REDIS_URL", "127.0.0.1:6379"),
        ("CELERY_BROKER_URL", "kafka://broker:9092"),
    ],
)
def test_a_bad_url_is_named(variable: str, value: str, monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    apply_env(monkeypatch, RASAD_DATA_DIR=str(tmp_path / "data"))
    monkeypatch.setenv(variable, value)
    get_settings.cache_clear()
    with pytest.raises(SettingsError, match=f"^{variable} must be a URL starting with one of"):
        get_settings()
    for command in (["articles", "list"], ["status"], ["db", "upgrade"]):
        result = CliRunner().invoke(app, command)
        assert result.exit_code == 1, result.output
        assert result.output.strip().splitlines() == [f"error: {variable} must be a URL " + result.output.split(
            "must be a URL ", 1)[1].strip()]  # fmt: skip
    monkeypatch.undo()
    reset_caches()


def test_serve_checks_settings_first_and_logs_json(tmp_path: Path) -> None:
    env = {**os.environ, "RASAD_DATA_DIR": str(tmp_path / "data"), "DATABASE_URL": "not a url"}
    done = subprocess.run([*RASAD, "serve"], env=env, capture_output=True, text=True, timeout=60)
    assert done.returncode == 1 and done.stderr.strip().startswith("error: DATABASE_URL must be a URL")
    assert "Traceback" not in done.stderr
    with socket.socket() as busy:  # uvicorn's own error line, as JSON like every other line
        busy.bind(("127.0.0.1", 0))
        busy.listen()
        env.pop("DATABASE_URL")
        port = str(busy.getsockname()[1])
        done = subprocess.run([*RASAD, "--log-format", "json", "serve", "--port", port], env=env, capture_output=True,
                              text=True, timeout=60)  # fmt: skip
    records = [json.loads(line) for line in done.stderr.splitlines() if line.startswith("{")]
    assert any(r["logger"].startswith("uvicorn") and "address already in use" in r["message"] for r in records)
