"""`rasad crawls history [--source]`: crawl runs with their counts and times, and skipped crawls."""

from __future__ import annotations

import json

import typer
from rich.console import Console
from rich.table import Table

from rasad.cli.errors import cli_errors

app = typer.Typer(help="Crawl runs: what each crawl fetched, stored, rejected and failed.", no_args_is_help=True)


@app.command("history")
@cli_errors
def history(
    source: str = typer.Option(None, "--source", help="Only this source id."),
    limit: int = typer.Option(20, "--limit", help="How many entries, newest first."),
    json_output: bool = typer.Option(False, "--json", help="One JSON object per line."),
) -> None:
    """Crawl runs with pages fetched, new articles, rejections by reason, errors and times."""
    from db.crawl_history import crawl_history
    from db.session import session_scope

    with session_scope() as session:
        entries = crawl_history(session, source_id=source, limit=limit)
    if json_output:
        for entry in entries:
            typer.echo(json.dumps(entry.as_dict(), ensure_ascii=False))
        return
    table = Table(title=f"Crawl history{f' of {source}' if source else ''} ({len(entries)})")
    for column in ("started (UTC)", "source", "run", "status", "took", "fetched", "new pages", "new articles",
                   "rejected", "errors", "note"):  # fmt: skip
        table.add_column(column, overflow="fold")
    for e in entries:
        rejected = ", ".join(f"{reason}: {n}" for reason, n in sorted(e.rejected.items())) or "0"
        table.add_row(
            f"{e.started_at:%Y-%m-%d %H:%M:%S}", e.source_id, str(e.run_id or "-"), e.status,
            f"{e.seconds:.0f}s" if e.seconds is not None else "-", str(e.pages_fetched), str(e.new_pages),
            str(e.new_articles), rejected, str(e.errors), e.note,
        )  # fmt: skip
    Console().print(table)
