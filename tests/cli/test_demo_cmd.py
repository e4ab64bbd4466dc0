"""`make demo` as a newcomer meets it: the run, an 80-column terminal, and how to look at what it found."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import urllib.request
from pathlib import Path

import pytest
from rich.cells import cell_len

from rasad.cli.up_cmd import stop_children
from tests.conftest import free_port
from tests.integration.helpers import wait_until

pytestmark = pytest.mark.integration


def _env(**extra: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if k not in ("DATABASE_URL", "REDIS_URL", "CELERY_BROKER_URL")}
    env.update(extra)
    return env


def _articles(port: int) -> int:
    try:
        with urllib.request.urlopen(f"http://127.0.0.1:{port}/articles", timeout=5) as response:
            return len(json.loads(response.read())["items"])
    except OSError:
        return -1


def test_the_demo_fits_80_columns_and_its_explore_commands_show_what_it_found(tmp_path: Path) -> None:
    data = tmp_path / "demo"
    run = subprocess.run(
        [sys.executable, "-m", "rasad", "demo", "--data-dir", str(data)],
        capture_output=True,
        text=True,
        env=_env(COLUMNS="80", RASAD_DATA_DIR=str(tmp_path / "default")),
        timeout=600,
    )
    assert run.returncode == 0, run.stdout[-3000:] + run.stderr[-3000:]
    table_lines = [line for line in run.stdout.splitlines() if line[:1] in "┏┃┡│└"]
    assert table_lines and max(cell_len(line) for line in table_lines) <= 80  # display cells, not code points
    assert "Explore what the demo found" in run.stdout
    assert f"RASAD_DATA_DIR={data} .venv/bin/rasad serve" in run.stdout

    # the documented prefix points every command at the demo's data
    listed = subprocess.run(
        [sys.executable, "-m", "rasad", "articles", "list", "--json"],
        capture_output=True,
        text=True,
        env=_env(RASAD_DATA_DIR=str(data)),
        timeout=120,
    )
    assert listed.returncode == 0, listed.stderr
    assert len([json.loads(line) for line in listed.stdout.splitlines() if line.strip()]) >= 6  # one per line
    port = free_port()
    with (tmp_path / "serve.log").open("wb") as log:
        serve = subprocess.Popen(
            [sys.executable, "-m", "rasad", "serve", "--port", str(port)],
            env=_env(RASAD_DATA_DIR=str(data)),
            stdout=log,
            stderr=subprocess.STDOUT,
        )
        try:
            wait_until(lambda: _articles(port) >= 6, timeout=60, what="the API on the demo's data")
        finally:
            stop_children({"serve": serve})
