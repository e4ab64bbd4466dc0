"""`rasad alerts`, `rasad sources` and `rasad crawls` commands: contracts and one-line refusals."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from rasad.cli.main import app
from tests.conftest import apply_env

runner = CliRunner()


def run(*args: str) -> tuple[int, str]:
    result = runner.invoke(app, list(args))
    return result.exit_code, result.output


@pytest.mark.parametrize(
    ("args", "reason"),
    [
        (["--webhook", "http://127.0.0.1:9/h"], "resolves to loopback address"),
        (["--webhook", "ftp://example.org/h"], "http:// or https://"),
        (["--webhook", "http://100.100.100.200/latest/meta-data"], "RASAD_WEBHOOK_ALLOW_PRIVATE=true"),
        (["--webhook", "http://[2002:7f00::1]/h"], "resolves to loopback address 127.0.0.0"),
        (["--apprise", "json://127.0.0.1:9/h"], "resolves to loopback address 127.0.0.1"),
        (["--apprise", "form://localhost:9/h"], "resolves to loopback address"),
        (["--apprise", "xml://169.254.169.254/"], "resolves to link-local address 169.254.169.254"),
        (["--apprise", "mailto://u:p@example.org?smtp=127.0.0.1"], "resolves to loopback address"),
        (["--email", "nobody"], "invalid e-mail address"),
        (["--apprise", "foo://bar"], "invalid Apprise URL"),
        (["--email", "a@example.org", "--person", "Nobody Known"], "unknown person"),
        (["--email", "a@example.org", "--min-relevance", "2"], "min_relevance"),
        (["--email", "a@example.org", "--outlet", "nosuch"], "unknown outlet"),
        (["--email", "a@example.org", "--digest", "every morning"], "invalid digest schedule"),
        (["--email", "a@example.org", "--digest", "0 8 * * *", "--tz", "Mars/Base"], "unknown time zone"),
        (["--email", "a@example.org", "--webhook", "https://93.184.216.34/h"], "exactly one channel"),
        ([], "exactly one channel"),
    ],
)
def test_bad_subscriptions_are_refused_in_one_line(embedded_env: Path, args: list[str], reason: str) -> None:
    code, output = run("alerts", "add", "--name", "x", *args)
    assert code == 1
    lines = [line for line in output.splitlines() if line.strip()]
    assert len(lines) == 1 and lines[0].startswith("error: ") and reason in lines[0], output


def test_add_list_test_log_remove(embedded_env: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from tests.alerts.receivers import webhook_receiver

    apply_env(monkeypatch, RASAD_WEBHOOK_ALLOW_PRIVATE="true")
    with webhook_receiver() as receiver:
        code, output = run("alerts", "add", "--name", "desk", "--topic", "normalization", "--country", "TR",
                           "--keyword", "موسكو", "--webhook", receiver.url)  # fmt: skip
        assert code == 0 and "signing secret" in output
        assert run("alerts", "add", "--name", "desk", "--email", "a@example.org")[0] == 1  # names are unique
        code, output = run("alerts", "list", "--json")
        (row,) = [json.loads(line) for line in output.splitlines()]
        assert row["name"] == "desk" and "countries=TR" in row["rule"] and row["mode"] == "instant"
        code, output = run("alerts", "test", "desk")
        assert code == 0 and "delivered" in output
        assert len(receiver.received) == 1
    code, output = run("alerts", "log", "--json")
    assert json.loads(output.splitlines()[0])["status"] == "delivered"
    code, output = run("alerts", "test", "desk")  # the receiver is gone now
    assert code == 1 and "failed" in output
    code, output = run("alerts", "failures", "--json")
    assert json.loads(output.splitlines()[0])["status"] == "failed"
    assert run("alerts", "remove", "desk")[0] == 0
    code, output = run("alerts", "remove", "desk")
    assert code == 1 and "no subscription named" in output


def test_list_redacts_targets_shown_in_full_only_when_added(
    embedded_env: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    apply_env(monkeypatch, RASAD_WEBHOOK_ALLOW_PRIVATE="true")  # stored, never sent
    hook = "https://hooks.example.com/services/s3cr3tpath?token=t0k3n"
    code, output = run("alerts", "add", "--name", "desk", "--webhook", hook)
    assert code == 0 and hook in output
    code, output = run("alerts", "add", "--name", "chat", "--apprise", "json://user:pa55w0rd@127.0.0.1:9/p?token=t0k3n")
    assert code == 0
    code, listed_json = run("alerts", "list", "--json")
    targets = [json.loads(line)["target"] for line in listed_json.splitlines()]
    assert targets == ["https://hooks.example.com/…?token=***", "json://***@127.0.0.1:9/…?token=***"]
    monkeypatch.setenv("COLUMNS", "300")  # no folding: a secret split over two lines would hide from the check
    code, listed_table = run("alerts", "list")
    assert code == 0 and "https://hooks.example.com/…?token=***" in listed_table
    for secret in ("s3cr3tpath", "t0k3n", "pa55w0rd"):
        assert secret not in listed_json and secret not in listed_table


def test_a_subscription_chooses_its_language(embedded_env: Path) -> None:
    code, output = run("alerts", "add", "--name", "en", "--email", "a@example.org", "--language", "en")
    assert code == 0 and output.rstrip().endswith("[en]")
    code, output = run("alerts", "add", "--name", "fr", "--email", "a@example.org", "--language", "fr")
    assert code == 1 and "language must be one of ar, en" in output and len(output.strip().splitlines()) == 1
    code, output = run("alerts", "add", "--name", "default", "--email", "b@example.org")
    listed = {
        json.loads(line)["name"]: json.loads(line)["language"]
        for line in run("alerts", "list", "--json")[1].splitlines()
    }
    assert listed == {"en": "en", "default": "ar"}


def test_an_empty_or_six_field_digest_is_refused(embedded_env: Path) -> None:
    for schedule in ("", "0 0 8 * * *", "0 8 31 2 *"):
        code, output = run("alerts", "add", "--name", "m", "--email", "a@example.org", "--digest", schedule)
        assert code == 1 and "digest schedule" in output, (schedule, output)
    assert run("alerts", "list", "--json") == (0, "")  # nothing stored


def test_digest_subscription(embedded_env: Path) -> None:
    code, output = run("alerts", "add", "--name", "morning", "--email", "a@example.org", "--digest", "0 8 * * *",
                       "--tz", "Asia/Damascus")  # fmt: skip
    assert code == 0 and "digest '0 8 * * *' Asia/Damascus" in output


def test_sources_commands(embedded_env: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    apply_env(monkeypatch, RASAD_SOURCES_FILE=str(tmp_path / "my-sources.yaml"))
    code, output = run("sources", "add", "https://www.example-news.org")
    assert code == 0 and "'example-news'" in output
    assert "example-news" in (tmp_path / "my-sources.yaml").read_text(encoding="utf-8")
    code, output = run("sources", "add", "https://www.example-news.org/", "--id", "enab2")
    assert code == 1 and "already configured" in output
    code, output = run("sources", "add", "not a url")
    assert code == 1 and "base_url" in output
    assert run("sources", "disable", "example-news") == (0, "example-news: disabled\n")
    assert run("sources", "set-interval", "example-news", "90")[0] == 0
    code, output = run("sources", "list", "--json")
    entry = next(json.loads(line) for line in output.splitlines() if '"example-news"' in line)
    assert entry["enabled"] is False and entry["interval_minutes"] == 90
    code, output = run("sources", "show", "example-news")
    assert code == 0 and "enabled: no" in output and "every: 90 min" in output
    code, output = run("sources", "enable", "nosuch")
    assert code == 1 and "unknown source" in output


def test_sources_add_refuses_bad_fields_in_one_line(
    embedded_env: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    sources_file = tmp_path / "my-sources.yaml"
    apply_env(monkeypatch, RASAD_SOURCES_FILE=str(sources_file))
    probes = [
        (["https://www.example-news.org", "--country", "XYZ"], "ISO 3166"),
        (["https://exa mple.org"], "not a valid host name"),
        (["https://www.example-news.org", "--name", "bad\x07name"], "control character U+0007"),
        (["https://www.example-news.org", "--name", "x" * 5000], "at most 200"),
        (["https://www.example-news.org", "--language", "zz"], "ISO 639"),
        (["https://www.example-news.org", "--file", str(tmp_path / "missing" / "dir" / "s.yaml")], "not an existing"),
    ]
    for args, message in probes:
        code, output = run("sources", "add", *args)
        assert code == 1 and message in output and len(output.strip().splitlines()) == 1, output
    assert not (tmp_path / "missing").exists()
    assert not sources_file.exists() or "example-news" not in sources_file.read_text(encoding="utf-8")


def test_sources_add_needs_a_user_file(embedded_env: Path) -> None:
    code, output = run("sources", "add", "https://www.example-news.org")
    assert code == 1 and "RASAD_SOURCES_FILE" in output


def test_crawls_history_is_empty_then_lists_skips(embedded_env: Path) -> None:
    from db.session import session_scope
    from tests.alerts.factories import sync_fixture_sources
    from workers.locked_crawl import record_skip

    assert run("crawls", "history", "--json") == (0, "")
    with session_scope() as session:
        sync_fixture_sources(session)
    record_skip("orient", "overrun: the previous crawl is still running")
    code, output = run("crawls", "history", "--source", "orient", "--json")
    assert code == 0 and json.loads(output)["status"] == "skipped"
