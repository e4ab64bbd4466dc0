"""`rasad crawl SOURCE...|--all`."""

from __future__ import annotations

import typer
from rich.console import Console
from rich.table import Table

from crawler.runner import RunSummary, run_crawl
from rasad.cli.errors import cli_errors, fail
from rasad.settings import get_settings
from rasad.sources import load_profile, select_sources

console = Console(stderr=True)


@cli_errors
def crawl(
    sources: list[str] = typer.Argument(None, help="Source ids to crawl (see `rasad sources list`)."),
    all_sources: bool = typer.Option(False, "--all", help="Crawl every enabled source of the profile."),
    profile: str = typer.Option(None, "--profile", help="live (default) or fixtures (RASAD_FIXTURES_URL)."),
) -> None:
    """Crawl outlets now: discover new article URLs, store their pages, queue them for the workers.

    Exits non-zero only when nothing at all could be crawled.
    """
    settings = get_settings()
    profile = profile or settings.profile
    if not sources and not all_sources:
        raise fail("name one or more sources, or pass --all")
    if sources and all_sources:
        raise fail("pass source ids or --all, not both")
    configured = load_profile(profile, path=settings.sources_file, fixtures_url=settings.fixtures_url)
    chosen = select_sources(configured, None if all_sources else sources)
    if not chosen:
        raise fail(f"no enabled sources in profile {profile!r}")
    stored = {"n": 0}
    with console.status(f"Crawling {len(chosen)} source(s) [{profile}]…") as status:

        def on_item(source_id: str) -> None:
            stored["n"] += 1
            status.update(f"Crawling {len(chosen)} source(s) [{profile}]… {stored['n']} new page(s) stored")

        summaries = run_crawl(chosen, settings=settings, profile=profile, on_item=on_item)
    print_summary(summaries)
    if all(s.status == "failed" for s in summaries):
        raise fail("nothing could be crawled")


def print_summary(summaries: list[RunSummary]) -> None:
    """A table per source, then every failure with its reason."""
    table = Table(title="Crawl runs")
    for column in ("source", "run", "status", "fetched", "new", "known", "failures"):
        table.add_column(column)
    for s in summaries:
        table.add_row(
            s.source_id, str(s.run_id or "-"), s.status, str(s.pages_fetched), str(s.new_pages),
            str(s.skipped_known), str(len(s.failures)),
        )  # fmt: skip
    out = Console()
    out.print(table)
    for s in summaries:
        for kind, url, reason in s.failures:
            out.print(f"  [yellow]{s.source_id}[/] {kind}: {url} — {reason}", soft_wrap=True)
