"""Helpers for end-to-end tests: real worker subprocesses and `rasad` invocations."""

from __future__ import annotations

import os
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

from rasad.cli.up_cmd import stop_children


def rasad(*args: str, timeout: float = 300, check: bool = True) -> subprocess.CompletedProcess[str]:
    """Run the `rasad` command in a child process with the test's environment."""
    result = subprocess.run(
        [sys.executable, "-m", "rasad", *args], env=os.environ.copy(), capture_output=True, text=True, timeout=timeout
    )
    if check and result.returncode != 0:
        raise AssertionError(f"rasad {' '.join(args)} exited {result.returncode}:\n{result.stdout}\n{result.stderr}")
    return result


@contextmanager
def rasad_process(log_path: Path, *args: str) -> Iterator[subprocess.Popen[bytes]]:
    """A long-running `rasad ...` child process for the duration of the block, stopped with SIGTERM."""
    with log_path.open("wb") as log:
        proc = subprocess.Popen(
            [sys.executable, "-m", "rasad", *args], env=os.environ.copy(), stdout=log, stderr=subprocess.STDOUT
        )
        try:
            yield proc
        finally:
            stop_children({args[0]: proc})


@contextmanager
def worker_process(log_path: Path, concurrency: int = 2) -> Iterator[subprocess.Popen[bytes]]:
    """A real Celery worker (`rasad worker`) for the duration of the block."""
    with rasad_process(log_path, "worker", "--concurrency", str(concurrency), "--loglevel", "INFO") as proc:
        yield proc


def wait_until(condition: Callable[[], bool], *, timeout: float = 120, what: str = "condition") -> None:
    """Poll `condition` until true; fail with `what` after `timeout` seconds."""
    deadline = time.monotonic() + timeout
    while not condition():
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out after {timeout:.0f}s waiting for {what}")
        time.sleep(0.25)
