"""`rasad show ARTICLE_ID`: one article with its entities, events, quotes and duplicates."""

from __future__ import annotations

import typer
from rich.console import Console
from rich.markup import escape
from rich.panel import Panel

from db.queries.articles import article_detail
from db.session import session_scope
from rasad.cli.errors import cli_errors, fail
from rasad.cli.query_common import JSON_OPTION, day_of, echo_json


@cli_errors
def show(
    article_id: int = typer.Argument(..., help="Article id (from `rasad search` or `rasad articles list`)."),
    json_output: bool = JSON_OPTION,
) -> None:
    """Show an article: body, people, places, events with evidence, quotes, duplicates."""
    with session_scope() as session:
        detail = article_detail(session, article_id)
    if detail is None:
        raise fail(f"article {article_id} does not exist")
    if json_output:
        echo_json(detail)
        return
    console = Console()
    console.print(
        Panel(
            escape(detail["body"]),
            title=escape(detail["title"] or "(untitled)"),
            subtitle=f"{detail['source_id']} · {day_of(detail['published_at'])} · {detail['url']}",
        )
    )
    for label, key in (("people", "persons"), ("places", "places"), ("organizations", "organizations")):
        if detail[key]:
            names = ", ".join(f"{e['name']} ({len(e['mentions'])})" for e in detail[key])
            console.print(f"[bold]{label}:[/] {escape(names)}")
    for e in detail["events"]:
        console.print(
            f"[bold]event:[/] {e['kind']} {e['status']} {'–'.join(e['countries'])} "
            f"{escape(e['location'] or '')} {e['date'] or ''}"
        )
        for v in e["evidence"]:
            console.print(f"   « {escape(v['text'])} »")
    for q in detail["quotes"]:
        console.print(f"[bold]quote:[/] {escape(q['speaker'])}: « {escape(q['text'])} »")
    for d in detail["duplicates"]:
        console.print(f"[bold]{d['relation']}:[/] #{d['id']} {d['source_id']} {escape(d['title'] or d['url'])}")
