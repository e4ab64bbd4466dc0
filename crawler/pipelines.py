"""Item pipelines: store each raw page (compressed) and enqueue its processing after commit."""

from __future__ import annotations

import asyncio
import logging
import time
from typing import Any

from scrapy.crawler import Crawler
from scrapy.exceptions import DropItem
from sqlalchemy.exc import IntegrityError, OperationalError
from sqlalchemy.orm import Session, sessionmaker

from crawler.items import RawPageItem
from db.pages import add_raw_page
from db.session import get_sessionmaker, on_commit
from workers.dispatch import enqueue_page

logger = logging.getLogger(__name__)


class StoreRawPagePipeline:
    """Persist a `RawPageItem` once per canonical URL; the worker is told only after the commit.

    While the database is unreachable the pipeline keeps the page in memory and retries with
    backoff (without blocking the crawl) for up to RASAD_DB_RETRY_SECONDS, logging each wait.
    """

    def __init__(
        self, crawler: Crawler, session_factory: sessionmaker[Session] | None = None, retry_seconds: float = 120.0
    ):
        self.crawler = crawler
        self._session_factory = session_factory
        self.retry_seconds = retry_seconds

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> StoreRawPagePipeline:
        """Scrapy's constructor hook."""
        return cls(crawler, retry_seconds=crawler.settings.getfloat("RASAD_DB_RETRY_SECONDS", 120.0))

    def open_spider(self) -> None:
        """Bind to the configured database."""
        if self._session_factory is None:
            self._session_factory = get_sessionmaker()

    async def process_item(self, item: Any) -> Any:
        """Store the page; drop it (with the reason) when that canonical URL is already stored."""
        if not isinstance(item, RawPageItem):
            return item
        deadline = time.monotonic() + self.retry_seconds
        delay = 0.5
        while True:
            try:
                # The database call runs in a thread so a slow or retrying write never stalls the crawl.
                await asyncio.to_thread(self.store, item)
                break
            except OperationalError as exc:
                if time.monotonic() + delay > deadline:
                    logger.error("database unavailable for %.0fs; page not stored: %s", self.retry_seconds, item.url)
                    raise DropItem(f"database unavailable: {item.url}") from exc
                logger.warning("database unavailable (%s); retrying page %s in %.1fs", exc.orig, item.url, delay)
                await asyncio.sleep(delay)
                delay = min(delay * 2, 10.0)
        if self.crawler.stats:
            self.crawler.stats.inc_value("rasad/new_pages")
        return item

    def store(self, item: RawPageItem) -> int:
        """Write one page in its own transaction; return its id. Raise DropItem when already stored."""
        assert self._session_factory is not None, "open_spider() was not called"
        run_id = getattr(self.crawler.spider, "crawl_run_id", None)
        try:
            with self._session_factory() as session, session.begin():
                page_id = add_raw_page(
                    session,
                    source_id=item.source_id,
                    crawl_run_id=run_id,
                    url=item.url,
                    fetched_url=item.fetched_url,
                    http_status=item.http_status,
                    content_type=item.content_type,
                    declared_encoding=item.declared_encoding,
                    body=item.body,
                    discovered_via=item.discovered_via,
                )
                if page_id is None:
                    raise DropItem(f"already stored: {item.url}")
                on_commit(session, lambda: self.enqueue(page_id))
        except IntegrityError as exc:  # a concurrent crawl stored the same URL first
            raise DropItem(f"already stored: {item.url}") from exc
        return page_id

    def enqueue(self, page_id: int) -> None:
        """Hand the stored page to the workers; a broker outage leaves it pending for `rasad process pending`."""

        enqueue_page(page_id)
