"""The real-text set in `rasad eval`: its extraction reports, its cleaning line scores, its cache."""

from __future__ import annotations

import sys
from collections import Counter
from dataclasses import dataclass, field
from typing import Any

import typer

from rasad.cli.errors import cli_errors, fail
from rasad.extraction import extract, to_json
from rasad.extraction.evaluation import STORY_TOPIC, Case, Report, relevant_to, score_case
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


def _on_story(item: Prepared) -> bool:
    """Annotated for the bundled story (entities, events, lines), not only for another topic's relevance."""
    return item.doc.topic == STORY_TOPIC


def extractions(items: list[Prepared]) -> dict[str, dict[str, Any]]:
    """Each document's extraction (`to_json` form), run once for every report that reads it."""
    out = {}
    for item in items:
        case = _case(item)
        out[item.doc.id] = to_json(extract(title=case.title, body=case.body, published_at=case.published_at))
    return out


def real_reports(items: list[Prepared], results: dict[str, dict[str, Any]]) -> list[Report]:
    """One extraction report per part of the real set (parts without cached documents are left out)."""
    reports = []
    for part in PARTS:
        in_part = [item for item in items if item.part == part and _on_story(item)]
        if not in_part:
            continue
        report = Report(f"real-{part}")
        for item in in_part:
            score_case(_case(item), results[item.doc.id], report)
        reports.append(report)
    return reports


def line_scores(items: list[Prepared]) -> dict[str, tuple[LineScore, list[str]]]:
    """Per part: boilerplate lines dropped and article lines kept, with the documents' problems."""
    out: dict[str, tuple[LineScore, list[str]]] = {}
    for item in filter(_on_story, items):
        total, problems = out.setdefault(item.part, (LineScore(), []))
        title, body = (item.cleaned.title or "", item.cleaned.body) if item.cleaned is not None else ("", "")
        score, leaked, lost = score_lines(item.doc, item.text, title, body)
        total.add(score)
        if item.rejection:
            problems.append(f"{item.doc.id}: rejected ({item.rejection})")
        if leaked or lost:
            problems.append(f"{item.doc.id}: leaked lines {leaked}, lost lines {lost}")
    return out


@dataclass
class TopicScore:
    """Relevance per topic over the real set, and articles of one story scored relevant to the other."""

    correct: Counter[str] = field(default_factory=Counter)
    total: Counter[str] = field(default_factory=Counter)
    crossed: list[str] = field(default_factory=list)  # "a07: turkey_syria_normalization → other_topic"
    wrong: list[str] = field(default_factory=list)


def topic_scores(items: list[Prepared], results: dict[str, dict[str, Any]]) -> TopicScore:
    """Each document scored for its own topic; each on-topic document checked against every other topic."""
    score = TopicScore()
    for item in items:
        result = results[item.doc.id]
        topic = item.doc.topic
        predicted = relevant_to(result, topic)
        score.total[f"{topic} ({item.part})"] += 1
        score.correct[f"{topic} ({item.part})"] += int(predicted == item.doc.relevant)
        if predicted != item.doc.relevant:
            score.wrong.append(
                f"{item.doc.id} ({item.part}): {topic} predicted {predicted}, annotated {item.doc.relevant}"
            )
        if item.doc.relevant:
            others = [t["topic"] for t in result["topics"] if t["relevant"] and t["topic"] != topic]
            score.crossed += [f"{item.doc.id}: {topic} → {other}" for other in others]
    return score


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
