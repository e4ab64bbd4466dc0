"""`rasad fixtures serve|publish`: the local fixture site that imitates the outlets."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import typer

from rasad.cli.errors import cli_errors, fail

app = typer.Typer(help="The local fixture site (offline copies of the outlets).", no_args_is_help=True)


@app.command("serve")
@cli_errors
def serve(
    port: int = typer.Option(8765, "--port", help="Port on 127.0.0.1 (0 picks a free one)."),
    state_dir: Path = typer.Option(None, "--state-dir", help="Where published articles persist."),
) -> None:
    """Serve the fixture site in the foreground on 127.0.0.1 until Ctrl-C."""
    from rasad.fixture_site import serve as run_server

    run_server("127.0.0.1", port, state_dir)


@app.command("publish")
@cli_errors
def publish(
    outlet: str = typer.Option(..., "--outlet", help="Outlet id, e.g. syriatv."),
    title: str = typer.Option(..., "--title"),
    file: Path = typer.Option(..., "--file", exists=True, dir_okay=False, readable=True, help="Body text."),
    published: str = typer.Option(None, "--published", help="YYYY-MM-DD (default: today)."),
) -> None:
    """Publish an article on the running fixture site (RASAD_FIXTURES_URL) and print its URL."""
    from rasad.fixture_site import FixtureSiteError
    from rasad.fixture_site import publish as publish_article
    from rasad.settings import get_settings

    try:
        date = dt.date.fromisoformat(published) if published else None
    except ValueError as exc:
        raise fail(f"--published must be YYYY-MM-DD, got {published!r}") from exc
    try:
        body = file.read_text(encoding="utf-8")
    except UnicodeDecodeError as exc:
        raise fail(f"{file} is not UTF-8 text") from exc
    try:
        url = publish_article(get_settings().fixtures_url, outlet, title, body, date)
    except FixtureSiteError as exc:
        raise fail(str(exc)) from exc
    typer.echo(url)
