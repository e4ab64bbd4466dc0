"""Quality floors, like trafilatura's tests/eval_gate.py: a change that lowers them fails here."""

import pytest
from typer.testing import CliRunner

from rasad.cleaning.evaluation import (
    evaluate_all,
    evaluate_cases,
    evaluate_cnn,
    evaluate_fixture_site,
    evaluate_seeds,
    summarize,
)


def test_seed_floors():
    results = evaluate_seeds()
    assert len(results) == 5
    for result in results:
        assert result.keep_share == 1.0, result.problems
        assert result.drop_share == 1.0, result.problems
        assert result.title_once in (True, None), result.problems
        assert result.passed, result.problems


def test_fixture_site_seed_pages():
    results = evaluate_fixture_site()
    if not results:
        pytest.skip("fixture site not available")
    assert len(results) == 5
    for result in results:
        assert result.passed, (result.case, result.problems)


def test_cnn_floor():
    result = evaluate_cnn()
    assert result.f1 is not None and result.f1 >= 0.95
    assert result.passed, result.problems


def test_case_floors():
    results = evaluate_cases()
    assert len(results) >= 20
    summary = summarize(results)
    assert summary["keep_share"] >= 0.99
    assert summary["drop_share"] >= 0.97
    assert summary["title_once_share"] >= 0.95
    assert summary["mean_f1"] >= 0.97
    assert summary["min_f1"] >= 0.9
    assert summary["passed"] >= summary["cases"] - 1, [(r.case, r.problems) for r in results if not r.passed]


def test_cli_prints_json_and_table():
    import json

    import typer

    from rasad.cli.eval_cleaning import cleaning

    app = typer.Typer()
    app.command()(cleaning)
    result = CliRunner().invoke(app, ["--json"])
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)  # JSON on stdout; log lines go to stderr
    assert data["summary"]["cases"] == len(evaluate_all())
    table = CliRunner().invoke(app, [])
    assert table.exit_code == 0 and "Cleaning evaluation" in table.output
