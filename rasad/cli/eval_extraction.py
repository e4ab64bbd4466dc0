"""`rasad eval extraction`: score extraction on the seeds and the annotated cases."""

from __future__ import annotations

import json

import typer
from rich.console import Console
from rich.table import Table

from rasad.cli.eval_realtext import TopicScore, extractions, prepared_documents, real_reports, topic_scores
from rasad.extraction.evaluation import AREAS, evaluate_all


def extraction(
    json_output: bool = typer.Option(False, "--json", help="Print the report as JSON."),
    real: bool = typer.Option(True, "--real/--no-real", help="Also score both parts of the cached real-text set."),
) -> None:
    """Per-area precision, recall and F1 of extraction against the gold annotations.

    Suites: the seeds, the project's own cases and, when their texts are cached (docs/realtext.md),
    the development and held-out parts of the real-text set.
    """
    reports = evaluate_all()
    lacking = 0
    topics = TopicScore()
    if real:
        items, lacking = prepared_documents()
        results = extractions(items)
        reports += real_reports(items, results)
        topics = topic_scores(items, results)
    if json_output:
        typer.echo(json.dumps([r.as_dict() for r in reports], ensure_ascii=False, indent=2))
        if lacking:
            typer.secho(f"{lacking} real-text document(s) not cached", err=True)
        return
    console = Console()
    table = Table(title="Extraction vs gold")
    for col in ("suite", "area", "TP", "FP", "FN", "P", "R", "F1"):
        table.add_column(col, justify="right" if col not in ("suite", "area") else "left")
    for report in reports:
        for area in AREAS:
            c = report.areas[area]
            if report.suite.startswith("real-") and not (c.tp or c.fp or c.fn):
                continue  # not annotated in the real-text set (organizations, places)
            table.add_row(
                report.suite,
                area,
                str(c.tp),
                str(c.fp),
                str(c.fn),
                f"{c.precision:.3f}",
                f"{c.recall:.3f}",
                f"{c.f1:.3f}",
            )
        if report.level_total:
            table.add_row(
                report.suite,
                "event level (matched)",
                str(report.level_agree),
                "",
                "",
                "",
                "",
                f"{report.level_agree / report.level_total:.3f}",
            )
    console.print(table)
    _print_topics(console, topics)
    if lacking:
        console.print(f"{lacking} real-text document(s) not cached: `rasad eval cache missing` (docs/realtext.md)")


def _print_topics(console: Console, topics: TopicScore) -> None:
    for topic, total in sorted(topics.total.items()):
        console.print(f"real set, relevance to {topic}: {topics.correct[topic]}/{total} documents right")
    if topics.total:
        console.print(f"articles of one story scored relevant to another: {len(topics.crossed)}")
    for line in [*topics.wrong, *topics.crossed]:
        console.print(f"  {line}")
