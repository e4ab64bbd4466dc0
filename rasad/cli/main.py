"""The `rasad` command: one Typer app, one module per command group."""

from __future__ import annotations

import logging

import typer

from rasad.cli import articles_cmd, crawl_cmd, db_cmd, demo_cmd, fixtures_cmd, process_cmd, scheduler_cmd, sources_cmd, worker_cmd

app = typer.Typer(
    name="rasad",
    help="Rasad (رصد): monitor Arabic news outlets, extract developments, alert on new ones.",
    no_args_is_help=True,
    pretty_exceptions_enable=False,
    add_completion=False,
)


@app.callback()
def main(verbose: bool = typer.Option(False, "--verbose", "-v", help="Log at INFO level.")) -> None:
    """Rasad (رصد): monitor Arabic news outlets, extract developments, alert on new ones."""
    handler = logging.StreamHandler()
    # The level sits on the handler: Scrapy resets the root logger's level when it starts.
    handler.setLevel(logging.INFO if verbose else logging.WARNING)
    handler.setFormatter(logging.Formatter("%(levelname)s %(name)s: %(message)s"))
    logging.root.addHandler(handler)
    logging.root.setLevel(logging.INFO if verbose else logging.WARNING)


app.command("crawl")(crawl_cmd.crawl)
app.command("worker")(worker_cmd.worker)
app.command("scheduler")(scheduler_cmd.scheduler)
app.command("demo")(demo_cmd.demo)
app.add_typer(fixtures_cmd.app, name="fixtures")
app.add_typer(db_cmd.app, name="db")
app.add_typer(articles_cmd.app, name="articles")
app.add_typer(process_cmd.app, name="process")
app.add_typer(sources_cmd.app, name="sources")
