"""`rasad topics list|show|check`: the stories followed, bundled and your own (`RASAD_TOPICS_DIR`)."""

from __future__ import annotations

import json
from pathlib import Path

import typer
from rich.console import Console
from rich.table import Table

from rasad.cli.errors import cli_errors, fail
from rasad.extraction.topics import DEFAULT_TOPICS_DIR, TopicFile, read_topic, topic_directories, topic_files

app = typer.Typer(
    help="Topics: the stories Rasad follows (bundled, and yours in RASAD_TOPICS_DIR).", no_args_is_help=True
)


def _files() -> dict[str, TopicFile]:
    return topic_files(topic_directories())


@app.command("list")
@cli_errors
def list_topics(json_output: bool = typer.Option(False, "--json", help="One JSON object per line.")) -> None:
    """Every topic with its period, threshold and file (yours replace bundled ones of the same id)."""
    table = Table(title="Topics")
    for column in ("id", "name", "period", "threshold", "file"):
        table.add_column(column, overflow="fold", no_wrap=column == "id")
    for topic_id, topic in _files().items():
        path, spec = topic.path, topic.spec
        period = f"{spec.period.start or '…'} – {spec.period.end or '…'}" if spec.period else "any time"
        where = "bundled" if path.parent == DEFAULT_TOPICS_DIR else str(path)
        if json_output:
            row = {"id": topic_id, "name": spec.name, "period": period, "threshold": spec.threshold, "file": where}
            typer.echo(json.dumps(row, ensure_ascii=False))
        table.add_row(topic_id, spec.name, period, f"{spec.threshold:g}", where)
    if not json_output:
        Console().print(table)


@app.command("show")
@cli_errors
def show(topic_id: str = typer.Argument(..., help="The topic's id.")) -> None:
    """The topic file as it is read."""
    files = _files()
    if topic_id not in files:
        raise fail(f"unknown topic {topic_id!r}; known: {', '.join(sorted(files))}")
    path = files[topic_id].path
    typer.echo(f"# {path}")
    typer.echo(path.read_text(encoding="utf-8").rstrip())


@app.command("check")
@cli_errors
def check(path: Path = typer.Argument(..., help="A topic file to validate.")) -> None:
    """Validate a topic file as the pipeline reads it; errors name the file and the field."""
    spec = read_topic(path)
    clash = _files().get(spec.id)
    note = f" (replaces {clash.path})" if clash is not None and clash.path.resolve() != path.resolve() else ""
    typer.echo(f"{path}: ok — topic {spec.id!r} ({spec.name}), {len(spec.cues.phrases)} cue phrases{note}")
