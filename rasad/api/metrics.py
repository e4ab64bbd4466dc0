"""Prometheus metrics, read at scrape time from the store's totals (`db.store_totals`) and the broker."""

from __future__ import annotations

from collections.abc import Iterator

from prometheus_client.core import CounterMetricFamily, GaugeMetricFamily
from prometheus_client.registry import Collector

from db.models import PageState
from db.session import session_scope
from db.store_totals import store_totals
from rasad.settings import get_settings
from workers.queue import queue_depth


class RasadCollector(Collector):
    """Pages fetched, articles stored, rejections by reason, failures, retries, queue depth."""

    def collect(self) -> Iterator[GaugeMetricFamily | CounterMetricFamily]:
        """Yield the current figures (one database round trip per family)."""
        with session_scope() as session:
            totals = store_totals(session)
        labelled = [
            ("rasad_pages_fetched", "HTTP responses received by crawls", "source", totals.fetched_by_source),
            ("rasad_articles_stored", "Articles stored", "source", totals.articles_by_source),
            ("rasad_pages_rejected", "Pages rejected by cleaning", "reason", totals.rejected_by_reason),
            ("rasad_crawl_failures", "Crawl failures by kind", "kind", totals.failures_by_kind),
        ]
        for name, doc, label, values in labelled:
            yield _labelled(CounterMetricFamily, name, doc, label, values)
        by_state = {state.value: total for state, total in totals.pages_by_state.items()}
        yield _labelled(GaugeMetricFamily, "rasad_raw_pages", "Raw pages by processing state", "state", by_state)
        yield GaugeMetricFamily(
            "rasad_pages_quarantined",
            "Pages that killed their worker or failed too often; never sent again until released by hand",
            value=float(totals.pages_by_state[PageState.QUARANTINED]),
        )
        yield CounterMetricFamily(
            "rasad_task_retries", "Processing attempts beyond the first", value=float(totals.retries)
        )

        depth = queue_depth(get_settings())
        yield GaugeMetricFamily(
            "rasad_queue_depth", "Messages waiting in the queue", value=float(depth if depth is not None else -1)
        )


def _labelled(
    family: type[CounterMetricFamily] | type[GaugeMetricFamily], name: str, doc: str, label: str, values: dict[str, int]
) -> CounterMetricFamily | GaugeMetricFamily:
    metric = family(name, doc, labels=[label])
    for key, total in values.items():
        metric.add_metric([key], float(total))
    return metric
