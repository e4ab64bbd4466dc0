"""Outlets that fail: each failure is recorded on the crawl run, the crawl goes on, exit codes are honest."""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlalchemy import select

from db.models import CrawlFailure, CrawlRun, RawPage
from db.session import session_scope
from tests.conftest import free_port
from tests.integration.helpers import rasad

pytestmark = pytest.mark.integration


def write_sources(path: Path, site: str, down_port: int) -> None:
    path.write_text(
        f"""sources:
  - id: faulty
    name: An outlet having a bad day
    base_url: {site}/
    feeds: ["_faults/not-xml"]
    sitemaps: ["_faults/status/500"]
    listing_pages: ["orient/", "_faults/status/404", "_faults/slow/6", "_faults/binary"]
    article_pattern: '^orient/ar/news_show/'
  - id: down
    name: An outlet that is down
    base_url: http://127.0.0.1:{down_port}/
""",
        encoding="utf-8",
    )


def test_failures_are_recorded_and_the_crawl_goes_on(
    embedded_env: Path, fixture_site: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    sources = tmp_path / "sources.yaml"
    write_sources(sources, fixture_site, free_port())
    monkeypatch.setenv("RASAD_SOURCES_FILE", str(sources))
    monkeypatch.setenv("RASAD_DOWNLOAD_TIMEOUT", "2")

    result = rasad("crawl", "--all", "--profile", "live", timeout=180)
    assert "faulty" in result.stdout and "down" in result.stdout

    with session_scope() as session:
        runs = {r.source_id: r for r in session.scalars(select(CrawlRun)).all()}
        assert runs["down"].status.value == "failed"
        assert runs["faulty"].status.value == "partial"
        kinds = {
            (f.kind, f.reason.split(":")[0])
            for f in session.scalars(select(CrawlFailure).where(CrawlFailure.run_id == runs["faulty"].id))
        }
        reasons = {k for k, _ in kinds}
        assert {"feed_not_xml", "http_status", "timeout", "not_html"} <= reasons, kinds
        assert ("http_status", "HTTP 404") in kinds and ("http_status", "HTTP 500") in kinds
        down_failures = session.scalars(select(CrawlFailure).where(CrawlFailure.run_id == runs["down"].id)).all()
        assert down_failures and all(f.kind == "unreachable" for f in down_failures)
        # The healthy part of the faulty outlet was still crawled.
        assert session.scalars(select(RawPage).where(RawPage.source_id == "faulty")).first() is not None


def test_exit_code_is_non_zero_only_when_nothing_could_be_crawled(
    embedded_env: Path, fixture_site: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    sources = tmp_path / "sources.yaml"
    write_sources(sources, fixture_site, free_port())
    monkeypatch.setenv("RASAD_SOURCES_FILE", str(sources))
    result = rasad("crawl", "down", "--profile", "live", check=False)
    assert result.returncode == 1
    assert "nothing could be crawled" in result.stderr
    assert "Traceback" not in result.stderr


def test_unknown_source_and_bad_sources_file(
    embedded_env: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    result = rasad("crawl", "no-such-outlet", check=False)
    assert result.returncode == 1 and "unknown source" in result.stderr and "Traceback" not in result.stderr
    broken = tmp_path / "broken.yaml"
    broken.write_text("sources:\n  - id: x\n    name: X\n    base_url: nope\n", encoding="utf-8")
    monkeypatch.setenv("RASAD_SOURCES_FILE", str(broken))
    result = rasad("crawl", "--all", check=False)
    assert result.returncode == 1 and "broken.yaml:2" in result.stderr and "Traceback" not in result.stderr
