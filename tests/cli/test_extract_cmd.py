"""`rasad extract` works offline, one JSON object per input, and reports bad inputs without stopping."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from rasad.cli.main import app
from tests.conftest import apply_env

ROOT = Path(__file__).parents[2]
SEED = ROOT / "rasad/fixtures/seeds/000_64b54956efce23e0.txt"
PAGE = ROOT / "tests/fixtures/pages/arabic_article.html"
KEYS = {"title", "body", "published_at", "language", "relevant", "relevance", "topics", "persons",
        "organizations", "places", "events", "quotes"}  # fmt: skip


def test_text_and_html_inputs(tmp_path: Path) -> None:
    garbage = tmp_path / "garbage.txt"
    garbage.write_bytes(bytes(range(256)) * 40)
    result = CliRunner().invoke(app, ["extract", str(SEED), str(garbage), str(PAGE), "--json"])
    lines = [json.loads(line) for line in result.output.splitlines()]
    assert result.exit_code == 1  # one input failed; the others were still processed
    seed, bad, page = lines
    assert set(seed) >= KEYS and set(page) >= KEYS
    assert "error" in bad and bad["path"] == str(garbage)
    names = {p["name"] for p in seed["persons"]}
    assert {"Mevlüt Çavuşoğlu", "İbrahim Kalın", "Bashar al-Assad"} <= names
    assert "Sundus" not in json.dumps(seed, ensure_ascii=False)  # a commenter, removed with the comments
    kalin = next(p for p in seed["persons"] if p["name"] == "İbrahim Kalın")
    assert {m["text"] for m in kalin["mentions"]} >= {"إبراهيم كالن", "إبراهيم قالن"}
    for person in seed["persons"]:
        for mention in person["mentions"]:
            assert seed["body"][mention["start"] : mention["end"]] == mention["text"]
    assert page["published_at"] == "2023-05-10" and page["relevant"] is True
    meeting = page["events"][0]
    assert (meeting["kind"], meeting["status"], meeting["location"]) == ("meeting", "held", "Moscow")
    assert set(meeting["countries"]) == {"TR", "SY", "RU", "IR"}


def test_published_date_option_and_bad_date() -> None:
    result = CliRunner().invoke(app, ["extract", str(SEED), "--published", "2023-01-10", "--json"])
    assert result.exit_code == 0 and json.loads(result.output)["published_at"] == "2023-01-10"
    result = CliRunner().invoke(app, ["extract", str(SEED), "--published", "10/01/2023"])
    assert result.exit_code == 1 and "YYYY-MM-DD" in result.output


def test_text_over_the_page_cap_is_refused_like_html(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    apply_env(monkeypatch, RASAD_MAX_PAGE_BYTES="20000", RASAD_DATA_DIR=str(tmp_path / "data"))
    big = tmp_path / "big.txt"
    big.write_text("\n\n".join([SEED.read_text(encoding="utf-8")] * 10), encoding="utf-8")
    page = tmp_path / "big.html"
    page.write_text("<html><body>" + "<p>نص</p>" * 5000 + "</body></html>", encoding="utf-8")
    for path in (big, page):
        result = CliRunner().invoke(app, ["extract", str(path)])
        assert result.exit_code == 1
        assert result.output.strip().endswith("the cap is 20000") and "rejected (too_large)" in result.output
        assert "Traceback" not in result.output
