"""Outlets misbehaving (fixture-site fault routes): the crawl finishes, each failure is recorded with its
reason, odd but readable pages are stored, and a healthy outlet crawled alongside is unaffected."""

from __future__ import annotations

import json
import subprocess
import sys
import time
from pathlib import Path

import pytest
from sqlalchemy import select

from db.models import Article, CrawlFailure, CrawlRun, RawPage
from db.session import session_scope
from tests.integration.helpers import rasad
from workers.processing import process_raw_page

pytestmark = pytest.mark.integration

FAULTY_OUTLETS = """
  - id: throttled
    name: Answers 429 with Retry-After, and 503
    base_url: {site}/_faults/
    listing_pages: ["retry-after/1", "status/503"]
  - id: sluggish
    name: Slower than the download timeout
    base_url: {site}/_faults/
    listing_pages: ["slow/6"]
  - id: loopy
    name: Redirects in a circle
    base_url: {site}/_faults/
    listing_pages: ["redirect-loop/0"]
  - id: bloated
    name: A 20 MB page, broken markup and windows-1256 without a charset
    base_url: {site}/_faults/
    listing_pages: ["links/_faults/huge/20,_faults/broken-markup,_faults/cp1256"]
    article_pattern: '^(huge|broken-markup|cp1256)'
  - id: gzipped
    name: Gzip bodies cut short or corrupt
    base_url: {site}/_faults/
    listing_pages: ["links/_faults/truncated-gzip,_faults/corrupt-gzip"]
    article_pattern: '^(truncated|corrupt)-gzip'
  - id: htmlfeed
    name: Its feed is an HTML page
    base_url: {site}/_faults/
    feeds: ["html-feed"]
  - id: bigmap
    name: A sitemap of 50,000 URLs
    base_url: {site}/_faults/
    sitemaps: ["sitemap-big/50000.xml"]
    article_pattern: '^sitemap-page/\\d$'
"""


def write_sources(path: Path, site: str) -> None:
    """A healthy outlet (orient on the fixture site) beside the misbehaving ones."""
    healthy = f"""sources:
  - id: healthy
    name: A healthy outlet
    base_url: {site}/orient/
    feeds: ["rss"]
    sitemaps: ["sitemap.xml"]
    article_pattern: '^ar/news_show/'
"""
    path.write_text(healthy + FAULTY_OUTLETS.format(site=site), encoding="utf-8")


def failures_by_source() -> tuple[dict[str, CrawlRun], dict[str, set[tuple[str, str]]]]:
    """The last run per source and its (kind, reason) failures."""
    with session_scope() as session:
        runs = {r.source_id: r for r in session.scalars(select(CrawlRun).order_by(CrawlRun.id)).all()}
        failures: dict[str, set[tuple[str, str]]] = {}
        for source_id, run in runs.items():
            rows = session.scalars(select(CrawlFailure).where(CrawlFailure.run_id == run.id)).all()
            failures[source_id] = {(f.kind, f.reason) for f in rows}
        session.expunge_all()
    return runs, failures


def kinds(failures: set[tuple[str, str]]) -> set[str]:
    return {kind for kind, _ in failures}


