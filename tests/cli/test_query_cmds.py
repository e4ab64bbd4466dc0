"""`rasad search|events|show|export|tokens|serve` over the embedded SQLite with the fixture articles."""

from __future__ import annotations

import csv
import json
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

from rasad.cli.main import app
from tests.api.populate import populate

runner = CliRunner()


@pytest.fixture
def ids(embedded_env: Any) -> dict[str, int]:
    return populate()


def lines(output: str) -> list[dict[str, Any]]:
    return [json.loads(line) for line in output.splitlines() if line.strip()]


def test_search(ids: dict[str, int]) -> None:
    result = runner.invoke(app, ["search", "جاويش أوغلو", "--json"])
    assert result.exit_code == 0, result.output
    rows = lines(result.output)
    assert {ids["seed0"], ids["extra0"]} <= {r["id"] for r in rows}
    assert all("<mark>" in r["snippet"] for r in rows)
    filtered = lines(runner.invoke(app, ["search", "موسكو", "--outlet", "arabi21", "--json"]).output)
    assert {r["source_id"] for r in filtered} == {"arabi21"}
    table = runner.invoke(app, ["search", "فيدان"])
    assert table.exit_code == 0 and "results" in table.output


def test_events(ids: dict[str, int]) -> None:
    rows = lines(runner.invoke(app, ["events", "--json"]).output)
    assert rows and all(r["sources"] for r in rows)
    fidan = lines(runner.invoke(app, ["events", "--person", "fidan", "--json"]).output)
    assert fidan and all("Hakan Fidan" in r["persons"] for r in fidan)
    table = runner.invoke(app, ["events", "--status", "held"])
    assert table.exit_code == 0 and "Developments" in table.output


def test_show(ids: dict[str, int]) -> None:
    detail = lines(runner.invoke(app, ["show", str(ids["seed0"]), "--json"]).output)[0]
    assert detail["persons"] and detail["duplicates"][0]["id"] == ids["copy0"]
    shown = runner.invoke(app, ["show", str(ids["extra1"])])
    assert shown.exit_code == 0 and "بغداد" in shown.output
    missing = runner.invoke(app, ["show", "99999"])
    assert missing.exit_code == 1 and "article 99999 does not exist" in missing.output


def test_export(ids: dict[str, int], tmp_path: Path) -> None:
    out = tmp_path / "a.csv"
    result = runner.invoke(app, ["export", "--format", "csv", "--output", str(out), "--outlet", "alaraby"])
    assert result.exit_code == 0, result.output
    rows = list(csv.DictReader(out.read_text(encoding="utf-8").splitlines()))
    assert {int(r["id"]) for r in rows} == {ids["seed2"], ids["extra1"]} and rows[0]["body"]
    jsonl = runner.invoke(app, ["export", "--format", "jsonl", "--no-body"])
    assert len(lines(jsonl.output)) == len(ids)
    bad = runner.invoke(app, ["export", "--format", "xml"])
    assert bad.exit_code == 1 and "csv or jsonl" in bad.output
    bad_date = runner.invoke(app, ["export", "--format", "csv", "--from", "yesterday"])
    assert bad_date.exit_code == 1 and "--from must be a date" in bad_date.output


def test_tokens(ids: dict[str, int]) -> None:
    created = runner.invoke(app, ["tokens", "create", "--name", "bot"])
    assert created.exit_code == 0 and created.output.startswith("rsd_")
    listed = lines(runner.invoke(app, ["tokens", "list", "--json"]).output)
    assert listed[0]["name"] == "bot" and listed[0]["active"]
    assert created.output.strip() not in json.dumps(listed)
    assert runner.invoke(app, ["tokens", "create", "--name", "bot"]).exit_code == 1
    assert runner.invoke(app, ["tokens", "revoke", "bot"]).exit_code == 0
    assert not lines(runner.invoke(app, ["tokens", "list", "--json"]).output)[0]["active"]
    missing = runner.invoke(app, ["tokens", "revoke", "ghost"])
    assert missing.exit_code == 1 and "no token named 'ghost'" in missing.output


def test_serve_has_help() -> None:
    result = runner.invoke(app, ["serve", "--help"])
    assert result.exit_code == 0 and "--port" in result.output
