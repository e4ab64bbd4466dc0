"""`rasad eval cleaning|extraction`: score the pipeline on the annotated fixtures."""

from __future__ import annotations

import typer

app = typer.Typer(help="Evaluate cleaning and extraction against the gold fixtures.", no_args_is_help=True)


def register() -> None:
    """Attach the evaluation commands that exist (each lives beside the stage it evaluates)."""
    from rasad.cli.eval_cleaning import cleaning

    app.command("cleaning")(cleaning)
    try:
        from rasad.cli.eval_extraction import extraction
    except ImportError:  # pragma: no cover - until the extraction stage ships its evaluation
        return
    app.command("extraction")(extraction)


register()
