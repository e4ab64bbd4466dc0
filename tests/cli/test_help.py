"""Every command documents itself: `--help` works and says something (as sqlite-utils' test_docs)."""

from __future__ import annotations

import pytest
import typer
from typer.testing import CliRunner

from rasad.cli.main import app

runner = CliRunner()


def all_commands() -> list[tuple[str, ...]]:
    root = typer.main.get_command(app)
    found: list[tuple[str, ...]] = []

    def walk(command, path: tuple[str, ...]) -> None:
        found.append(path)
        if hasattr(command, "commands"):
            for name, sub in command.commands.items():
                walk(sub, (*path, name))

    walk(root, ())
    return found


@pytest.mark.parametrize("path", all_commands(), ids=lambda p: " ".join(p) or "rasad")
def test_every_command_has_help(path: tuple[str, ...]) -> None:
    result = runner.invoke(app, [*path, "--help"])
    assert result.exit_code == 0, result.output
    assert "Usage" in result.output
    command = typer.main.get_command(app)
    for name in path:
        command = command.commands[name]  # type: ignore[attr-defined]
    assert (command.help or "").strip(), f"`rasad {' '.join(path)}` has no help text"


def test_contract_commands_exist() -> None:
    paths = {" ".join(p) for p in all_commands()}
    for required in ("crawl", "worker", "db upgrade", "articles list", "fixtures serve", "fixtures publish"):
        assert required in paths


def test_crawl_without_arguments_is_a_one_line_error() -> None:
    result = runner.invoke(app, ["crawl"])
    assert result.exit_code == 1
    assert "name one or more sources, or pass --all" in result.output
