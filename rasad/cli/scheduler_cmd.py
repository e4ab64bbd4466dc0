"""`rasad scheduler`: Celery beat, starting crawls on each source's interval."""

from __future__ import annotations

import typer

from rasad.cli.errors import cli_errors


@cli_errors
def scheduler(
    profile: str = typer.Option(None, "--profile", help="live (default) or fixtures."),
    loglevel: str = typer.Option("INFO", "--loglevel", "-l"),
) -> None:
    """Run the scheduler (Celery beat): each enabled source is crawled every `interval_minutes`."""
    from rasad.settings import get_settings
    from rasad.sources import load_profile
    from workers.app import app
    from workers.schedule import crawl_schedule

    settings = get_settings()
    profile = profile or settings.profile
    sources = load_profile(profile, path=settings.sources_file, fixtures_url=settings.fixtures_url)
    app.conf.beat_schedule = crawl_schedule(sources, profile)
    typer.echo(f"scheduling {len(app.conf.beat_schedule)} source(s) [{profile}]")
    app.Beat(loglevel=loglevel, schedule=str(settings.data_dir / "beat-schedule")).run()
