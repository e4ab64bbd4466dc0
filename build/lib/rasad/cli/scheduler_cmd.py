"""`rasad scheduler`: Celery beat, starting crawls on each source's interval."""

from __future__ import annotations

import typer

from rasad.cli.errors import cli_errors


@cli_errors
def scheduler(
    profile: str = typer.Option(None, "--profile", help="live (default) or fixtures."),
    loglevel: str = typer.Option("INFO", "--loglevel", "-l"),
    tick: float = typer.Option(30.0, "--tick", min=1.0, help="Seconds between checks for due crawls and digests."),
) -> None:
    """Run the scheduler (Celery beat): each enabled source is crawled every `interval_minutes`.

    One beat entry checks the `sources` table every tick, so `rasad sources enable|disable|set-interval`
    take effect without a restart; digests are sent on their cron schedules.
    """
    from rasad.settings import get_settings
    from rasad.sources import load_profile
    from workers.app import app
    from workers.beat import service_schedule

    settings = get_settings()
    profile = profile or settings.profile
    sources = load_profile(profile, path=settings.sources_file, fixtures_url=settings.fixtures_url)
    app.conf.beat_schedule = service_schedule(profile, tick)
    typer.echo(f"scheduling {len(sources)} source(s) [{profile}], checking every {tick:g}s")
    app.Beat(loglevel=loglevel, schedule=str(settings.data_dir / "beat-schedule")).run()
