"""`rasad events`: the timeline of developments (each real-world meeting once)."""

from __future__ import annotations

import typer
from rich.console import Console
from rich.table import Table

from db.queries.events import EventFilters, find_events
from db.session import session_scope
from rasad.cli.errors import cli_errors
from rasad.cli.query_common import JSON_OPTION, TOPIC_OPTION, echo_json, parse_day


@cli_errors
def events(
    person: str = typer.Option(None, "--person", help="KB id, canonical name or Arabic spelling."),
    country: str = typer.Option(None, "--country", help="ISO code (TR) or name."),
    level: str = typer.Option(None, "--level", help="e.g. foreign_ministers, heads_of_state, intelligence."),
    status: str = typer.Option(None, "--status", help="proposed, planned or held."),
    topic: str = TOPIC_OPTION,
    date_from: str = typer.Option(None, "--from", help="Dated on or after YYYY-MM-DD."),
    date_to: str = typer.Option(None, "--to", help="Dated on or before YYYY-MM-DD."),
    sort: str = typer.Option("-date", "--sort", help="-date, date, -id or id."),
    limit: int = typer.Option(50, "--limit", min=1, max=200),
    json_output: bool = JSON_OPTION,
) -> None:
    """List developments (of one topic with --topic): date, who, where, status and how many articles report each."""
    filters = EventFilters(
        person=person, country=country, level=level, status=status, topic=topic,
        date_from=parse_day(date_from, "--from"), date_to=parse_day(date_to, "--to"),
    )  # fmt: skip
    with session_scope() as session:
        page = find_events(session, filters, sort=sort, limit=limit)
    if json_output:
        for item in page.items:
            echo_json(item)
        return
    table = Table(title=f"Developments ({len(page.items)}{'+' if page.next_cursor else ''})")
    for column in ("id", "date", "who", "where", "level", "status", "sources"):
        table.add_column(column, overflow="fold")
    for e in page.items:
        who = ", ".join(e["persons"]) if e["persons"] else "–".join(e["countries"])
        table.add_row(
            str(e["id"]), e["date"] or "—", who, e["location"] or "—", e["level"] or "—", e["status"],
            str(e["source_count"]),
        )  # fmt: skip
    Console().print(table)
