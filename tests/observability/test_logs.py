"""`--log-format json`: every line is one JSON object with the standard keys and any extra fields."""

from __future__ import annotations

import json
import logging
from pathlib import Path

import pytest

from rasad.observability.logs import JsonFormatter, configure_logging
from tests.integration.helpers import rasad


def test_json_formatter_carries_extra_fields_and_exceptions() -> None:
    record = logging.LogRecord("rasad.test", logging.WARNING, __file__, 1, "stored %s", ("صفحة",), None)
    record.source_id = "orient"
    record.page_id = 42
    record.payload = {"nested": True}
    line = json.loads(JsonFormatter().format(record))
    assert line["level"] == "warning" and line["logger"] == "rasad.test" and line["message"] == "stored صفحة"
    assert line["source_id"] == "orient" and line["page_id"] == 42 and line["payload"] == "{'nested': True}"
    assert line["time"].endswith("+00:00")
    try:
        raise RuntimeError("boom")
    except RuntimeError:
        import sys

        record.exc_info = sys.exc_info()
    assert "RuntimeError: boom" in json.loads(JsonFormatter().format(record))["exception"]


def test_configure_logging_json_writes_one_object_per_line(capsys: pytest.CaptureFixture[str]) -> None:
    handler = configure_logging(verbose=True, fmt="json")
    try:
        logging.getLogger("rasad.test").info("hello\nworld", extra={"queue": "rasad"})
    finally:
        logging.getLogger().removeHandler(handler)
    lines = [json.loads(line) for line in capsys.readouterr().err.splitlines()]
    assert lines == [{**lines[0], "message": "hello\nworld", "queue": "rasad", "level": "info"}]


@pytest.mark.integration
def test_a_crawl_logs_json_lines(embedded_env: Path, fixture_site: str, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("RASAD_FIXTURES_URL", fixture_site)
    result = rasad("--verbose", "--log-format", "json", "crawl", "orient", "--profile", "fixtures", timeout=120)
    lines = [line for line in result.stderr.splitlines() if line.strip()]
    records = [json.loads(line) for line in lines if line.startswith("{")]
    # Every log line is JSON (the progress spinner is not a log line and is off without a terminal).
    assert len(records) == len([line for line in lines if line.startswith("{") or "INFO" in line or "WARNING" in line])
    assert records, result.stderr
    assert all({"time", "level", "logger", "message"} <= set(r) for r in records)
    # Scrapy passes the spider as an extra field: it is carried, rendered with repr().
    assert any("spider" in r for r in records), records[:5]
