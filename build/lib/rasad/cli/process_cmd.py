"""`rasad process pending|page`: (re)queue or run processing of raw pages."""

from __future__ import annotations

import json

import typer

from rasad.cli.errors import cli_errors

app = typer.Typer(help="Processing of stored raw pages.", no_args_is_help=True)


@app.command("pending")
@cli_errors
def pending() -> None:
    """Queue every raw page still pending (e.g. stored while the broker was down)."""
    from rasad.processing import requeue_pending

    typer.echo(f"queued {requeue_pending()} pending page(s)")


@app.command("page")
@cli_errors
def page(raw_page_id: int = typer.Argument(..., help="Raw page id.")) -> None:
    """Process one raw page in this process (no worker), printing the outcome as JSON."""
    from rasad.processing import process_raw_page

    typer.echo(json.dumps(process_raw_page(raw_page_id).as_dict(), ensure_ascii=False))
