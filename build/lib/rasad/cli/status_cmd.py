"""`rasad status` and `rasad metrics`: health at a glance, and a Prometheus endpoint."""

from __future__ import annotations

import json
import time
from dataclasses import asdict

import typer
from rich.console import Console
from rich.table import Table

from rasad.cli.errors import cli_errors


@cli_errors
def status(json_output: bool = typer.Option(False, "--json", help="Machine-readable output.")) -> None:
    """Queue depth, processing backlog, last crawl per outlet and its outcome, live workers."""
    from rasad.observability.health import collect_health
    from rasad.settings import get_settings

    health = collect_health(get_settings())
    if json_output:
        typer.echo(json.dumps(asdict(health), default=str, ensure_ascii=False))
        return
    console = Console()
    depth = "unknown (broker unreachable)" if health.queue_depth is None else str(health.queue_depth)
    console.print(f"queue depth: {depth}   pending pages: {health.pending_pages}   failed pages: {health.failed_pages}")
    if health.workers_checked:
        console.print(f"workers alive: {', '.join(health.workers) or 'none'}")
    else:
        console.print("workers alive: unknown (this broker does not answer pings)")
    table = Table(title="Last crawl per outlet")
    for column in ("source", "enabled", "last run", "status", "new", "errors"):
        table.add_column(column)
    for s in health.sources:
        last_run = s.last_run_at.isoformat(timespec="seconds") if s.last_run_at else "never"
        enabled = "yes" if s.enabled else "no"
        table.add_row(s.source_id, enabled, last_run, s.last_status or "—", str(s.last_new), str(s.last_errors))
    console.print(table)


@cli_errors
def metrics(
    port: int = typer.Option(9108, "--port", help="Port of the /metrics endpoint."),
    host: str = typer.Option("127.0.0.1", "--host"),
) -> None:
    """Serve Prometheus metrics (pages, articles, rejections, failures, retries, queue depth) until Ctrl-C."""
    from prometheus_client import REGISTRY, start_http_server

    from rasad.observability.metrics import RasadCollector

    REGISTRY.register(RasadCollector())
    start_http_server(port, addr=host)
    typer.echo(f"metrics on http://{host}:{port}/metrics")
    try:
        while True:
            time.sleep(3600)
    except KeyboardInterrupt:
        pass
