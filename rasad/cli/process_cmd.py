"""`rasad process pending|quarantined|page`: (re)queue or run processing of raw pages."""

from __future__ import annotations

import json

import typer

from rasad.cli.errors import cli_errors, fail

app = typer.Typer(help="Processing of stored raw pages.", no_args_is_help=True)


@app.command("pending")
@cli_errors
def pending() -> None:
    """Queue every raw page still pending (e.g. stored while the broker was down)."""
    from workers.processing import requeue_pending

    typer.echo(f"queued {requeue_pending()} pending page(s)")


@app.command("quarantined")
@cli_errors
def quarantined(
    page_ids: list[int] = typer.Option(None, "--page", help="Only this raw page (repeatable); default: all."),
    list_only: bool = typer.Option(False, "--list", help="Only show the quarantined pages."),
) -> None:
    """Release quarantined pages by hand: their tries reset to zero, queued again (see `rasad status`)."""
    from rich.console import Console

    from db.pages import quarantined_pages
    from db.session import session_scope
    from rasad.cli.status_cmd import quarantine_table
    from workers.processing import release_quarantined

    wanted = page_ids or None
    if list_only:
        with session_scope() as session:
            Console().print(quarantine_table(quarantined_pages(session, page_ids=wanted, limit=1000)))
        return
    released = release_quarantined(wanted)
    missing = sorted(set(wanted or ()) - set(released))
    typer.echo(f"released and queued {len(released)} quarantined page(s)" + (f": {released}" if released else ""))
    if missing:
        raise fail(f"not quarantined (or no such page): {missing}")


@app.command("page")
@cli_errors
def page(raw_page_id: int = typer.Argument(..., help="Raw page id.")) -> None:
    """Process one raw page in this process (no worker), printing the outcome as JSON."""
    from workers.processing import process_raw_page

    typer.echo(json.dumps(process_raw_page(raw_page_id).as_dict(), ensure_ascii=False))
