"""`rasad up`: the whole service in the foreground (worker, scheduler, HTTP API), stopped cleanly by Ctrl-C."""

from __future__ import annotations

import importlib.util
import signal
import subprocess
import sys
import time
from types import FrameType

import typer

from rasad.cli.errors import cli_errors, fail

STOP_TIMEOUT = 30.0  # seconds a child gets to finish its current task before it is killed


def api_available() -> bool:
    """Whether the HTTP API (`rasad.api.app.create_app`) is installed."""
    try:
        spec = importlib.util.find_spec("rasad.api.app")
    except ModuleNotFoundError:
        return False
    if spec is None:
        return False
    from importlib import import_module

    return hasattr(import_module("rasad.api.app"), "create_app")


def child_commands(
    *, concurrency: int, profile: str | None, tick: float, api: bool, host: str, port: int
) -> dict[str, list[str]]:
    """The processes `rasad up` runs, by name."""
    rasad = [sys.executable, "-m", "rasad"]
    profile_args = ["--profile", profile] if profile else []
    commands = {
        "worker": [*rasad, "worker", "--concurrency", str(concurrency)],
        "scheduler": [*rasad, "scheduler", *profile_args, "--tick", str(tick)],
    }
    if api:
        uvicorn = [sys.executable, "-m", "uvicorn", "--factory", "rasad.api.app:create_app"]
        commands["api"] = [*uvicorn, "--host", host, "--port", str(port)]
    return commands


def stop_children(
    children: dict[str, subprocess.Popen[bytes]], sig: int = signal.SIGTERM, timeout: float = STOP_TIMEOUT
) -> None:
    """Send `sig` to every running child, wait for them, kill those that do not stop within `timeout`."""
    for proc in children.values():
        if proc.poll() is None:
            proc.send_signal(sig)
    deadline = time.monotonic() + timeout
    for name, proc in children.items():
        try:
            proc.wait(timeout=max(0.1, deadline - time.monotonic()))
        except subprocess.TimeoutExpired:
            typer.echo(f"{name} did not stop in {timeout:.0f}s; killing it", err=True)
            proc.kill()
            proc.wait()


@cli_errors
def up(
    concurrency: int = typer.Option(2, "--concurrency", "-c", help="Worker processes."),
    profile: str = typer.Option(None, "--profile", help="live (default) or fixtures."),
    tick: float = typer.Option(30.0, "--tick", help="Scheduler: seconds between checks for due crawls."),
    api: bool = typer.Option(True, "--api/--no-api", help="Serve the HTTP API when it is installed."),
    host: str = typer.Option("127.0.0.1", "--host", help="HTTP API address."),
    port: int = typer.Option(8000, "--port", help="HTTP API port."),
) -> None:
    """Run Rasad locally: migrate, then worker + scheduler (+ HTTP API) as child processes until Ctrl-C."""
    from db.migrate import upgrade
    from rasad.settings import get_settings

    upgrade()
    with_api = api and api_available()
    commands = child_commands(concurrency=concurrency, profile=profile, tick=tick, api=with_api, host=host, port=port)
    settings = get_settings()
    mode = "embedded (SQLite + local broker)" if settings.embedded else "Redis broker"
    typer.echo(f"rasad up: {', '.join(commands)} [{mode}, data in {settings.data_dir}] — Ctrl-C to stop")
    children: dict[str, subprocess.Popen[bytes]] = {}
    stopping = {"signal": 0}

    def on_signal(signum: int, _frame: FrameType | None) -> None:
        stopping["signal"] = signum

    previous = {s: signal.signal(s, on_signal) for s in (signal.SIGINT, signal.SIGTERM)}
    try:
        for name, command in commands.items():
            # Own process group: a terminal's Ctrl-C reaches only us, and we forward exactly one SIGTERM.
            children[name] = subprocess.Popen(command, start_new_session=True)
        while not stopping["signal"]:
            exited = {name: p.returncode for name, p in children.items() if p.poll() is not None}
            if exited:
                stop_children(children)
                raise fail(f"{', '.join(f'{n} exited with {c}' for n, c in exited.items())}; stopped the others")
            time.sleep(0.5)
        typer.echo("stopping: waiting for the worker to finish its current tasks…", err=True)
        stop_children(children)
    finally:
        for sig, handler in previous.items():
            signal.signal(sig, handler)
        if any(p.poll() is None for p in children.values()):
            stop_children(children)
    typer.echo("rasad up: stopped", err=True)
