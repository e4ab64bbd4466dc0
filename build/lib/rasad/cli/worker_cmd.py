"""`rasad worker`: a Celery worker with the project's settings."""

from __future__ import annotations

import typer

from rasad.cli.errors import cli_errors


@cli_errors
def worker(
    concurrency: int = typer.Option(2, "--concurrency", "-c", help="Worker processes."),
    pool: str = typer.Option("prefork", "--pool", help="prefork, solo or threads."),
    loglevel: str = typer.Option("INFO", "--loglevel", "-l"),
) -> None:
    """Run a Celery worker consuming the Rasad queue (broker from REDIS_URL, else the embedded one)."""
    from rasad.observability.logs import set_log_level
    from rasad.settings import get_settings
    from workers.app import app

    set_log_level(loglevel)  # Celery logs through the root logger, whose handler Rasad owns
    settings = get_settings()
    app.worker_main(
        argv=[
            "worker", "--queues", settings.queue, "--concurrency", str(concurrency), "--pool", pool,
            "--loglevel", loglevel, "--without-gossip", "--without-mingle", "--hostname", "rasad@%h",
        ]
    )  # fmt: skip
