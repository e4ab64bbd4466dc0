"""Run crawls of several sources in one Scrapy process and summarize their runs."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from scrapy import signals
from scrapy.crawler import CrawlerProcess
from scrapy.settings import Settings as ScrapySettings
from sqlalchemy import select

from crawler.spiders.news import NewsSpider
from db.fetch_state import Discovery, Validators, load_fetch_state
from db.models import CrawlFailure, CrawlRun, RawPage, RunStatus
from db.session import session_scope
from db.sources import sync_sources
from rasad.settings import Settings
from rasad.sources import Source


@dataclass(frozen=True)
class RunSummary:
    """What one source's crawl did, for the command's table."""

    source_id: str
    run_id: int | None
    status: str
    pages_fetched: int
    new_pages: int
    skipped_known: int
    failures: list[tuple[str, str, str]]  # (kind, url, reason)


def scrapy_settings(settings: Settings, profile: str) -> ScrapySettings:
    """Scrapy settings from `crawler.settings` plus the deployment's values."""
    result = ScrapySettings()
    result.setmodule("crawler.settings", priority="project")
    result.set("USER_AGENT", settings.user_agent, priority="cmdline")
    result.set("DOWNLOAD_TIMEOUT", settings.download_timeout, priority="cmdline")
    result.set("DOWNLOAD_MAXSIZE", settings.max_page_bytes * 4, priority="cmdline")
    result.set("DOWNLOAD_WARNSIZE", settings.max_page_bytes, priority="cmdline")
    result.set("RASAD_PROFILE", profile, priority="cmdline")
    result.set("LOG_LEVEL", settings.log_level if settings.log_level == "DEBUG" else "WARNING", priority="cmdline")
    if profile == "fixtures":
        # The fixture site is on loopback: no need to be gentle with it.
        result.set("DOWNLOAD_DELAY", 0, priority="cmdline")
        result.set("AUTOTHROTTLE_START_DELAY", 0.05, priority="cmdline")
    return result


def known_urls(source_id: str) -> set[str]:
    """Canonical URLs already stored for a source: the spider skips them."""
    with session_scope() as session:
        return set(session.scalars(select(RawPage.url).where(RawPage.source_id == source_id)).all())


def known_fetch_state(source_id: str) -> tuple[dict[str, Validators], dict[str, Discovery]]:
    """What the source's feeds, sitemaps and listing pages answered last (sent back as conditions), and
    the feeds and sitemaps the outlet named in earlier crawls (read first, like configured ones)."""
    with session_scope() as session:
        return load_fetch_state(session, source_id)


def run_crawl(
    sources: list[Source],
    *,
    settings: Settings,
    profile: str,
    on_item: Callable[[str], None] | None = None,
) -> list[RunSummary]:
    """Crawl `sources` concurrently until done; return one summary per source."""
    with session_scope() as session:
        sync_sources(session, sources)
    process = CrawlerProcess(scrapy_settings(settings, profile))
    crawlers = []
    for source in sources:
        crawler = process.create_crawler(NewsSpider)
        if on_item is not None:
            crawler.signals.connect(lambda item, **_: on_item(item.source_id), signal=signals.item_scraped)
        crawlers.append(crawler)
        validators, discovered = known_fetch_state(source.id)
        process.crawl(
            crawler, source=source, known_urls=known_urls(source.id), validators=validators, discovered=discovered
        )
    process.start()
    run_ids = [getattr(c.spider, "crawl_run_id", None) for c in crawlers]
    return [summarize(source.id, run_id) for source, run_id in zip(sources, run_ids, strict=True)]


def summarize(source_id: str, run_id: int | None) -> RunSummary:
    """Read a crawl run back from the database."""
    if run_id is None:
        return RunSummary(source_id, None, RunStatus.FAILED.value, 0, 0, 0, [("error", "", "crawl did not start")])
    with session_scope() as session:
        run = session.get(CrawlRun, run_id)
        assert run is not None
        failures = session.execute(
            select(CrawlFailure.kind, CrawlFailure.url, CrawlFailure.reason).where(CrawlFailure.run_id == run_id)
        ).all()
        return RunSummary(
            source_id=source_id,
            run_id=run_id,
            status=run.status.value,
            pages_fetched=run.pages_fetched,
            new_pages=run.new_pages,
            skipped_known=run.skipped_known,
            failures=[tuple(f) for f in failures],  # type: ignore[misc]
        )
