"""The crawl-run record: one row per spider run with its counts and every failure's reason."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from scrapy import signals
from scrapy.crawler import Crawler

from db.fetch_state import save_discoveries, save_validators
from db.models import CrawlFailure, CrawlRun, RunStatus
from db.session import session_scope, with_db_retry


class CrawlRunRecorder:
    """Open a `CrawlRun` when a spider opens; close it with stats and failures when it closes."""

    def __init__(self, crawler: Crawler):
        self.crawler = crawler

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> CrawlRunRecorder:
        """Scrapy's constructor hook: connect to the spider's lifecycle signals."""
        extension = cls(crawler)
        crawler.signals.connect(extension.spider_opened, signal=signals.spider_opened)
        crawler.signals.connect(extension.spider_closed, signal=signals.spider_closed)
        return extension

    def spider_opened(self, spider: Any) -> None:
        """Create the run row; the item pipeline links pages to it."""
        source = getattr(spider, "source", None)
        if source is None:
            return

        def open_run() -> int:
            with session_scope() as session:
                run = CrawlRun(source_id=source.id, profile=self.crawler.settings.get("RASAD_PROFILE", "live"))
                session.add(run)
                session.flush()
                return run.id

        spider.crawl_run_id = with_db_retry(open_run, what=f"opening the crawl run of {source.id}")

    def spider_closed(self, spider: Any, reason: str) -> None:
        """Write counts, failures and the outcome."""
        run_id = getattr(spider, "crawl_run_id", None)
        if run_id is None:
            return
        stats = self.crawler.stats.get_stats() if self.crawler.stats else {}
        failures = list(getattr(spider, "failures", []))
        with_db_retry(lambda: self._close_run(run_id, spider, reason, stats, failures), what="closing a crawl run")

    def _close_run(self, run_id: int, spider: Any, reason: str, stats: dict, failures: list[dict]) -> None:
        with session_scope() as session:
            run = session.get(CrawlRun, run_id)
            if run is None:
                return
            run.finished_at = datetime.now(UTC)
            run.pages_fetched = int(stats.get("response_received_count", 0))
            run.new_pages = int(stats.get("rasad/new_pages", 0))
            run.skipped_known = int(stats.get("rasad/skipped_known", 0))
            run.errors_count = len(failures)
            run.stats = {
                "finish_reason": reason,
                "requests": int(stats.get("downloader/request_count", 0)),
                "retries": int(stats.get("retry/count", 0)),
                "capped": int(stats.get("rasad/capped", 0)),
                "useful_responses": getattr(spider, "useful_responses", 0),
                "not_modified": int(stats.get("rasad/not_modified", 0)),
                "unchanged": int(stats.get("rasad/unchanged", 0)),
                "listings_skipped": int(stats.get("rasad/listings_skipped", 0)),
            }
            retry_after = getattr(spider, "retry_after_until", None)
            if retry_after is not None:
                run.stats["retry_after_until"] = retry_after.isoformat()
            if hasattr(spider, "validators_to_save"):
                save_validators(session, spider.source.id, spider.validators_to_save())
            if hasattr(spider, "discoveries_to_save"):
                found, complete = spider.discoveries_to_save()
                save_discoveries(session, spider.source.id, found, complete=complete)
            for failure in failures:
                run.failures.append(CrawlFailure(url=failure["url"], kind=failure["kind"], reason=failure["reason"]))
            if getattr(spider, "useful_responses", 0) == 0:
                run.status = RunStatus.FAILED
            elif failures:
                run.status = RunStatus.PARTIAL
            else:
                run.status = RunStatus.OK
