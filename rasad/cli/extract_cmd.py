"""`rasad extract PATH...`: clean and extract files offline, no database."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path
from typing import Any

import typer
from rich.console import Console
from rich.table import Table

from rasad.cli.errors import cli_errors, fail


def extract_document(path: Path, *, html: bool, url: str | None, published: dt.date | None) -> dict[str, Any]:
    """Clean and extract one file exactly as the pipeline does; raise ValueError with the reason."""
    from rasad.cleaning import Rejected, clean_html, clean_text, decode_page
    from rasad.extraction import extract, to_json
    from rasad.settings import get_settings

    cap = get_settings().max_page_bytes
    try:
        if path.stat().st_size > cap:
            raise ValueError(f"rejected (too_large): {path.stat().st_size} bytes, the cap is {cap}")
        raw = path.read_bytes()
    except OSError as exc:
        raise ValueError(f"cannot read: {exc.strerror or exc}") from exc
    try:
        if html or path.suffix.lower() in (".html", ".htm", ".xhtml"):
            cleaned = clean_html(raw, url=url, max_bytes=cap)
        else:
            text, _encoding = decode_page(raw)
            cleaned = clean_text(text, url=url, max_bytes=cap)
    except Rejected as rejection:
        raise ValueError(f"rejected ({rejection.reason}): {rejection.detail}") from rejection
    published_on = published or (cleaned.published_at.date() if cleaned.published_at else None)
    result = extract(
        title=cleaned.title, body=cleaned.body, published_at=published_on, language=cleaned.language or "ar"
    )
    return {
        "path": str(path),
        "title": cleaned.title,
        "body": cleaned.body,
        "published_at": published_on.isoformat() if published_on else None,
        "language": cleaned.language,
        **to_json(result),
    }


@cli_errors
def extract(
    paths: list[Path] = typer.Argument(..., help="Text or HTML files (one article each)."),
    html: bool = typer.Option(False, "--html", help="Treat every input as HTML (default: by file suffix)."),
    url: str = typer.Option(None, "--url", help="The page's URL (helps dates and canonical links)."),
    published: str = typer.Option(None, "--published", help="YYYY-MM-DD; resolves relative dates."),
    json_output: bool = typer.Option(False, "--json", help="One JSON object per input per line."),
) -> None:
    """Clean and extract articles offline (no database, no services), as the pipeline would.

    An input that cannot be read or decoded gets an error line and the others go on; the exit
    code is 1 when any input failed.
    """
    try:
        published_on = dt.date.fromisoformat(published) if published else None
    except ValueError as exc:
        raise fail(f"--published must be YYYY-MM-DD, got {published!r}") from exc
    failed = 0
    console = Console()
    for path in paths:
        try:
            document = extract_document(path, html=html, url=url, published=published_on)
        except ValueError as exc:
            failed += 1
            if json_output:
                typer.echo(json.dumps({"path": str(path), "error": str(exc)}, ensure_ascii=False))
            else:
                typer.secho(f"error: {path}: {exc}", fg=typer.colors.RED, err=True)
            continue
        if json_output:
            typer.echo(json.dumps(document, ensure_ascii=False))
        else:
            _print_document(console, document)
    if failed:
        raise typer.Exit(1)


def _print_document(console: Console, doc: dict[str, Any]) -> None:
    console.rule(f"{doc['path']}")
    console.print(f"[bold]{doc['title'] or '(no title)'}[/]  {doc['published_at'] or 'undated'}  "
                  f"relevant: {'yes' if doc['relevant'] else 'no'} ({doc['relevance']:.2f})")  # fmt: skip
    people = Table(title="People")
    for column in ("name", "role", "known", "mentions"):
        people.add_column(column)
    for p in doc["persons"]:
        people.add_row(p["name"], p.get("role") or "", "yes" if p["known"] else "no", str(len(p["mentions"])))
    console.print(people)
    events = Table(title="Events")
    for column in ("kind", "status", "level", "countries", "who", "where", "when"):
        events.add_column(column, overflow="fold")
    for e in doc["events"]:
        events.add_row(
            e["kind"], e["status"], e.get("level") or "", ",".join(e["countries"]), ", ".join(e["persons"]),
            e.get("location") or "", e.get("date") or "",
        )  # fmt: skip
    console.print(events)
