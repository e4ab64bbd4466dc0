"""`rasad eval cleaning`: score the cleaner on every fixture case and print a table (or JSON)."""

from __future__ import annotations

import json

import typer
from rich.console import Console
from rich.table import Table

from rasad.cleaning.evaluation import as_dicts, evaluate_all, summarize
from rasad.cli.eval_realtext import line_scores, prepared_documents


def _pct(value: float | None) -> str:
    return "-" if value is None else f"{value:.0%}"


def _num(value: float | None) -> str:
    return "-" if value is None else f"{value:.3f}"


def _real_lines(console: Console | None) -> dict[str, dict[str, object]]:
    items, lacking = prepared_documents()
    out: dict[str, dict[str, object]] = {}
    for part, (score, problems) in sorted(line_scores(items).items()):
        out[part] = {
            "boilerplate_lines": score.boilerplate,
            "dropped": score.dropped,
            "article_lines": score.article,
            "kept": score.kept,
            "drop_share": round(score.drop_share, 4),
            "keep_share": round(score.keep_share, 4),
            "problems": problems,
        }
        if console is not None:
            console.print(
                f"real-{part} pasted text: dropped {score.dropped}/{score.boilerplate} boilerplate lines "
                f"({score.drop_share:.1%}), kept {score.kept}/{score.article} article lines ({score.keep_share:.1%})"
            )
    if lacking and console is not None:
        console.print(f"{lacking} real-text document(s) not cached: `rasad eval cache missing` (docs/realtext.md)")
    return out


def cleaning(
    json_output: bool = typer.Option(False, "--json", help="print JSON instead of a table"),
    real: bool = typer.Option(True, "--real/--no-real", help="also score the cached real-text set's lines"),
) -> None:
    """Evaluate cleaning: kept/dropped snippets, title once, token P/R/F1 against gold bodies.

    With the real-text set cached (docs/realtext.md), also the share of its boilerplate lines dropped
    and of its article lines kept, per part.
    """
    results = evaluate_all()
    summary = summarize(results)
    if json_output:
        real_lines = _real_lines(None) if real else {}
        payload = {"summary": summary, "cases": as_dicts(results), "real": real_lines}
        typer.echo(json.dumps(payload, ensure_ascii=False, indent=1))
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
        if real:
            _real_lines(console)
    if summary["passed"] < summary["cases"]:
        raise typer.Exit(code=1)
