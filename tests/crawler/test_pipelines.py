"""The store pipeline on a real SQLite database: compressed storage, dedup, enqueue after commit."""

from __future__ import annotations

import asyncio
import gzip
from pathlib import Path

import pytest
from scrapy.exceptions import DropItem
from scrapy.utils.test import get_crawler
from sqlalchemy import func, select

from crawler.items import RawPageItem
from crawler.pipelines import StoreRawPagePipeline
from db.models import PageState, RawPage, SourceRow
from db.session import get_sessionmaker, session_scope

HTML = "<html lang='ar'><body><article><p>نص الخبر</p></article></body></html>".encode()


class RecordingPipeline(StoreRawPagePipeline):
    """Records what it would enqueue, and whether the row was committed at that moment."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.enqueued: list[tuple[int, bool]] = []

    def enqueue(self, page_id: int) -> None:
        with session_scope() as other_session:  # a different connection: sees only committed rows
            visible = other_session.get(RawPage, page_id) is not None
        self.enqueued.append((page_id, visible))


def item(url: str = "https://www.syria.tv/news/a") -> RawPageItem:
    return RawPageItem(
        source_id="syriatv", url=url, fetched_url=url + "?utm_source=x", http_status=200, body=HTML,
        content_type="text/html; charset=utf-8", declared_encoding="utf-8", discovered_via="feed",
    )  # fmt: skip


def run(pipeline: StoreRawPagePipeline, item):
    return asyncio.run(pipeline.process_item(item))


@pytest.fixture
def pipeline(embedded_env: Path) -> RecordingPipeline:
    with session_scope() as session:
        session.add(SourceRow(id="syriatv", name="Syria TV", base_url="https://www.syria.tv/", config={}))
    crawler = get_crawler()
    p = RecordingPipeline(crawler, get_sessionmaker(), retry_seconds=1.0)
    p.open_spider()
    return p


def test_stores_compressed_page_and_enqueues_after_commit(pipeline: RecordingPipeline) -> None:
    assert run(pipeline, item()) is not None
    with session_scope() as session:
        page = session.scalars(select(RawPage)).one()
        assert gzip.decompress(page.body_gz) == HTML
        assert page.state == PageState.PENDING
        assert page.fetched_url.endswith("utm_source=x") and page.url == "https://www.syria.tv/news/a"
        assert len(page.body_sha256) == 64
    assert pipeline.enqueued == [(page.id, True)]


def test_second_copy_is_dropped_with_reason(pipeline: RecordingPipeline) -> None:
    run(pipeline, item())
    with pytest.raises(DropItem, match="already stored"):
        run(pipeline, item())
    with session_scope() as session:
        assert session.scalar(select(func.count()).select_from(RawPage)) == 1
    assert len(pipeline.enqueued) == 1


def test_failed_transaction_enqueues_nothing(pipeline: RecordingPipeline) -> None:
    bad = item()
    bad.source_id = "no-such-source"  # violates the foreign key
    with pytest.raises(Exception):  # noqa: B017 - the database's own integrity error
        run(pipeline, bad)
    assert pipeline.enqueued == []


def test_unreachable_database_is_retried_then_reported(embedded_env: Path, tmp_path: Path) -> None:
    from sqlalchemy.orm import sessionmaker

    from db.session import make_engine

    # A database path inside a missing folder: every connection attempt fails with OperationalError.
    engine = make_engine(f"sqlite:///{tmp_path / 'missing' / 'x.sqlite'}")
    p = RecordingPipeline(get_crawler(), sessionmaker(bind=engine), retry_seconds=1.5)
    p.open_spider()
    with pytest.raises(DropItem, match="database unavailable"):
        run(p, item())
    assert p.enqueued == []
    engine.dispose()


def test_other_items_pass_through(pipeline: RecordingPipeline) -> None:
    other = {"not": "a page"}
    assert run(pipeline, other) is other
