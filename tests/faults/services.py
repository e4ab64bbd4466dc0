"""Processes the fault tests own and break: a private redis-server, worker process groups, probes."""

from __future__ import annotations

import contextlib
import os
import signal
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import redis
from sqlalchemy import create_engine, func, select, text

from db.models import Article, PageState, RawPage
from tests.conftest import free_port
from tests.integration.helpers import wait_until


class RedisServer:
    """A redis-server of our own on a free port, persisting to an append-only file in `directory`.

    Tests stop and restart it at will; the shared Redis on 6379 is never touched.
    """

    def __init__(self, directory: Path) -> None:
        self.directory = directory
        self.port = free_port()
        self.proc: subprocess.Popen[bytes] | None = None
        directory.mkdir(parents=True, exist_ok=True)

    @property
    def url(self) -> str:
        """The broker URL of this server."""
        return f"redis://127.0.0.1:{self.port}/0"

    def start(self) -> None:
        """Start (or restart, on the same port and data) and wait until it answers."""
        log = (self.directory / "redis.log").open("ab")
        self.proc = subprocess.Popen(
            ["redis-server", "--port", str(self.port), "--bind", "127.0.0.1", "--appendonly", "yes",
             "--appendfsync", "always", "--save", "", "--dir", str(self.directory)],
            stdout=log, stderr=subprocess.STDOUT,
        )  # fmt: skip
        log.close()
        wait_until(self.ping, timeout=15, what=f"redis-server on port {self.port}")

    def stop(self) -> None:
        """Shut it down (SIGTERM: the append-only file is flushed, as on a clean restart)."""
        if self.proc is not None and self.proc.poll() is None:
            self.proc.send_signal(signal.SIGTERM)
            try:
                self.proc.wait(timeout=15)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait()
        self.proc = None

    def ping(self) -> bool:
        """True when the server answers."""
        client = redis.Redis(port=self.port, socket_timeout=1, socket_connect_timeout=1)
        try:
            return bool(client.ping())
        except redis.RedisError:
            return False
        finally:
            client.close()

    def client(self) -> redis.Redis:
        """A client for assertions (close it, or use it briefly)."""
        return redis.Redis(port=self.port, socket_timeout=5)


@contextlib.contextmanager
def redis_server(directory: Path) -> Iterator[RedisServer]:
    """A private, running redis-server; stopped at the end of the block."""
    server = RedisServer(directory)
    server.start()
    try:
        yield server
    finally:
        server.stop()


class WorkerGroup:
    """`rasad worker` in its own process group, so the main process and its pool die together.

    `hostile=True` runs it as `tests.faults.hostile_worker`: marked pages kill or stall their pool process.
    """

    def __init__(self, log_path: Path, concurrency: int = 2, *, hostile: bool = False) -> None:
        self.log_path = log_path
        self.concurrency = concurrency
        self.module = "tests.faults.hostile_worker" if hostile else "rasad"
        self.proc: subprocess.Popen[bytes] | None = None

    def start(self) -> WorkerGroup:
        """Start the worker with the current environment."""
        with self.log_path.open("ab") as log:
            self.proc = subprocess.Popen(
                [sys.executable, "-m", self.module, "--verbose", "worker",
                 "--concurrency", str(self.concurrency), "--loglevel", "INFO"],
                env=os.environ.copy(), stdout=log, stderr=subprocess.STDOUT, start_new_session=True,
            )  # fmt: skip
        return self

    def kill(self) -> None:
        """SIGKILL the whole process group: no warm shutdown, no acknowledgement, no requeue."""
        if self.proc is None:
            return
        with contextlib.suppress(ProcessLookupError):
            os.killpg(self.proc.pid, signal.SIGKILL)
        self.proc.wait(timeout=10)
        # The pool children are reparented when the main process dies; wait for the group to be gone.
        wait_until(lambda: not _group_alive(self.proc.pid), timeout=10, what="the worker's process group to die")  # type: ignore[union-attr]

    def stop(self) -> None:
        """Warm shutdown (SIGTERM), then SIGKILL of the group if it lingers."""
        if self.proc is None:
            return
        if self.proc.poll() is None:
            with contextlib.suppress(ProcessLookupError):
                os.killpg(self.proc.pid, signal.SIGTERM)
            with contextlib.suppress(subprocess.TimeoutExpired):
                self.proc.wait(timeout=20)
        with contextlib.suppress(ProcessLookupError):
            os.killpg(self.proc.pid, signal.SIGKILL)
        with contextlib.suppress(subprocess.TimeoutExpired):
            self.proc.wait(timeout=5)

    @property
    def alive(self) -> bool:
        """True while the main worker process runs."""
        return self.proc is not None and self.proc.poll() is None

    def log(self) -> str:
        """What the worker wrote so far."""
        return self.log_path.read_text(encoding="utf-8", errors="replace") if self.log_path.exists() else ""


