"""`rasad eval cleaning`: score the cleaner on every fixture case and print a table (or JSON)."""

from __future__ import annotations

import json

import typer
from rich.console import Console
from rich.table import Table

from rasad.cleaning.evaluation import as_dicts, evaluate_all, summarize


def _pct(value: float | None) -> str:
    return "-" if value is None else f"{value:.0%}"


def _num(value: float | None) -> str:
    return "-" if value is None else f"{value:.3f}"


def cleaning(json_output: bool = typer.Option(False, "--json", help="print JSON instead of a table")) -> None:
    """Evaluate cleaning: kept/dropped snippets, title once, token P/R/F1 against gold bodies."""
    results = evaluate_all()
    summary = summarize(results)
    if json_output:
        typer.echo(json.dumps({"summary": summary, "cases": as_dicts(results)}, ensure_ascii=False, indent=1))
    else:
        table = Table(title="Cleaning evaluation")
        for column in ("case", "kind", "kept", "dropped", "title once", "P", "R", "F1", "date", "result"):
            table.add_column(
                column, justify="left" if column in ("case", "result") else "right", no_wrap=column == "case"
            )
        for r in results:
            outcome = r.rejected and f"rejected:{r.rejected}"
            status = "[green]ok[/green]" if r.passed else "[red]" + "; ".join(r.problems)[:80] + "[/red]"
            table.add_row(
                r.case,
                r.kind,
                _pct(r.keep_share),
                _pct(r.drop_share),
                "-" if r.title_once is None else ("yes" if r.title_once else "no"),
                _num(r.precision),
                _num(r.recall),
                _num(r.f1),
                "-" if r.date_ok is None else ("ok" if r.date_ok else "wrong"),
                f"{outcome} {status}" if outcome else status,
            )
        console = Console()
        console.print(table)
        console.print(
            f"{summary['passed']}/{summary['cases']} cases pass; kept {summary['keep_share']:.1%}, "
            f"dropped {summary['drop_share']:.1%}, title once {summary['title_once_share']:.0%}, "
            f"mean F1 {summary['mean_f1']:.3f} (min {summary['min_f1']:.3f})"
        )
    if summary["passed"] < summary["cases"]:
        raise typer.Exit(code=1)
