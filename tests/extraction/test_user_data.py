"""Topics and people as the user's own data: files beside the bundled ones, read by the running pipeline."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
from typer.testing import CliRunner

from rasad.alerts.rules import InvalidRule, parse_rule
from rasad.cli.main import app
from rasad.extraction import extract
from rasad.extraction.kb import DEFAULT_KB_DIR, KnowledgeBaseError, build_knowledge_base, load_knowledge_base
from rasad.extraction.topics import load_topics
from tests.conftest import apply_env

USER_DATA = Path(__file__).resolve().parents[1] / "fixtures" / "user_data"
MAGHREB = (
    "التقى وزير الخارجية الجزائري أحمد عطاف بنظيره المغربي ناصر بوريطة في نيويورك أمس، في أول لقاء منذ قطع "
    "العلاقات الدبلوماسية بين الجزائر والمغرب عام 2021."
)
NORMALIZATION = (
    "التقى وزير الخارجية التركي هاكان فيدان نظيره السوري فيصل المقداد في موسكو لبحث تطبيع العلاقات بين تركيا وسوريا."
)


@pytest.fixture
def user_data(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A copy of the user's topic and knowledge-base folders, named by the settings."""
    shutil.copytree(USER_DATA, tmp_path / "user")
    apply_env(monkeypatch, RASAD_TOPICS_DIR=str(tmp_path / "user" / "topics"),
              RASAD_KB_DIR=str(tmp_path / "user" / "kb"), RASAD_DATA_DIR=str(tmp_path / "data"))  # fmt: skip
    return tmp_path / "user"


def _relevant(text: str, published: str) -> dict[str, bool]:
    import datetime as dt

    result = extract(title=None, body=text, published_at=dt.date.fromisoformat(published))
    return {t.topic: t.relevant for t in result.topics}


def test_a_users_topic_scores_its_story_and_only_its_story(user_data: Path) -> None:
    assert _relevant(MAGHREB, "2024-09-20") == {
        "turkey_syria_normalization": False, "turkey_syria_after_assad": False, "algeria_morocco": True,
    }  # fmt: skip
    assert _relevant(NORMALIZATION, "2023-05-10") == {
        "turkey_syria_normalization": True, "turkey_syria_after_assad": False, "algeria_morocco": False,
    }  # fmt: skip


def test_a_users_people_are_known_with_their_offices(user_data: Path) -> None:
    import datetime as dt

    result = extract(title=None, body=MAGHREB, published_at=dt.date(2024, 9, 20))
    attaf = next(p for p in result.persons if p.name == "Ahmed Attaf")
    assert attaf.known and attaf.role == "Foreign Minister of Algeria"
    kb = load_knowledge_base()
    assert {"ahmed_attaf", "ramtane_lamamra", "aziz_akhannouch", "omar_hilale", "nadir_larbaoui"} <= set(kb.persons)