def test_misbehaving_outlets_are_recorded_and_others_unaffected(
    embedded_env: Path, fixture_site: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    sources = tmp_path / "sources.yaml"
    write_sources(sources, fixture_site)
    monkeypatch.setenv("RASAD_SOURCES_FILE", str(sources))
    monkeypatch.setenv("RASAD_DOWNLOAD_TIMEOUT", "2")

    started = time.monotonic()
    result = rasad("crawl", "--all", "--profile", "live", timeout=120)
    assert time.monotonic() - started < 90
    assert "Traceback" not in result.stderr

    runs, failures = failures_by_source()
    assert runs["healthy"].status.value == "ok", failures["healthy"]
    assert runs["healthy"].new_pages >= 1 and not failures["healthy"]

    throttled = failures["throttled"]
    assert ("http_status", "HTTP 429") in throttled and ("http_status", "HTTP 503") in throttled
    assert runs["throttled"].stats["retries"] >= 4  # both URLs retried, after honouring Retry-After

    assert "timeout" in kinds(failures["sluggish"])
    assert any(k == "redirect_loop" and "a loop" in r for k, r in failures["loopy"]), failures["loopy"]
    assert any(k == "too_large" for k, _ in failures["bloated"]), failures["bloated"]
    assert {"truncated", "bad_encoding"} <= kinds(failures["gzipped"]), failures["gzipped"]
    assert "feed_not_xml" in kinds(failures["htmlfeed"])
    assert runs["bigmap"].status.value in ("ok", "partial")

    with session_scope() as session:
        stored = {(p.source_id, p.url.rsplit("/_faults/", 1)[-1]) for p in session.scalars(select(RawPage))}
    # Odd but readable pages are kept for the cleaner; the 20 MB page is not.
    assert ("bloated", "broken-markup") in stored and ("bloated", "cp1256") in stored
    assert not any(url.startswith("huge") for _, url in stored)
    assert len([1 for source, _ in stored if source == "bigmap"]) == 10


def test_odd_pages_are_cleaned(
    embedded_env: Path, fixture_site: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """windows-1256 without a charset and broken markup come out as readable Arabic articles."""
    sources = tmp_path / "sources.yaml"
    write_sources(sources, fixture_site)
    monkeypatch.setenv("RASAD_SOURCES_FILE", str(sources))
    rasad("crawl", "bloated", "--profile", "live", timeout=60)
    with session_scope() as session:
        pages = {p.url.rsplit("/", 1)[-1]: p.id for p in session.scalars(select(RawPage))}
    for name in ("cp1256", "broken-markup"):
        outcome = process_raw_page(pages[name])
        assert outcome.state == "processed", outcome
        with session_scope() as session:
            article = session.scalar(select(Article).where(Article.raw_page_id == pages[name]))
            assert article is not None and "وزير الخارجية التركي" in article.body, name


PARSE_BIG_SITEMAP = """
import json, time
from types import SimpleNamespace
from scrapy import Request
from scrapy.http import XmlResponse
from crawler.spiders.news import NewsSpider
from rasad.fixture_site.faults import fault_response
from rasad.sources import Source

class Stats:
    def __init__(self):
        self.values = {}
    def inc_value(self, key, count=1):
        self.values[key] = self.values.get(key, 0) + count

site = "http://127.0.0.1:9"
url = site + "/_faults/sitemap-big/50000.xml"
body = fault_response("/_faults/sitemap-big/50000.xml", site).body
spider = NewsSpider(source=Source(id="bigmap", name="Big", base_url=site + "/_faults/"), max_articles=25)
spider.crawler = SimpleNamespace(stats=Stats())
started = time.monotonic()
requests = list(spider.parse_sitemap(XmlResponse(url=url, body=body, request=Request(url))))
elapsed = time.monotonic() - started
hwm = [int(l.split()[1]) for l in open("/proc/self/status") if l.startswith("VmHWM:")][0]
print(json.dumps({"urls": body.count(b"<loc>"), "requests": len(requests), "elapsed": elapsed,
                  "capped": spider.crawler.stats.values.get("rasad/capped", 0), "peak_kib": hwm}))
"""


def test_a_50000_url_sitemap_is_capped_by_max_articles_in_bounded_time_and_memory() -> None:
    """Parsed in a fresh process, so its peak RSS (VmHWM) is the parse's own, not the test runner's."""
    result = subprocess.run([sys.executable, "-c", PARSE_BIG_SITEMAP], capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stderr
    figures = json.loads(result.stdout.strip().splitlines()[-1])
    assert figures["urls"] == 50_000
    assert figures["requests"] == 25 and figures["capped"] == 50_000 - 25
    assert figures["elapsed"] < 20, figures
    assert figures["peak_kib"] < 400 * 1024, figures  # ~3 MB of XML; Scrapy and lxml imported included
