"""`rasad up`: worker and scheduler as children in the foreground; Ctrl-C stops them all cleanly."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
from pathlib import Path

import pytest
from sqlalchemy import func, select

from db.schedule_models import CrawlSchedule
from db.session import session_scope
from tests.conftest import apply_env
from tests.integration.helpers import wait_until

pytestmark = pytest.mark.integration


def children_of(pid: int) -> set[int]:
    """Direct children of a process (Linux /proc)."""
    found = set()
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                stat = (entry / "stat").read_text()
            except OSError:
                continue
            if int(stat.rsplit(")", 1)[1].split()[1]) == pid:
                found.add(int(entry.name))
    return found


def alive(pid: int) -> bool:
    try:
        stat = Path(f"/proc/{pid}/stat").read_text()
    except OSError:
        return False
    return stat.rsplit(")", 1)[1].split()[0] != "Z"


@pytest.mark.parametrize("stop_signal", [signal.SIGINT, signal.SIGTERM])
def test_up_runs_worker_and_scheduler_and_stops_cleanly(
    embedded_env: Path, fixture_site: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, stop_signal: int
) -> None:
    apply_env(monkeypatch, RASAD_FIXTURES_URL=fixture_site, RASAD_PROFILE="fixtures")
    log = (tmp_path / "up.log").open("wb")
    proc = subprocess.Popen([sys.executable, "-m", "rasad", "up", "--no-api", "--tick", "2"], env=os.environ.copy(),
                            stdout=log, stderr=subprocess.STDOUT)  # fmt: skip
    try:
        wait_until(lambda: len(children_of(proc.pid)) >= 2, timeout=30, what="worker and scheduler processes")
        children = children_of(proc.pid)

        def scheduled() -> bool:
            with session_scope() as session:
                return (session.scalar(select(func.count()).select_from(CrawlSchedule)) or 0) == 5

        # The scheduler ticked and the worker ran the tick: every source was queued for its first crawl.
        wait_until(scheduled, timeout=90, what="the scheduler's first tick to run on the worker")
        proc.send_signal(stop_signal)
        assert proc.wait(timeout=60) == 0
    finally:
        if proc.poll() is None:
            proc.kill()
        log.close()
    assert not [pid for pid in children if alive(pid)], "children left running"
    output = (tmp_path / "up.log").read_text(errors="replace")
    assert "rasad up: worker, scheduler" in output and "rasad up: stopped" in output
