"""`rasad sources list|show|add|enable|disable|set-interval`: configured outlets and their schedule."""

from __future__ import annotations

import json
from pathlib import Path

import typer
from rich.console import Console
from rich.table import Table

from rasad.cli.errors import cli_errors, fail
from rasad.settings import get_settings
from rasad.sources import Source, load_profile

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
    sources = _with_schedule_state(sources)
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


def _with_schedule_state(sources: list[Source]) -> list[Source]:
    """The sources with the enabled flag and interval the scheduler uses (the database's), when it is reachable."""
    from sqlalchemy import select
    from sqlalchemy.exc import SQLAlchemyError

    from db.models import SourceRow
    from db.session import session_scope

    try:
        with session_scope() as session:
            rows = session.execute(
                select(SourceRow.id, SourceRow.enabled, SourceRow.interval_minutes).where(
                    SourceRow.id.in_([s.id for s in sources])
                )
            ).all()
    except SQLAlchemyError:
        return sources  # no database yet: the file's values are the state
    states = {row.id: row for row in rows}
    return [
        s.model_copy(update={"enabled": states[s.id].enabled, "interval_minutes": states[s.id].interval_minutes})
        if s.id in states
        else s
        for s in sources
    ]


def _profile(profile: str | None) -> str:
    return profile or get_settings().profile


@app.command("show")
@cli_errors
def show(
    source_id: str = typer.Argument(..., help="The source id."),
    profile: str = typer.Option(None, "--profile", help="live or fixtures."),
) -> None:
    """A source's configuration, schedule state and latest crawls."""
    import yaml

    from db.crawl_history import crawl_history
    from db.fetch_state import load_discoveries
    from db.session import session_scope
    from db.source_admin import source_states
    from rasad.sources import SourcesError

    with session_scope() as session:
        states = {s.source.id: s for s in source_states(session, _profile(profile))}
    if source_id not in states:
        raise SourcesError(f"unknown source {source_id!r}; known: {', '.join(sorted(states))}")
    state = states[source_id]
    typer.echo(yaml.safe_dump(state.source.model_dump(mode="json", exclude_defaults=True), allow_unicode=True,
                              sort_keys=False).rstrip())  # fmt: skip
    typer.echo(f"enabled: {'yes' if state.enabled else 'no'}   every: {state.interval_minutes} min (configured)")
    typer.echo(f"polling now: every {state.current_minutes:.1f} min ({state.reason})"
               + ("   FAILING" if state.failing else ""))  # fmt: skip
    typer.echo(f"last crawl started: {_when(state.last_started)}   next due: {_when(state.next_due)}")
    with session_scope() as session:
        entries = crawl_history(session, source_id=source_id, limit=5)
        discovered = load_discoveries(session, source_id)
    for url, found in sorted(discovered.items()):
        named_by = "home page" if found.kind == "feed" else "robots.txt"
        typer.echo(f"found {found.kind}: {url} (named by its {named_by}, last seen {_when(found.at)}; read first)")
    for e in entries:
        typer.echo(f"  {e.started_at:%Y-%m-%d %H:%M} {e.status:8} fetched {e.pages_fetched}, new articles "
                   f"{e.new_articles}, errors {e.errors} {e.note}".rstrip())  # fmt: skip


def _when(moment: object) -> str:
    return f"{moment:%Y-%m-%d %H:%M:%S} UTC" if moment is not None else "-"


@app.command("add")
@cli_errors
def add(
    base_url: str = typer.Argument(..., help="The outlet's home page; feeds and sitemaps are discovered from it."),
    source_id: str = typer.Option(None, "--id", help="Short slug (default: from the host name)."),
    name: str = typer.Option(None, "--name", help="Display name (default: the host name)."),
    country: str = typer.Option(None, "--country", help="ISO alpha-2 of the outlet's base."),
    language: str = typer.Option("ar", "--language"),
    interval: int = typer.Option(None, "--interval", help="Minutes between crawls (default 30)."),
    file: Path = typer.Option(None, "--file", help="Sources file to append to (default: RASAD_SOURCES_FILE)."),
) -> None:
    """Add an outlet to your sources file (base URL alone is enough); it is validated before it is written."""
    from rasad.sources.editing import add_source

    path = file or get_settings().sources_file
    if path is None:
        raise fail("no user sources file: set RASAD_SOURCES_FILE (or pass --file); it is created from the bundled one")
    source = add_source(
        path, base_url, source_id=source_id, name=name, country=country, language=language, interval_minutes=interval
    )
    typer.echo(f"added {source.id!r} ({source.base_url}) to {path}")
    if file is not None and get_settings().sources_file != file:
        typer.echo(f"use it with RASAD_SOURCES_FILE={file}")


@app.command("enable")
@cli_errors
def enable(
    source_id: str = typer.Argument(..., help="The source id."),
    profile: str = typer.Option(None, "--profile", help="live or fixtures."),
) -> None:
    """Crawl this source on schedule again (takes effect at the scheduler's next tick)."""
    from db.session import session_scope
    from db.source_admin import set_enabled

    with session_scope() as session:
        set_enabled(session, _profile(profile), source_id, True)
    typer.echo(f"{source_id}: enabled")


@app.command("disable")
@cli_errors
def disable(
    source_id: str = typer.Argument(..., help="The source id."),
    profile: str = typer.Option(None, "--profile", help="live or fixtures."),
) -> None:
    """Stop scheduled crawls of this source (takes effect at the scheduler's next tick)."""
    from db.session import session_scope
    from db.source_admin import set_enabled

    with session_scope() as session:
        set_enabled(session, _profile(profile), source_id, False)
    typer.echo(f"{source_id}: disabled")


@app.command("set-interval")
@cli_errors
def set_interval(
    source_id: str = typer.Argument(..., help="The source id."),
    minutes: int = typer.Argument(..., help="Minutes between scheduled crawls."),
    profile: str = typer.Option(None, "--profile", help="live or fixtures."),
) -> None:
    """Change how often this source is crawled (takes effect at the scheduler's next tick)."""
    from db.session import session_scope
    from db.source_admin import set_interval as store_interval

    with session_scope() as session:
        store_interval(session, _profile(profile), source_id, minutes)
    typer.echo(f"{source_id}: every {minutes} min")
