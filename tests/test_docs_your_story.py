"""docs/your-story.md works as written: its files and its `rasad` commands, run in order."""

from __future__ import annotations

import json
import re
import shlex
from pathlib import Path

import pytest
from typer.testing import CliRunner

from rasad.cli.main import app
from tests.conftest import apply_env

DOC = Path(__file__).resolve().parents[1] / "docs" / "your-story.md"
ARTICLE = (
    "التقى وزير الخارجية الجزائري أحمد عطاف بنظيره المغربي ناصر بوريطة في نيويورك أمس، في أول لقاء منذ قطع "
    "العلاقات الدبلوماسية بين الجزائر والمغرب عام 2021، بحضور رئيس الحكومة المغربية عزيز أخنوش."
)


def _blocks(kind: str) -> list[str]:
    return re.findall(rf"```{kind}\n(.*?)```", DOC.read_text(encoding="utf-8"), flags=re.DOTALL)


def test_the_page_runs_from_empty_folders_to_a_subscription(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    (tmp_path / "topics").mkdir()
    (tmp_path / "kb").mkdir()
    apply_env(monkeypatch, RASAD_TOPICS_DIR=str(tmp_path / "topics"), RASAD_KB_DIR=str(tmp_path / "kb"),
              RASAD_DATA_DIR=str(tmp_path / "data"))  # fmt: skip
    for block in _blocks("yaml"):
        first, _, body = block.partition("\n")
        (tmp_path / first.removeprefix("# file: ").strip()).write_text(body, encoding="utf-8")
    (tmp_path / "article.txt").write_text(ARTICLE, encoding="utf-8")
    runner = CliRunner()
    from db.migrate import upgrade

    upgrade()
    commands = [line[2:] for block in _blocks("console") for line in block.splitlines() if line.startswith("$ rasad")]
    assert len(commands) == 6
    outputs = {}
    for command in commands:
        args = shlex.split(command)[1:]
        result = runner.invoke(app, args)
        assert result.exit_code == 0, f"{command}\n{result.output}"
        outputs[args[0] + " " + args[1]] = result.stdout
    extracted = json.loads(outputs["extract article.txt"])
    extracted = extracted[0] if isinstance(extracted, list) else extracted
    assert {t["topic"]: t["relevant"] for t in extracted["topics"]} == {
        "turkey_syria_normalization": False,
        "turkey_syria_after_assad": False,
        "algeria_morocco": True,
    }
    known = {p["name"] for p in extracted["persons"] if p["known"]}
    assert {"Ahmed Attaf", "Nasser Bourita", "Aziz Akhannouch"} <= known
    assert extracted["events"][0]["countries"] == ["DZ", "MA"]
    assert "2 people added" in outputs["kb check"]
