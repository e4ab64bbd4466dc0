"""Item pipelines: store each raw page (compressed) and enqueue its processing after commit."""

from __future__ import annotations

import gzip
import hashlib
import logging
from typing import Any

from scrapy.crawler import Crawler
from scrapy.exceptions import DropItem
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session, sessionmaker

from crawler.items import RawPageItem
from db.models import RawPage
from db.session import get_sessionmaker, on_commit

logger = logging.getLogger(__name__)


class StoreRawPagePipeline:
    """Persist a `RawPageItem` once per canonical URL; the worker is told only after the commit."""

    def __init__(self, crawler: Crawler, session_factory: sessionmaker[Session] | None = None):
        self.crawler = crawler
        self._session_factory = session_factory

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> StoreRawPagePipeline:
        """Scrapy's constructor hook."""
        return cls(crawler)

    def open_spider(self) -> None:
        """Bind to the configured database."""
        if self._session_factory is None:
            self._session_factory = get_sessionmaker()

    def process_item(self, item: Any) -> Any:
        """Store the page; drop it (with the reason) when that canonical URL is already stored."""
        if not isinstance(item, RawPageItem):
            return item
        assert self._session_factory is not None, "open_spider() was not called"
        spider = self.crawler.spider
        run_id = getattr(spider, "crawl_run_id", None)
        try:
            with self._session_factory() as session, session.begin():
                if session.scalar(select(RawPage.id).where(RawPage.url == item.url)) is not None:
                    raise DropItem(f"already stored: {item.url}")
                page = RawPage(
                    source_id=item.source_id,
                    crawl_run_id=run_id,
                    url=item.url,
                    fetched_url=item.fetched_url,
                    http_status=item.http_status,
                    content_type=item.content_type,
                    declared_encoding=item.declared_encoding,
                    body_gz=gzip.compress(item.body, compresslevel=6),
                    body_sha256=hashlib.sha256(item.body).hexdigest(),
                    discovered_via=item.discovered_via,
                )
                session.add(page)
                session.flush()
                page_id = page.id
                on_commit(session, lambda: self.enqueue(page_id))
        except IntegrityError as exc:  # a concurrent crawl stored the same URL first
            raise DropItem(f"already stored: {item.url}") from exc
        if self.crawler.stats:
            self.crawler.stats.inc_value("rasad/new_pages")
        return item

    def enqueue(self, page_id: int) -> None:
        """Hand the stored page to the workers; a broker outage leaves it pending for `rasad process pending`."""
        from workers.dispatch import enqueue_page

        enqueue_page(page_id)
