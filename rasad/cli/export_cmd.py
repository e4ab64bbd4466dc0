"""`rasad export --format csv|jsonl`: stored articles matching the filters, for spreadsheets and scripts."""

from __future__ import annotations

import csv
import json
import sys
from contextlib import nullcontext
from pathlib import Path
from typing import IO, Any

import typer
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeRemainingColumn
from sqlalchemy import func, select

from db.queries.articles import filtered_select, find_articles
from db.session import session_scope
from rasad.cli.errors import cli_errors
from rasad.cli.query_common import (
    COUNTRY_OPTION,
    FROM_OPTION,
    OUTLET_OPTION,
    PERSON_OPTION,
    PLACE_OPTION,
    RELEVANT_OPTION,
    TO_OPTION,
    TOPIC_OPTION,
    article_filters,
    json_default,
)  # fmt: skip

COLUMNS = (
    "id",
    "source_id",
    "outlet",
    "published_at",
    "title",
    "url",
    "relevant",
    "relevance",
    "topics",
    "duplicate_of_id",
    "body",
)
PAGE = 200


@cli_errors
def export(
    fmt: str = typer.Option(..., "--format", help="csv or jsonl."),
    output: Path = typer.Option(None, "--output", "-o", help="File to write (default: standard output)."),
    q: str = typer.Option(None, "--q", "--query", help="Full-text query."),
    outlet: list[str] = OUTLET_OPTION,
    person: str = PERSON_OPTION,
    place: str = PLACE_OPTION,
    country: str = COUNTRY_OPTION,
    topic: str = TOPIC_OPTION,
    relevant: bool = RELEVANT_OPTION,
    published_from: str = FROM_OPTION,
    published_to: str = TO_OPTION,
    with_body: bool = typer.Option(True, "--body/--no-body", help="Include the article text."),
) -> None:
    """Export articles (filters as in the API), oldest first, with a progress bar when writing a file."""
    if fmt not in ("csv", "jsonl"):
        raise ValueError(f"--format must be csv or jsonl, got {fmt!r}")
    filters = article_filters(
        q=q, outlet=outlet, person=person, place=place, country=country, topic=topic, relevant=relevant,
        published_from=published_from, published_to=published_to,
    )  # fmt: skip
    columns = COLUMNS if with_body else COLUMNS[:-1]
    with session_scope() as session:
        stmt, _ = filtered_select(session, filters)
        total = session.scalar(select(func.count()).select_from(stmt.subquery())) or 0
    target = output.open("w", encoding="utf-8", newline="") if output else nullcontext(sys.stdout)
    show_progress = output is not None and sys.stderr.isatty()
    with target as stream, _progress(show_progress) as progress:
        task = progress.add_task("exporting", total=total) if progress else None

        def advance(n: int) -> None:
            if progress:
                progress.advance(task, n)

        written = _write(stream, fmt, columns, filters, with_body, advance)
    if output:
        typer.echo(f"exported {written} articles to {output}", err=True)


def _progress(enabled: bool) -> Any:
    if not enabled:
        return nullcontext(None)
    return Progress(TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(), TimeRemainingColumn())


def _write(stream: IO[str], fmt: str, columns: tuple[str, ...], filters: Any, with_body: bool, advance: Any) -> int:
    writer = csv.DictWriter(stream, fieldnames=columns, extrasaction="ignore") if fmt == "csv" else None
    if writer:
        writer.writeheader()
    cursor = None
    written = 0
    while True:
        with session_scope() as session:
            page = find_articles(session, filters, sort="id", limit=PAGE, cursor=cursor)
            if with_body and page.items:
                from db.models import Article

                bodies = dict(session.execute(
                    select(Article.id, Article.body).where(Article.id.in_([i["id"] for i in page.items]))
                ).all())  # fmt: skip
                for item in page.items:
                    item["body"] = bodies[item["id"]]
        for item in page.items:
            row = {k: item.get(k) for k in columns}
            if writer:
                row["topics"] = ",".join(row["topics"] or [])
                row["published_at"] = row["published_at"].isoformat() if row["published_at"] else ""
                writer.writerow(row)
            else:
                stream.write(json.dumps(row, ensure_ascii=False, default=json_default) + "\n")
        written += len(page.items)
        advance(len(page.items))
        cursor = page.next_cursor
        if cursor is None:
            return written