def _group_alive(pgid: int) -> bool:
    try:
        os.killpg(pgid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


@contextlib.contextmanager
def worker_group(log_path: Path, concurrency: int = 2, *, hostile: bool = False) -> Iterator[WorkerGroup]:
    """A running worker group, stopped (or killed) at the end of the block."""
    group = WorkerGroup(log_path, concurrency, hostile=hostile).start()
    try:
        yield group
    finally:
        group.stop()


class Store:
    """Direct reads of the store, bypassing any proxy (the test's view of the truth)."""

    def __init__(self, url: str) -> None:
        self.engine = create_engine(url, isolation_level="AUTOCOMMIT")

    def counts(self) -> tuple[int, int, int]:
        """(raw pages, pending pages, articles); a failed page (tries left) counts as pending."""
        with self.engine.connect() as conn:
            pages = conn.scalar(select(func.count()).select_from(RawPage)) or 0
            pending = conn.scalar(
                select(func.count())
                .select_from(RawPage)
                .where(RawPage.state.in_((PageState.PENDING, PageState.FAILED)))
            )
            articles = conn.scalar(select(func.count()).select_from(Article)) or 0
        return pages, pending or 0, articles

    def page(self, page_id: int) -> tuple[PageState, int]:
        """(state, tries counted) of one raw page."""
        with self.engine.connect() as conn:
            row = conn.execute(select(RawPage.state, RawPage.attempts).where(RawPage.id == page_id)).one()
        return row.state, row.attempts

    def all_processed(self, at_least: int = 1) -> bool:
        """At least `at_least` pages and none pending."""
        pages, pending, _ = self.counts()
        return pages >= at_least and pending == 0

    def duplicates(self) -> int:
        """Articles beyond the first per URL or per raw page (the schema forbids them; we check anyway)."""
        with self.engine.connect() as conn:
            urls = conn.scalar(text("SELECT count(*) - count(DISTINCT url) FROM articles")) or 0
            pages = conn.scalar(text("SELECT count(*) - count(DISTINCT raw_page_id) FROM articles")) or 0
        return int(urls) + int(pages)

    def waiting_on_locks(self) -> int:
        """Backends of this database blocked on a lock (a worker caught mid-task)."""
        with self.engine.connect() as conn:
            return int(
                conn.scalar(
                    text(
                        "SELECT count(*) FROM pg_stat_activity WHERE datname = current_database() "
                        "AND wait_event_type = 'Lock' AND pid <> pg_backend_pid()"
                    )
                )
                or 0
            )

    def dispose(self) -> None:
        """Close pooled connections (before the database is dropped)."""
        self.engine.dispose()


def wait_for(condition: object, *, timeout: float, what: str) -> None:
    """`wait_until` with a shorter poll, for conditions that flip fast."""
    deadline = time.monotonic() + timeout
    while not condition():  # type: ignore[operator]
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out after {timeout:.0f}s waiting for {what}")
        time.sleep(0.1)
