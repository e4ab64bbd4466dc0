"""Helpers shared by the query commands: filter options, JSON output, <mark> to terminal styles."""

from __future__ import annotations

import json
import re
from datetime import date, datetime
from html import unescape
from typing import Any

import typer
from rich.markup import escape

from db.queries.articles import ArticleFilters

_MARK = re.compile(r"<mark>(.*?)</mark>", re.S)


def parse_day(value: str | None, option: str) -> date | None:
    """A YYYY-MM-DD option value; ValueError naming the option otherwise."""
    if not value:
        return None
    try:
        return date.fromisoformat(value)
    except ValueError as exc:
        raise ValueError(f"{option} must be a date like 2023-03-01, got {value!r}") from exc


def article_filters(
    *,
    q: str | None = None,
    outlet: list[str] | None = None,
    person: str | None = None,
    place: str | None = None,
    country: str | None = None,
    topic: str | None = None,
    relevant: bool | None = None,
    published_from: str | None = None,
    published_to: str | None = None,
) -> ArticleFilters:
    """ArticleFilters from command-line options (dates checked)."""
    return ArticleFilters(
        q=q, outlets=list(outlet or []), person=person, place=place, country=country, topic=topic,
        relevant=relevant, published_from=parse_day(published_from, "--from"),
        published_to=parse_day(published_to, "--to"),
    )  # fmt: skip


def json_default(value: Any) -> Any:
    """Dates as ISO strings in JSON output."""
    if isinstance(value, datetime | date):
        return value.isoformat()
    raise TypeError(f"not JSON serializable: {type(value).__name__}")


def echo_json(row: dict[str, Any]) -> None:
    """One JSON object per line (Arabic kept readable)."""
    typer.echo(json.dumps(row, ensure_ascii=False, default=json_default))


def marked_to_rich(html: str) -> str:
    """Turn a highlighted HTML snippet into rich markup (matches in bold yellow)."""
    parts = []
    pos = 0
    for m in _MARK.finditer(html or ""):
        parts.append(escape(unescape(html[pos : m.start()])))
        parts.append(f"[bold yellow]{escape(unescape(m.group(1)))}[/]")
        pos = m.end()
    parts.append(escape(unescape((html or "")[pos:])))
    return "".join(parts)


def day_of(value: datetime | date | None) -> str:
    """YYYY-MM-DD or an em dash."""
    return value.isoformat()[:10] if value else "—"


OUTLET_OPTION = typer.Option(None, "--outlet", help="Outlet (source) id; repeatable.")
PERSON_OPTION = typer.Option(None, "--person", help="KB id, canonical name or Arabic spelling.")
PLACE_OPTION = typer.Option(None, "--place", help="KB place id or name.")
COUNTRY_OPTION = typer.Option(None, "--country", help="ISO code (TR) or name.")
TOPIC_OPTION = typer.Option(None, "--topic", help="Topic id.")
RELEVANT_OPTION = typer.Option(None, "--relevant/--not-relevant", help="Only (not) relevant articles.")
FROM_OPTION = typer.Option(None, "--from", help="Published on or after YYYY-MM-DD.")
TO_OPTION = typer.Option(None, "--to", help="Published on or before YYYY-MM-DD.")
JSON_OPTION = typer.Option(False, "--json", help="One JSON object per line, for scripts.")
