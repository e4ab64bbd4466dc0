"""`rasad status` and `rasad metrics`: health at a glance, and a Prometheus endpoint."""

from __future__ import annotations

import json
import time
from dataclasses import asdict
from typing import TYPE_CHECKING

import typer
from rich.console import Console
from rich.table import Table

from db.pages import QuarantinedPage
from rasad.cli.errors import cli_errors, fail

if TYPE_CHECKING:
    from rasad.api.health import Health


@cli_errors
def status(json_output: bool = typer.Option(False, "--json", help="Machine-readable output.")) -> None:
    """Queue depth, processing backlog, quarantined pages, last crawl per outlet and its outcome, live workers."""
    from rasad.api.health import collect_health
    from rasad.settings import get_settings

    health = collect_health(get_settings())
    if json_output:
        typer.echo(json.dumps(asdict(health), default=str, ensure_ascii=False))
    else:
        _print_health(health)
    if health.queue_depth is None:  # a monitor reads the exit code: a broker that is down is not healthy
        raise fail("the broker is unreachable: nothing can be queued or processed")


def _print_health(health: Health) -> None:
    console = Console()
    depth = "unknown (broker unreachable)" if health.queue_depth is None else str(health.queue_depth)
    console.print(
        f"queue depth: {depth}   pending pages: {health.pending_pages}   failed pages: {health.failed_pages}"
        f"   quarantined pages: {health.quarantined_pages}"
    )
    if health.quarantined:
        console.print(quarantine_table(health.quarantined, total=health.quarantined_pages))
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


def quarantine_table(pages: list[QuarantinedPage], *, total: int | None = None) -> Table:
    """Quarantined pages as a table (id, source, tries, last try, why); `total` when more exist."""
    shown = f" ({len(pages)} of {total})" if total is not None and total > len(pages) else ""
    table = Table(title=f"Quarantined pages{shown}: rasad process quarantined [--page ID]")
    for column in ("id", "source", "tries", "last try", "why", "url"):
        table.add_column(column)
    for p in pages:
        last = p.last_attempt_at.isoformat(timespec="seconds") if p.last_attempt_at else "—"
        table.add_row(str(p.id), p.source_id, str(p.attempts), last, p.last_error or "—", p.url)
    return table


@cli_errors
def metrics(
    port: int = typer.Option(9108, "--port", help="Port of the /metrics endpoint."),
    host: str = typer.Option("127.0.0.1", "--host"),
) -> None:
    """Serve Prometheus metrics (pages, articles, rejections, failures, retries, queue depth) until Ctrl-C."""
    from prometheus_client import REGISTRY, start_http_server

    from rasad.api.metrics import RasadCollector

    REGISTRY.register(RasadCollector())
    start_http_server(port, addr=host)
    typer.echo(f"metrics on http://{host}:{port}/metrics")
    try:
        while True:
            time.sleep(3600)
    except KeyboardInterrupt:
        pass
