"""What a user and the Docker image get: the wheel, installed without extras in a clean environment.

Every other test runs in the developer's editable install with the dev extras, which once hid a
runtime dependency (`lxml_html_clean`, imported by trafilatura's jusText) that only a dev extra
pulled in. Here the wheel is built, installed with `pip install <wheel>` (as the Dockerfile does)
into a fresh virtual environment, and its own `rasad` is run.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import venv
from pathlib import Path

import pytest

pytestmark = pytest.mark.integration

ROOT = Path(__file__).resolve().parents[2]
PACKAGES = ("rasad", "crawler", "workers", "db")
_NOT_SOURCES = {".git", ".venv", "data", ".cache", "build", "bench", ".pytest_cache", ".mypy_cache", ".ruff_cache"}


def _not_sources(directory: str, names: list[str]) -> set[str]:
    """What the copy leaves out: the checkout's own state at the top level, caches anywhere."""
    top = {n for n in names if n in _NOT_SOURCES} if Path(directory) == ROOT else set()
    return top | {n for n in names if n == "__pycache__" or n.endswith(".egg-info")}


# Imports every module of the installed packages and walks every command's --help with Typer's runner.
_PROBE = """
import importlib, pkgutil, sys
import typer
from typer.testing import CliRunner
failures = []
for name in {packages!r}:
    package = importlib.import_module(name)
    for info in pkgutil.walk_packages(package.__path__, name + "."):
        if info.name.endswith("__main__"):
            continue  # runs the command line
        try:
            importlib.import_module(info.name)
        except Exception as exc:
            failures.append(f"import {{info.name}}: {{type(exc).__name__}}: {{exc}}")
from rasad.cli.main import app
root = typer.main.get_command(app)
def walk(command, path):
    result = CliRunner().invoke(app, [*path, "--help"])
    if result.exit_code != 0 or "Usage" not in result.output:
        failures.append(f"rasad {{' '.join(path)}} --help: exit {{result.exit_code}}: {{result.output[-300:]}}")
    for name, sub in getattr(command, "commands", {{}}).items():
        walk(sub, [*path, name])
walk(root, [])
print("\\n".join(failures))
sys.exit(1 if failures else 0)
"""


@pytest.fixture(scope="module")
def installed(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A virtual environment holding the project's wheel and its declared dependencies only."""
    base = tmp_path_factory.mktemp("production")
    source = base / "source"  # a copy: setuptools writes build/ and *.egg-info beside the sources
    shutil.copytree(ROOT, source, ignore=_not_sources)
    wheels = base / "wheels"
    subprocess.run(
        [sys.executable, "-m", "pip", "wheel", "--quiet", "--no-deps", "--wheel-dir", str(wheels), str(source)],
        check=True,
        capture_output=True,
        timeout=600,
    )
    [wheel] = wheels.glob("rasad-*.whl")
    env_dir = base / "venv"
    venv.EnvBuilder(with_pip=True, clear=True).create(env_dir)
    result = subprocess.run(
        [str(env_dir / "bin" / "python"), "-m", "pip", "install", "--quiet", str(wheel)],
        capture_output=True,
        text=True,
        timeout=1200,
    )
    assert result.returncode == 0, result.stderr[-2000:]
    return env_dir


def _clean_env(tmp_path: Path) -> dict[str, str]:
    """The user's environment: no PYTHONPATH into the checkout, run from an unrelated directory."""
    env = {k: v for k, v in os.environ.items() if k not in ("PYTHONPATH", "VIRTUAL_ENV")}
    env["RASAD_DATA_DIR"] = str(tmp_path / "data")
    env.pop("DATABASE_URL", None)
    env.pop("REDIS_URL", None)
    return env


def test_the_dev_extras_are_not_in_the_production_environment(installed: Path) -> None:
    result = subprocess.run([str(installed / "bin" / "python"), "-m", "pip", "list"], capture_output=True, text=True)
    names = {line.split()[0].lower() for line in result.stdout.splitlines()[2:] if line.strip()}
    assert not names & {"pytest", "hypothesis", "playwright", "schemathesis", "mypy", "ruff"}
    check = subprocess.run([str(installed / "bin" / "python"), "-m", "pip", "check"], capture_output=True, text=True)
    assert check.returncode == 0, check.stdout


def test_every_module_imports_and_every_command_has_help(installed: Path, tmp_path: Path) -> None:
    result = subprocess.run(
        [str(installed / "bin" / "python"), "-c", _PROBE.format(packages=PACKAGES)],
        capture_output=True,
        text=True,
        cwd=tmp_path,
        env=_clean_env(tmp_path),
        timeout=600,
    )
    assert result.returncode == 0, result.stdout[-3000:] + result.stderr[-3000:]


def test_the_installed_command_migrates_and_extracts(installed: Path, tmp_path: Path) -> None:
    rasad = str(installed / "bin" / "rasad")
    env = _clean_env(tmp_path)
    upgrade = subprocess.run([rasad, "db", "upgrade"], capture_output=True, text=True, cwd=tmp_path, env=env)
    assert upgrade.returncode == 0, upgrade.stderr
    article = tmp_path / "article.txt"
    article.write_text(
        "التقى وزيرا الدفاع التركي والسوري في موسكو اليوم بحضور نظيرهما الروسي، في أول لقاء رسمي على هذا "
        "المستوى منذ عام 2011، وبحثوا تطبيع العلاقات بين تركيا وسوريا.",
        encoding="utf-8",
    )
    extract = subprocess.run(
        [rasad, "extract", str(article), "--published", "2022-12-28", "--json"],
        capture_output=True,
        text=True,
        cwd=tmp_path,
        env=env,
    )
    assert extract.returncode == 0, extract.stderr
    assert '"relevant": true' in extract.stdout and '"Moscow"' in extract.stdout
