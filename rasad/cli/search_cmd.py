"""`rasad search QUERY`: Arabic full-text search with highlighted snippets."""

from __future__ import annotations

import typer
from rich.console import Console
from rich.table import Table

from db.queries.articles import ARTICLE_SORTS
from db.queries.search import search_articles
from db.session import session_scope
from rasad.cli.errors import cli_errors
from rasad.cli.query_common import (
    COUNTRY_OPTION,
    FROM_OPTION,
    JSON_OPTION,
    OUTLET_OPTION,
    PERSON_OPTION,
    PLACE_OPTION,
    RELEVANT_OPTION,
    TO_OPTION,
    TOPIC_OPTION,
    article_filters,
    day_of,
    echo_json,
    marked_to_rich,
)  # fmt: skip


@cli_errors
def search(
    query: str = typer.Argument(..., help="Words to find (any spelling; names match every KB spelling)."),
    outlet: list[str] = OUTLET_OPTION,
    person: str = PERSON_OPTION,
    place: str = PLACE_OPTION,
    country: str = COUNTRY_OPTION,
    topic: str = TOPIC_OPTION,
    relevant: bool = RELEVANT_OPTION,
    published_from: str = FROM_OPTION,
    published_to: str = TO_OPTION,
    sort: str = typer.Option("-published_at", "--sort", help=f"One of {', '.join(ARTICLE_SORTS)}."),
    limit: int = typer.Option(20, "--limit", min=1, max=200),
    json_output: bool = JSON_OPTION,
) -> None:
    """Search stored articles (Arabic normalization, clitics, name spellings); matches highlighted."""
    filters = article_filters(
        outlet=outlet, person=person, place=place, country=country, topic=topic, relevant=relevant,
        published_from=published_from, published_to=published_to,
    )  # fmt: skip
    with session_scope() as session:
        page = search_articles(session, query, filters, limit, None, sort=sort)
    if json_output:
        for item in page.items:
            echo_json(item)
        return
    table = Table(title=f"«{query}»: {len(page.items)}{'+' if page.next_cursor else ''} results", show_lines=True)
    for column in ("id", "outlet", "published", "title / snippet"):
        table.add_column(column, overflow="fold")
    for item in page.items:
        text = f"[bold]{marked_to_rich(item['title_html'] or '')}[/]\n{marked_to_rich(item['snippet'] or '')}"
        table.add_row(str(item["id"]), item["source_id"], day_of(item["published_at"]), text)
    Console().print(table)
