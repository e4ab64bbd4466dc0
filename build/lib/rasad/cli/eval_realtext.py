"""The real-text set in `rasad eval`: its extraction reports, its cleaning line scores, its cache."""

from __future__ import annotations

import sys

import typer

from rasad.cli.errors import cli_errors, fail
from rasad.extraction.evaluation import Case, Report, evaluate
from rasad.realtext import (
    PARTS,
    LineScore,
    Prepared,
    RealTextError,
    load_documents,
    load_split,
    missing,
    prepare,
    put,
    score_lines,
)

cache_app = typer.Typer(help="The git-ignored cache of the real-text set's texts.", no_args_is_help=True)


def prepared_documents() -> tuple[list[Prepared], int]:
    """Cached real documents run through cleaning, and how many annotated documents lack their text."""
    try:
        docs = load_documents()
        split = load_split()
    except RealTextError as exc:
        raise fail(str(exc)) from exc
    ready = prepare(docs, split)
    return ready, len(docs) - len(ready)


def _case(item: Prepared) -> Case:
    cleaned = item.cleaned
    body = cleaned.body if cleaned is not None else ""
    title = cleaned.title if cleaned is not None else None
    return Case(item.doc.id, title, body, item.published, item.doc.gold())


def real_reports(items: list[Prepared]) -> list[Report]:
    """One extraction report per part of the real set (parts without cached documents are left out)."""
    reports = []
    for part in PARTS:
        cases = [_case(i) for i in items if i.part == part]
        if cases:
            reports.append(evaluate(cases, f"real-{part}"))
    return reports


def line_scores(items: list[Prepared]) -> dict[str, tuple[LineScore, list[str]]]:
    """Per part: boilerplate lines dropped and article lines kept, with the documents' problems."""
    out: dict[str, tuple[LineScore, list[str]]] = {}
    for item in items:
        total, problems = out.setdefault(item.part, (LineScore(), []))
        body = item.cleaned.body if item.cleaned is not None else ""
        score, leaked, lost = score_lines(item.doc, item.text, item.output(), body)
        total.add(score)
        if item.rejection:
            problems.append(f"{item.doc.id}: rejected ({item.rejection})")
        if leaked or lost:
            problems.append(f"{item.doc.id}: leaked lines {leaked}, lost lines {lost}")
    return out


@cache_app.command("missing")
@cli_errors
def cache_missing() -> None:
    """List the documents whose text is not cached: id, query and address, tab-separated."""
    docs = missing(load_documents())
    for doc in docs:
        typer.echo(f"{doc.id}\t{doc.query}\t{doc.url}")
    typer.secho(f"{len(docs)} document(s) to refill (see docs/realtext.md)", err=True)


@cache_app.command("put")
@cli_errors
def cache_put(doc_id: str = typer.Argument(..., help="The document's id, e.g. a07.")) -> None:
    """Cache the excerpt read from standard input as the document's text, after checking its hash."""
    docs = {d.id: d for d in load_documents()}
    if doc_id not in docs:
        raise fail(f"no annotated document {doc_id!r}")
    path = put(docs[doc_id], sys.stdin.buffer.read().decode("utf-8"))
    typer.echo(f"cached {doc_id} at {path}")
