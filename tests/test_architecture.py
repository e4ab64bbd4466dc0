"""The direction of dependency holds: the import contracts of pyproject.toml, and no lazy import to dodge them."""

from __future__ import annotations

import ast
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
FIRST_PARTY = ("rasad", "crawler", "workers", "db")
# Command modules import their stack when the command runs, so `rasad --help` answers at once.
# This is not a way around the layers: the contracts count these imports like any other.
LAZY_ALLOWED = ("rasad/cli/",)


def test_the_import_contracts_are_kept() -> None:
    lint_imports = Path(sys.executable).with_name("lint-imports")
    done = subprocess.run([str(lint_imports)], cwd=ROOT, capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stdout + done.stderr
    assert "0 broken" in done.stdout


def _lazy_first_party_imports(path: Path) -> list[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    found = []
    for function in ast.walk(tree):
        if not isinstance(function, ast.FunctionDef | ast.AsyncFunctionDef):
            continue
        for node in ast.walk(function):
            if isinstance(node, ast.ImportFrom) and node.level == 0 and (node.module or "").startswith(FIRST_PARTY):
                found.append(f"{path.relative_to(ROOT)}:{node.lineno} from {node.module}")
            if isinstance(node, ast.Import):
                found += [
                    f"{path.relative_to(ROOT)}:{node.lineno} import {a.name}"
                    for a in node.names
                    if a.name.split(".")[0] in FIRST_PARTY
                ]
    return found


def test_no_function_level_import_of_our_own_modules_outside_the_cli() -> None:
    lazy = []
    for package in FIRST_PARTY:
        for path in sorted((ROOT / package).rglob("*.py")):
            relative = path.relative_to(ROOT).as_posix()
            if "/migrations/" in relative or relative.startswith(LAZY_ALLOWED):
                continue
            lazy += _lazy_first_party_imports(path)
    assert lazy == [], "import these at module level (a cycle they dodge is a layering bug):\n" + "\n".join(lazy)


def test_the_contracts_would_catch_a_domain_module_importing_the_store(tmp_path: Path) -> None:
    """The layers contract is not vacuous: a domain module importing `db` breaks it."""
    config = (ROOT / "pyproject.toml").read_text(encoding="utf-8")
    probe = ROOT / "rasad" / "text" / "_layer_probe.py"
    probe.write_text("from db import models  # noqa: F401\n", encoding="utf-8")
    try:
        lint_imports = Path(sys.executable).with_name("lint-imports")
        done = subprocess.run([str(lint_imports), "--no-cache"], cwd=ROOT, capture_output=True, text=True, timeout=120)
    finally:
        probe.unlink()
    assert done.returncode != 0
    assert "rasad.text._layer_probe -> db" in done.stdout, done.stdout
    assert "[tool.importlinter]" in config