def test_without_the_settings_only_the_bundled_data_is_read(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    apply_env(monkeypatch, RASAD_TOPICS_DIR=None, RASAD_KB_DIR=None, RASAD_DATA_DIR=str(tmp_path / "data"))
    assert [t.spec.id for t in load_topics()] == ["turkey_syria_normalization", "turkey_syria_after_assad"]
    assert "ahmed_attaf" not in load_knowledge_base().persons


def test_an_entry_with_a_bundled_id_amends_it_without_copying_it(tmp_path: Path) -> None:
    (tmp_path / "persons.yaml").write_text(
        "version: 1\npersons:\n  - id: fidan\n    names: [هاكان فيدانوغلو]\n"
        "    roles:\n      - {kind: other, label: Test office, country: TR, start: 2030-01-01}\n",
        encoding="utf-8",
    )
    bundled = build_knowledge_base(DEFAULT_KB_DIR).persons["fidan"]
    amended = build_knowledge_base(DEFAULT_KB_DIR, user_dir=tmp_path).persons["fidan"]
    assert amended.names == [*bundled.names, "هاكان فيدانوغلو"]
    assert amended.roles[:-1] == bundled.roles and amended.roles[-1].label == "Test office"
    assert amended.name == bundled.name


@pytest.mark.parametrize(
    ("content", "message"),
    [
        ("version: 1\npersons:\n  - {id: nobody, names: [أحد]}\n", "persons[0] (id=nobody): no bundled entry"),
        ("version: 1\npersons:\n  - {id: x1, name: X, names: []}\n", "persons[0] (id=x1): names:"),
        ("version: 1\npersons:\n  - {id: x1, name: X, names: [س]}\n  - {id: x1, name: Y, names: [ص]}\n",
         "persons[1] (id=x1): id 'x1' is defined twice"),
        ("version: 2\npersons: []\n", "unsupported version"),
        ("version: 1\npersons:\n  - {id: fidan, nickname: [x]}\n", "persons[0] (id=fidan): nickname"),
    ],
)  # fmt: skip
def test_errors_name_the_file_the_entry_and_the_field(tmp_path: Path, content: str, message: str) -> None:
    (tmp_path / "persons.yaml").write_text(content, encoding="utf-8")
    with pytest.raises(KnowledgeBaseError) as error:
        build_knowledge_base(DEFAULT_KB_DIR, user_dir=tmp_path)
    assert str(tmp_path / "persons.yaml") in str(error.value) and message in str(error.value)


def test_a_changed_file_is_read_at_the_next_article_without_a_restart(user_data: Path) -> None:
    assert "new_person" not in load_knowledge_base().persons
    people = user_data / "kb" / "persons.yaml"
    people.write_text(
        people.read_text(encoding="utf-8") + "  - {id: new_person, name: New Person, country: DZ, names: [شخص جديد]}\n",
        encoding="utf-8",
    )
    assert "new_person" in load_knowledge_base().persons
    topic = user_data / "topics" / "maghreb.yaml"
    topic.write_text(topic.read_text(encoding="utf-8").replace("threshold: 0.5", "threshold: 0.9"), encoding="utf-8")
    assert {t.spec.id: t.spec.threshold for t in load_topics()}["algeria_morocco"] == 0.9


def test_a_users_topic_with_a_bundled_id_replaces_it(user_data: Path) -> None:
    bundled = (DEFAULT_KB_DIR.parent / "topics" / "normalization.yaml").read_text(encoding="utf-8")
    (user_data / "topics" / "mine.yaml").write_text(bundled.replace("threshold: 0.5", "threshold: 0.7"), "utf-8")
    thresholds = {t.spec.id: t.spec.threshold for t in load_topics()}
    assert thresholds == {"turkey_syria_normalization": 0.7, "turkey_syria_after_assad": 0.45, "algeria_morocco": 0.5}


def test_the_commands_list_check_and_add(user_data: Path, tmp_path: Path) -> None:
    runner = CliRunner()
    listed = runner.invoke(app, ["topics", "list", "--json"])
    assert listed.exit_code == 0, listed.output
    files = {json.loads(line)["id"]: json.loads(line)["file"] for line in listed.stdout.splitlines()}
    assert files == {
        "turkey_syria_normalization": "bundled",
        "turkey_syria_after_assad": "bundled",
        "algeria_morocco": str(user_data / "topics" / "maghreb.yaml"),
    }
    good = runner.invoke(app, ["topics", "check", str(user_data / "topics" / "maghreb.yaml")])
    assert good.exit_code == 0 and "ok" in good.output
    bad = tmp_path / "bad.yaml"
    bad.write_text("version: 1\nid: x\nname: X\ncues: {phrases: [{phrase: x, weight: 7}]}\n", encoding="utf-8")
    refused = runner.invoke(app, ["topics", "check", str(bad)])
    assert refused.exit_code == 1 and str(bad) in refused.output and "cues.phrases.0.weight" in refused.output
    added = runner.invoke(app, ["kb", "add-person", "سمير الجديد", "--name", "Samir Jadid", "--country", "DZ",
                                "--role-kind", "envoy", "--role", "Envoy of Algeria",
                                "--since", "2024-01-01"])  # fmt: skip
    assert added.exit_code == 0, added.output
    assert "samir_jadid" in load_knowledge_base().persons
    before = (user_data / "kb" / "persons.yaml").read_text(encoding="utf-8")
    wrong = runner.invoke(app, ["kb", "add-person", "شخص", "--name", "Someone", "--country", "DZ",
                                "--role-kind", "no_such_kind", "--role", "Nothing"])  # fmt: skip
    assert wrong.exit_code == 1 and "no_such_kind" in wrong.output
    assert (user_data / "kb" / "persons.yaml").read_text(encoding="utf-8") == before  # left as it was
    checked = runner.invoke(app, ["kb", "check"])
    assert checked.exit_code == 0 and "6 people added" in checked.output


def test_a_subscription_can_follow_a_users_topic_and_name_a_users_person(user_data: Path) -> None:
    rule = parse_rule({"topic": "algeria_morocco", "persons": ["أحمد عطاف"]})
    assert rule.topic == "algeria_morocco" and rule.persons == ["Ahmed Attaf"]


def test_without_the_users_files_their_topic_is_refused(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    apply_env(monkeypatch, RASAD_TOPICS_DIR=None, RASAD_KB_DIR=None, RASAD_DATA_DIR=str(tmp_path / "data"))
    with pytest.raises(InvalidRule, match="unknown topic 'algeria_morocco'"):
        parse_rule({"topic": "algeria_morocco"})
