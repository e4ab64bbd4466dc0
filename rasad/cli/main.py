"""The `rasad` command: one Typer app, one module per command group."""

from __future__ import annotations

import typer

from rasad.cli import (
    alerts_cmd,
    articles_cmd,
    crawl_cmd,
    crawls_cmd,
    db_cmd,
    demo_cmd,
    eval_cmd,
    events_cmd,
    export_cmd,
    extract_cmd,
    fixtures_cmd,
    kb_cmd,
    process_cmd,
    scheduler_cmd,
    search_cmd,
    serve_cmd,
    show_cmd,
    sources_cmd,
    status_cmd,
    tokens_cmd,
    topics_cmd,
    up_cmd,
    worker_cmd,
)
from rasad.observability.logs import configure_logging

app = typer.Typer(
    name="rasad",
    help="Rasad (رصد): monitor Arabic news outlets, extract developments, alert on new ones.",
    no_args_is_help=True,
    pretty_exceptions_enable=False,
    add_completion=False,
)


@app.callback()
def main(
    verbose: bool = typer.Option(False, "--verbose", "-v", help="Log at INFO level."),
    log_format: str = typer.Option("text", "--log-format", help="text, or json (one object per line)."),
) -> None:
    """Rasad (رصد): monitor Arabic news outlets, extract developments, alert on new ones."""
    if log_format not in ("text", "json"):
        raise typer.BadParameter("--log-format must be text or json")
    configure_logging(verbose=verbose, fmt=log_format)


app.command("crawl")(crawl_cmd.crawl)
app.command("worker")(worker_cmd.worker)
app.command("scheduler")(scheduler_cmd.scheduler)
app.command("demo")(demo_cmd.demo)
app.command("extract")(extract_cmd.extract)
app.add_typer(kb_cmd.kb_app, name="kb")
app.add_typer(topics_cmd.app, name="topics")
app.command("status")(status_cmd.status)
app.command("metrics")(status_cmd.metrics)
app.add_typer(fixtures_cmd.app, name="fixtures")
app.add_typer(eval_cmd.app, name="eval")
app.add_typer(db_cmd.app, name="db")
app.add_typer(articles_cmd.app, name="articles")
app.add_typer(process_cmd.app, name="process")
app.add_typer(sources_cmd.app, name="sources")
app.add_typer(alerts_cmd.app, name="alerts")
app.add_typer(crawls_cmd.app, name="crawls")
app.command("up")(up_cmd.up)
app.command("search")(search_cmd.search)
app.command("events")(events_cmd.events)
app.command("show")(show_cmd.show)
app.command("export")(export_cmd.export)
app.command("serve")(serve_cmd.serve)
app.add_typer(tokens_cmd.app, name="tokens")
