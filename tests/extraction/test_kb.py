from __future__ import annotations

import datetime as dt
import shutil
from pathlib import Path

import pytest

from rasad.extraction.kb import DEFAULT_KB_DIR, KnowledgeBaseError, build_knowledge_base


def test_has_the_cast(kb):
    names = {p.name for p in kb.persons.values()}
    for name in (
        "Recep Tayyip Erdoğan",
        "Hakan Fidan",
        "Mevlüt Çavuşoğlu",
        "Bashar al-Assad",
        "Faisal Mekdad",
        "Sergey Lavrov",
        "Ali Mamlouk",
        "İbrahim Kalın",
        "Mohammed Shia al-Sudani",
        "Geir Pedersen",
        "Ahmed al-Sharaa",
        "Abbas Araghchi",
        "Badr Abdelatty",
        "Ahmed Aboul Gheit",
        "Alexander Lavrentiev",
    ):
        assert name in names
    assert kb.places["hmeimim"].kind == "air_base"
    assert kb.countries["TR"].demonym == "Turkish"


def test_roles_have_dates(kb):
    fidan = kb.persons["fidan"]
    assert fidan.role_at(dt.date(2023, 4, 25)).kind == "intelligence_chief"
    assert fidan.role_at(dt.date(2024, 6, 10)).kind == "foreign_minister"
    assert kb.persons["cavusoglu"].role_at(dt.date(2024, 1, 1)) is None
    assert kb.persons["kalin"].role_at(dt.date(2024, 1, 1)).label == "Turkish intelligence chief"


def _copy_kb(tmp_path: Path) -> Path:
    target = tmp_path / "kb"
    shutil.copytree(DEFAULT_KB_DIR, target)
    return target


def test_validation_error_names_file_and_entry(tmp_path):
    target = _copy_kb(tmp_path)
    persons = target / "persons.yaml"
    text = persons.read_text(encoding="utf-8").replace("wikidata: Q39259", "wikidata: not-a-qid", 1)
    persons.write_text(text, encoding="utf-8")
    with pytest.raises(KnowledgeBaseError) as err:
        build_knowledge_base(target)
    message = str(err.value)
    assert "persons.yaml" in message and "id=erdogan" in message and "wikidata" in message


def test_unknown_role_kind_is_reported(tmp_path):
    target = _copy_kb(tmp_path)
    persons = target / "persons.yaml"
    text = persons.read_text(encoding="utf-8").replace(
        "kind: defence_minister, label: Turkish defence minister",
        "kind: war_minister, label: Turkish defence minister",
        1,
    )
    persons.write_text(text, encoding="utf-8")
    with pytest.raises(KnowledgeBaseError, match="war_minister"):
        build_knowledge_base(target)


def test_wrong_version_is_rejected(tmp_path):
    target = _copy_kb(tmp_path)
    places = target / "places.yaml"
    places.write_text(places.read_text(encoding="utf-8").replace("version: 1", "version: 7", 1), encoding="utf-8")
    with pytest.raises(KnowledgeBaseError, match=r"places\.yaml: unsupported version"):
        build_knowledge_base(target)


def test_curating_needs_no_code(tmp_path):
    target = _copy_kb(tmp_path)
    persons = target / "persons.yaml"
    persons.write_text(
        persons.read_text(encoding="utf-8")
        + """
  - id: yilmaz_nuh
    name: Nuh Yılmaz
    country: TR
    names: [نوح يلماز]
    roles:
      - {kind: deputy_foreign_minister, label: Turkish deputy foreign minister, country: TR, start: 2023-06-10}
""",
        encoding="utf-8",
    )
    from rasad.extraction import extract

    kb2 = build_knowledge_base(target)
    result = extract(title=None, body="التقى نوح يلماز في أنقرة المبعوث غير بيدرسن.", published_at=None, kb=kb2)
    assert "Nuh Yılmaz" in {p.name for p in result.persons}
