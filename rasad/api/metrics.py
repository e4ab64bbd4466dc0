"""Prometheus metrics, read from the database and the broker at scrape time.

Counting in the database rather than in process memory keeps the figures right across Celery's
prefork children, crawler processes and restarts: every process writes its facts to the store,
the collector reads them.
"""

from __future__ import annotations

from collections.abc import Iterator

from prometheus_client.core import CounterMetricFamily, GaugeMetricFamily
from prometheus_client.registry import Collector
from sqlalchemy import func, select

from db.models import Article, CrawlFailure, CrawlRun, PageState, RawPage
from db.pages import count_by_state
from db.session import session_scope
from rasad.settings import get_settings
from workers.queue import queue_depth


class RasadCollector(Collector):
    """Pages fetched, articles stored, rejections by reason, failures, retries, queue depth."""

    def collect(self) -> Iterator[GaugeMetricFamily | CounterMetricFamily]:
        """Yield the current figures (one database round trip per family)."""
        with session_scope() as session:
            fetched = CounterMetricFamily("rasad_pages_fetched", "HTTP responses received by crawls", labels=["source"])
            for source, total in session.execute(
                select(CrawlRun.source_id, func.coalesce(func.sum(CrawlRun.pages_fetched), 0)).group_by(
                    CrawlRun.source_id
                )
            ):
                fetched.add_metric([source], float(total))
            yield fetched

            stored = CounterMetricFamily("rasad_articles_stored", "Articles stored", labels=["source"])
            for source, total in session.execute(select(Article.source_id, func.count()).group_by(Article.source_id)):
                stored.add_metric([source], float(total))
            yield stored

            rejected = CounterMetricFamily("rasad_pages_rejected", "Pages rejected by cleaning", labels=["reason"])
            for reason, total in session.execute(
                select(RawPage.reject_reason, func.count())
                .where(RawPage.state == PageState.REJECTED)
                .group_by(RawPage.reject_reason)
            ):
                rejected.add_metric([reason or "unknown"], float(total))
            yield rejected

            failures = CounterMetricFamily("rasad_crawl_failures", "Crawl failures by kind", labels=["kind"])
            for kind, total in session.execute(select(CrawlFailure.kind, func.count()).group_by(CrawlFailure.kind)):
                failures.add_metric([kind], float(total))
            yield failures

            by_state = count_by_state(session)
            states = GaugeMetricFamily("rasad_raw_pages", "Raw pages by processing state", labels=["state"])
            for state, total in by_state.items():
                states.add_metric([state.value], float(total))
            yield states
            yield GaugeMetricFamily(
                "rasad_pages_quarantined",
                "Pages that killed their worker or failed too often; never sent again until released by hand",
                value=float(by_state[PageState.QUARANTINED]),
            )

            retries = session.scalar(
                select(func.coalesce(func.sum(RawPage.attempts - 1), 0)).where(RawPage.attempts > 1)
            )
            yield CounterMetricFamily(
                "rasad_task_retries", "Processing attempts beyond the first", value=float(retries or 0)
            )

        depth = queue_depth(get_settings())
        yield GaugeMetricFamily(
            "rasad_queue_depth", "Messages waiting in the queue", value=float(depth if depth is not None else -1)
        )
