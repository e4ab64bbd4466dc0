"""`rasad kb candidates|check|add-person`: the knowledge base, bundled and your own (`RASAD_KB_DIR`)."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import typer
from rich.console import Console
from rich.table import Table

from rasad.cli.errors import cli_errors, fail
from rasad.extraction.kb import DEFAULT_KB_DIR, build_knowledge_base
from rasad.extraction.kb_user import append_person, person_id
from rasad.settings import get_settings

kb_app = typer.Typer(help="The knowledge base of people, places and organizations.", no_args_is_help=True)


@kb_app.command("check")
@cli_errors
def check() -> None:
    """Load the bundled knowledge base with your files over it; print what it holds, or every error."""
    user_dir = get_settings().kb_dir
    bundled = build_knowledge_base(DEFAULT_KB_DIR)
    merged = build_knowledge_base(DEFAULT_KB_DIR, user_dir=user_dir)
    typer.echo(f"knowledge base ok: {len(merged.persons)} people, {len(merged.places)} places, "
               f"{len(merged.organizations)} organizations")  # fmt: skip
    if user_dir is None:
        typer.echo("no RASAD_KB_DIR: the bundled knowledge base only")
        return
    added = len(merged.persons) - len(bundled.persons)
    amended = sum(1 for pid, p in bundled.persons.items() if merged.persons[pid] != p)
    typer.echo(f"your files in {user_dir}: {added} people added, {amended} amended")


@kb_app.command("add-person")
@cli_errors
def add_person(
    spellings: list[str] = typer.Argument(..., help="Arabic spellings of the name (the first is the usual one)."),
    name: str = typer.Option(..., "--name", help="The name in Latin script, e.g. 'Hakan Fidan'."),
    country: str = typer.Option(..., "--country", help="ISO alpha-2 code, e.g. TR."),
    role_kind: str = typer.Option("other", "--role-kind", help="A kind from roles.yaml, e.g. foreign_minister."),
    role: str = typer.Option(None, "--role", help="The office in words, e.g. 'Foreign Minister of Turkey'."),
    since: dt.datetime = typer.Option(None, "--since", formats=["%Y-%m-%d"], help="When the office began."),
    person: str = typer.Option(None, "--id", help="Id (default: from --name)."),
    directory: Path = typer.Option(None, "--dir", help="Your knowledge-base folder (default: RASAD_KB_DIR)."),
) -> None:
    """Add a person (a `rasad kb candidates` line, say) to your knowledge base; checked before it is kept."""
    target = directory or get_settings().kb_dir
    if target is None:
        raise fail("no knowledge-base folder: set RASAD_KB_DIR (or pass --dir)")
    entry: dict[str, object] = {"id": person or person_id(name), "name": name, "country": country.upper(),
                                "names": list(dict.fromkeys(spellings))}  # fmt: skip
    if role:
        span: dict[str, object] = {"kind": role_kind, "label": role, "country": country.upper()}
        if since:
            span["start"] = since.date()
        entry["roles"] = [span]
    path = append_person(target, entry, check=lambda: build_knowledge_base(DEFAULT_KB_DIR, user_dir=target))
    typer.echo(f"added {entry['id']!r} to {path}; running workers use it from their next article")


@kb_app.command("candidates")
@cli_errors
def candidates(
    limit: int = typer.Option(500, "--limit", help="How many recent articles to scan."),
    min_articles: int = typer.Option(1, "--min-articles", help="Seen in at least this many articles."),
    json_output: bool = typer.Option(False, "--json"),
) -> None:
    """People the extractor found by their title but the knowledge base lacks, for a curator to add."""
    from db.articles import latest_texts
    from db.session import session_scope
    from rasad.extraction import kb_candidates

    with session_scope() as session:
        texts = latest_texts(session, limit=limit)
    found = kb_candidates(texts, min_articles=min_articles)
    if json_output:
        for c in found:
            typer.echo(json.dumps(c.as_dict(), ensure_ascii=False))
        return
    table = Table(title=f"Unknown people ({len(found)}) — add them with `rasad kb add-person`")
    for column in ("name", "articles", "mentions", "roles", "example"):
        table.add_column(column, overflow="fold")
    for c in found:
        table.add_row(c.name, str(c.articles), str(c.mentions), ", ".join(c.roles), c.example)
    Console().print(table)
