from __future__ import annotations

import datetime as dt

from rasad.extraction import extract
from rasad.extraction.matcher import FUZZY_THRESHOLD, scan_text


def _people(body: str, kb) -> dict[str, list[str]]:
    result = extract(title=None, body=body, published_at=dt.date(2023, 3, 2), kb=kb)
    return {p.name: [m.text for m in p.mentions] for p in result.persons}


def test_spellings_of_one_person_are_one_entity(kb):
    body = (
        "قال مولود تشاووش أوغلو إن الاجتماع قريب. وأكد تشاوش أوغلو ذلك، فيما كرر جاويش أوغلو الموقف. "
        "وقال إبراهيم كالن ثم إبراهيم قالن إن الموعد لم يحدد."
    )
    people = _people(body, kb)
    assert set(people) == {"Mevlüt Çavuşoğlu", "İbrahim Kalın"}
    assert len(people["Mevlüt Çavuşoğlu"]) == 3
    assert people["İbrahim Kalın"] == ["إبراهيم كالن", "إبراهيم قالن"]


def test_clitics_letters_and_marks(kb):
    body = "وبحث الرئيسُ مع ولافروف وللأسد وبالأسد والأسـد وبموسكو. فيصل المقدادْ وإردوغان"
    people = _people(body, kb)
    assert people["Bashar al-Assad"] == ["لأسد", "الأسد", "الأسـد"]  # للأسد: ل + (ا)لأسد
    assert "Sergey Lavrov" in people and "Faisal Mekdad" in people and "Recep Tayyip Erdoğan" in people
    result = extract(title=None, body=body, published_at=None, kb=kb)
    assert "Moscow" in {p.name for p in result.places}


def test_offsets_point_into_the_original(kb):
    body = '  وقالَ  وزيرُ الخارجية الروسي سيرغي لافروف:\n\n"إن الاجتماع مهم"، وأضاف لافروف أنه متفائل.'
    result = extract(title=None, body=body, published_at=None, kb=kb)
    for person in result.persons:
        for m in person.mentions:
            assert body[m.start : m.end] == m.text
    lavrov = next(p for p in result.persons if p.name == "Sergey Lavrov")
    assert [m.text for m in lavrov.mentions] == ["سيرغي لافروف", "لافروف"]


def test_multiword_names_win_and_surnames_resolve(kb):
    people = _people("التقى علي محمود عباس نظيره. وقال عباس إن اللقاء مثمر.", kb)
    assert people == {"Ali Mahmoud Abbas": ["علي محمود عباس", "عباس"]}
    # a bare, ambiguous surname alone names nobody
    assert _people("وقال عباس إن اللقاء مثمر.", kb) == {}
    # words that are also names do not become people
    assert _people("وقال مسؤول إن الهدف الرئيسي هو الحوار، وهو أمر رئيسي.", kb) == {}


def test_fuzzy_spelling_variant(kb):
    assert 80 <= FUZZY_THRESHOLD <= 95
    people = _people("وصرح مولود تشاوشأغلو بأن اللقاء قريب", kb)
    assert list(people) == ["Mevlüt Çavuşoğlu"]


def test_unknown_people_from_titles(kb):
    body = "وقال وزير الخارجية الإيراني حسن كاظمي قمي إن بلاده تدعم الحوار، وأضاف قمي أن الاجتماع قريب."
    result = extract(title=None, body=body, published_at=None, kb=kb)
    unknown = [p for p in result.persons if not p.known]
    assert len(unknown) == 1
    assert unknown[0].name == "حسن كاظمي قمي"
    assert unknown[0].role == "Iranian foreign minister"
    assert [m.text for m in unknown[0].mentions] == ["حسن كاظمي قمي", "قمي"]


def test_known_person_after_title_is_linked(kb):
    result = extract(
        title=None, body="وقال وزير الخارجية الإيراني حسين أمير عبد اللهيان إن الحوار مستمر.", published_at=None, kb=kb
    )
    assert [(p.name, p.known) for p in result.persons] == [("Hossein Amir-Abdollahian", True)]


def test_scan_is_a_single_automaton_pass(kb):
    scan = scan_text(kb, "اجتماع في موسكو")
    assert {m.category for m in scan.layers["trigger"]} == {"meeting"}
    assert scan.layers["entity"][0].refs == ("moscow",)
