"""What a user and the Docker image get: the wheel, installed without extras in a clean environment.

Every other test runs in the developer's editable install with the dev extras, which once hid a
runtime dependency (`lxml_html_clean`, imported by trafilatura's jusText) that only a dev extra
pulled in. Here the wheel is built, installed with `pip install <wheel>` (as the Dockerfile does)
into a fresh virtual environment, and its own `rasad` is run.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import urllib.request
import uuid
import venv
from pathlib import Path

import pytest
import yaml

from rasad.cli.up_cmd import stop_children
from tests.alerts.receivers import webhook_receiver
from tests.conftest import free_port
from tests.integration.helpers import wait_until

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


def test_the_installed_command_reads_the_users_topics_and_people(installed: Path, tmp_path: Path) -> None:
    """A topic and five people written as files, nothing edited in site-packages: that story only is relevant."""
    user = tmp_path / "user"
    shutil.copytree(ROOT / "tests" / "fixtures" / "user_data", user)
    env = {**_clean_env(tmp_path), "RASAD_TOPICS_DIR": str(user / "topics"), "RASAD_KB_DIR": str(user / "kb")}
    article = tmp_path / "article.txt"
    article.write_text(
        "التقى وزير الخارجية الجزائري أحمد عطاف بنظيره المغربي ناصر بوريطة في نيويورك أمس، في أول لقاء منذ "
        "قطع العلاقات الدبلوماسية بين الجزائر والمغرب عام 2021.",
        encoding="utf-8",
    )
    rasad = str(installed / "bin" / "rasad")
    checked = subprocess.run([rasad, "kb", "check"], capture_output=True, text=True, cwd=tmp_path, env=env)
    assert checked.returncode == 0 and "5 people added" in checked.stdout, checked.stdout + checked.stderr
    extract = subprocess.run(
        [rasad, "extract", str(article), "--published", "2024-09-20", "--json"],
        capture_output=True, text=True, cwd=tmp_path, env=env,
    )  # fmt: skip
    assert extract.returncode == 0, extract.stderr
    result = json.loads(extract.stdout)
    result = result[0] if isinstance(result, list) else result
    assert {t["topic"]: t["relevant"] for t in result["topics"]} == {
        "turkey_syria_normalization": False,
        "turkey_syria_after_assad": False,
        "algeria_morocco": True,
    }
    assert {p["name"]: p["known"] for p in result["persons"]}["Ahmed Attaf"] is True


def compose_commands() -> dict[str, list[str]]:
    """Each rasad service of docker-compose.yml and the command it runs (the image's entrypoint is `rasad`)."""
    compose = yaml.safe_load((ROOT / "docker-compose.yml").read_text(encoding="utf-8"))
    return {
        name: [str(part) for part in service["command"]]
        for name, service in compose["services"].items()
        if service.get("image") == "rasad:latest"
    }


def test_the_image_runs_the_installed_command_and_compose_runs_the_commands_tested_here() -> None:
    dockerfile = (ROOT / "Dockerfile").read_text(encoding="utf-8")
    assert "RUN pip install . " in dockerfile and 'ENTRYPOINT ["rasad"]' in dockerfile  # no extras, no -e
    assert compose_commands() == {
        "migrate": ["db", "upgrade"],
        "worker": ["worker", "--concurrency", "2"],
        "beat": ["scheduler"],
        "api": ["serve", "--host", "0.0.0.0", "--port", "8000"],
        "crawler": ["crawl", "--all"],
    }


def _get_json(url: str) -> object:
    with urllib.request.urlopen(url, timeout=5) as response:
        return json.loads(response.read())


def _api_articles(port: int) -> int:
    try:
        data = _get_json(f"http://127.0.0.1:{port}/articles?limit=50")
    except OSError:
        return -1
    return len(data["items"]) if isinstance(data, dict) else -1


def test_the_compose_services_run_from_the_installed_package(
    installed: Path, tmp_path: Path, postgres_url: str, redis_url: str, fixture_site: str
) -> None:
    """`docker compose up` without Docker: the compose services' own commands, as processes of the installed
    package, against real PostgreSQL and Redis and the fixture site: articles are stored, a subscriber's
    webhook receives its alert, the API answers."""
    commands = compose_commands()
    api_port = free_port()
    env = _clean_env(tmp_path) | {
        "DATABASE_URL": postgres_url,
        "REDIS_URL": redis_url,
        "RASAD_QUEUE": f"rasad-prod-{uuid.uuid4().hex[:8]}",
        "RASAD_PROFILE": "fixtures",
        "RASAD_FIXTURES_URL": fixture_site,
        "RASAD_WEBHOOK_ALLOW_PRIVATE": "true",
    }
    rasad = str(installed / "bin" / "rasad")

    def run(args: list[str]) -> subprocess.CompletedProcess[str]:
        done = subprocess.run([rasad, *args], capture_output=True, text=True, cwd=tmp_path, env=env, timeout=600)
        assert done.returncode == 0, f"rasad {' '.join(args)}: {done.stdout[-2000:]}{done.stderr[-2000:]}"
        return done

    run(commands["migrate"])
    api = [*commands["api"][:-1], str(api_port)]  # the compose port, moved to a free one
    with webhook_receiver() as hook:
        run(["alerts", "add", "--name", "desk", "--topic", "normalization", "--webhook", hook.url])
        logs = {name: (tmp_path / f"{name}.log").open("wb") for name in ("worker", "beat", "api")}
        procs = {
            name: subprocess.Popen([rasad, *cmd], cwd=tmp_path, env=env, stdout=logs[name], stderr=subprocess.STDOUT)
            for name, cmd in (("worker", commands["worker"]), ("beat", commands["beat"]), ("api", api))
        }
        try:
            run(commands["crawler"])
            wait_until(lambda: _api_articles(api_port) >= 5, timeout=240, what="the API to list the stored articles")
            wait_until(lambda: len(hook.received) >= 1, timeout=180, what="the subscriber's webhook alert")
            alert = hook.received[0].json()  # which relevant article alerts first depends on crawl order
            assert alert["event"] == "alert.new" and alert["sources"]
            listed = _get_json(f"http://127.0.0.1:{api_port}/articles?limit=50")
            assert isinstance(listed, dict) and alert["article_id"] in {a["id"] for a in listed["items"]}
            assert _get_json(f"http://127.0.0.1:{api_port}/openapi.json")
        finally:
            stop_children(procs)
            for log in logs.values():
                log.close()
