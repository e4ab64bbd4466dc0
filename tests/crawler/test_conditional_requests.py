"""A second crawl of an unchanged outlet sends validators back and counts "nothing new"; a change is still found."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import select

from db.fetch_state import load_discoveries, load_validators
from db.models import CrawlRun
from db.session import session_scope
from rasad.fixture_site import make_server
from tests.conftest import apply_env
from tests.integration.helpers import rasad

pytestmark = [pytest.mark.integration, pytest.mark.timeout(300)]


@pytest.fixture
def site(tmp_path: Path) -> Iterator[Any]:
    server = make_server("127.0.0.1", 0, tmp_path / "site")
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield server
    server.shutdown()
    server.server_close()
    thread.join(5)


def _runs() -> dict[str, list[CrawlRun]]:
    runs: dict[str, list[CrawlRun]] = {}
    with session_scope() as session:
        for run in session.scalars(select(CrawlRun).order_by(CrawlRun.id)):
            session.expunge(run)
            runs.setdefault(run.source_id, []).append(run)
    return runs


def test_conditional_crawls(embedded_env: Path, site: Any, monkeypatch: pytest.MonkeyPatch) -> None:
    apply_env(monkeypatch, RASAD_PROFILE="fixtures", RASAD_FIXTURES_URL=f"http://127.0.0.1:{site.server_address[1]}")
    rasad("crawl", "--all", timeout=180)
    first = {source: runs[-1] for source, runs in _runs().items()}
    assert sum(run.new_pages for run in first.values()) > 0
    with session_scope() as session:
        arabi21 = load_validators(session, "arabi21")
    feed = next(url for url in arabi21 if url.endswith("/feed"))
    assert arabi21[feed].etag and arabi21[feed].body_sha256  # the feed's ETag, kept for next time

    site.requests_seen.clear()
    rasad("crawl", "--all", timeout=180)
    second = {source: runs[-1] for source, runs in _runs().items()}
    for source, run in second.items():
        assert run.new_pages == 0, source
        assert run.stats["not_modified"] + run.stats["unchanged"] >= 1, (source, run.stats)
        assert run.status.value == "ok", (source, run.stats)
    assert second["arabi21"].stats["not_modified"] >= 1  # its feed answered 304
    assert second["arabi21"].stats["listings_skipped"] >= 2  # feed-first: its section page and home not read
    assert first["arabi21"].stats["listings_skipped"] == 0  # the first crawl found new articles: listings read
    # orient configures no feed: the feed its home page named and the sitemap its robots.txt named are
    # remembered, read first (both answer 304) and its home and listing pages are not read
    assert second["orient"].stats["not_modified"] >= 2 and second["orient"].stats["listings_skipped"] >= 2
    with session_scope() as session:
        assert {d.kind for d in load_discoveries(session, "orient").values()} == {"feed", "sitemap"}
    shown = rasad("sources", "show", "orient", "--profile", "fixtures").stdout
    assert "found feed: " in shown and "found sitemap: " in shown, shown
    sent = [tag for path, tag in site.requests_seen if path.endswith("/feed")]
    assert sent and all(tag == arabi21[feed].etag for tag in sent)

    site.store.publish({"outlet": "arabi21", "title": "لقاء جديد في موسكو", "body": "التقى الوزيران في موسكو اليوم."})
    rasad("crawl", "arabi21", timeout=180)
    third = _runs()["arabi21"][-1]
    assert third.new_pages == 1  # the feed changed: 200 with the new article
    assert third.stats["listings_skipped"] == 0  # new in the feed: the listings are read too (a burst)
    with session_scope() as session:
        assert load_validators(session, "arabi21")[feed].etag != arabi21[feed].etag
