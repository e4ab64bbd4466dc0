"""`rasad articles list`: what is stored."""

from __future__ import annotations

import json

import typer
from rich.console import Console
from rich.table import Table
from sqlalchemy import select

from db.models import Article, SourceRow
from db.session import session_scope
from rasad.cli.errors import cli_errors

app = typer.Typer(help="Stored articles.", no_args_is_help=True)


def article_rows(*, source: str | None = None, relevant_only: bool = False, limit: int = 100) -> list[dict]:
    """Stored articles, newest first, as plain dicts."""
    with session_scope() as session:
        query = (
            select(Article, SourceRow.name)
            .join(SourceRow, SourceRow.id == Article.source_id)
            .order_by(Article.published_at.desc().nulls_last(), Article.id.desc())
            .limit(limit)
        )
        if source:
            query = query.where(Article.source_id == source)
        if relevant_only:
            query = query.where(Article.relevant.is_(True))
        return [
            {
                "id": a.id,
                "source": a.source_id,
                "outlet": name,
                "title": a.title,
                "published_at": a.published_at.isoformat() if a.published_at else None,
                "url": a.url,
                "relevant": a.relevant,
                "relevance": round(a.relevance, 3),
                "duplicate_of": a.duplicate_of_id,
                "words": len(a.body.split()),
            }
            for a, name in session.execute(query).all()
        ]


@app.command("list")
@cli_errors
def list_articles(
    json_output: bool = typer.Option(False, "--json", help="One JSON object per line."),
    source: str = typer.Option(None, "--source", help="Only this source id."),
    relevant: bool = typer.Option(False, "--relevant", help="Only articles relevant to a topic."),
    limit: int = typer.Option(100, "--limit", min=1),
) -> None:
    """List stored articles: outlet, title, publication date."""
    rows = article_rows(source=source, relevant_only=relevant, limit=limit)
    if json_output:
        for row in rows:
            typer.echo(json.dumps(row, ensure_ascii=False))
        return
    print_articles(rows)


def print_articles(rows: list[dict], title: str = "Stored articles") -> None:
    """A rich table of article rows."""
    table = Table(title=f"{title} ({len(rows)})")
    # dates, ids and outlets never break over two lines; the title takes the rest of the width
    table.add_column("id", no_wrap=True, justify="right")
    table.add_column("outlet", no_wrap=True)
    table.add_column("published", no_wrap=True, min_width=10)
    table.add_column("title", overflow="fold", ratio=1)
    table.add_column("relevant", no_wrap=True)
    for r in rows:
        table.add_row(
            str(r["id"]), r["source"], (r["published_at"] or "—")[:10], r["title"] or "(untitled)",
            f"{'yes' if r['relevant'] else 'no'} ({r['relevance']})",
        )  # fmt: skip
    Console().print(table)
