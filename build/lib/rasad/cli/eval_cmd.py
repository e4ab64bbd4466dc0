"""`rasad eval cleaning|extraction|cache`: score the pipeline on the annotated fixtures and the real-text set."""

from __future__ import annotations

import typer

from rasad.cli.eval_cleaning import cleaning
from rasad.cli.eval_extraction import extraction
from rasad.cli.eval_realtext import cache_app

app = typer.Typer(help="Evaluate cleaning and extraction against the gold fixtures.", no_args_is_help=True)
app.command("cleaning")(cleaning)
app.command("extraction")(extraction)
app.add_typer(cache_app, name="cache")
