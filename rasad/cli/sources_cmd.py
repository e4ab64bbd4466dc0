"""`rasad sources list`: the configured outlets."""

from __future__ import annotations

import json

import typer
from rich.console import Console
from rich.table import Table

from rasad.cli.errors import cli_errors
from rasad.settings import get_settings
from rasad.sources import load_profile

app = typer.Typer(help="Configured outlets (the sources file).", no_args_is_help=True)


@app.command("list")
@cli_errors
def list_sources(
    profile: str = typer.Option(None, "--profile", help="live or fixtures."),
    json_output: bool = typer.Option(False, "--json"),
) -> None:
    """List outlets with their base URL, discovery configuration and status."""
    settings = get_settings()
    sources = load_profile(profile or settings.profile, path=settings.sources_file, fixtures_url=settings.fixtures_url)
    if json_output:
        for s in sources:
            typer.echo(json.dumps(s.model_dump(mode="json"), ensure_ascii=False))
        return
    table = Table(title=f"Sources ({len(sources)})")
    for column in ("id", "name", "base URL", "feeds", "sitemaps", "every", "enabled", "verified"):
        table.add_column(column, overflow="fold")
    for s in sources:
        table.add_row(
            s.id, s.name, s.base_url, ", ".join(s.feeds) or "discover", ", ".join(s.sitemaps) or "robots.txt",
            f"{s.interval_minutes} min", "yes" if s.enabled else "no", "yes" if s.verified else "no",
        )  # fmt: skip
    Console().print(table)
