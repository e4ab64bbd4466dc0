from __future__ import annotations

import datetime as dt

from rasad.extraction import extract, to_json
from rasad.extraction.evaluation import evaluate, load_cases, load_seed_cases


def _events(body: str, published: dt.date | None, kb) -> list[dict]:
    return to_json(extract(title=None, body=body, published_at=published, kb=kb))["events"]


def test_seed_floors(kb):
    report = evaluate(load_seed_cases(), "seeds", kb)
    assert report.areas["persons"].f1 == 1.0
    assert report.areas["events"].f1 >= 0.9
    assert report.areas["relevance"].tp == 5 and report.areas["relevance"].fp == 0


def test_case_floors(kb):
    cases = load_cases()
    assert len(cases) >= 25
    report = evaluate(cases, "cases", kb)
    assert report.areas["persons"].f1 >= 0.95
    assert report.areas["events"].f1 >= 0.9
    assert report.areas["relevance"].f1 >= 0.9


def test_putin_fidan_dated_from_the_hmeimim_meeting(kb):
    seed = next(c for c in load_seed_cases() if c.name.startswith("001"))
    events = _events(seed.body, seed.published_at, kb)
    putin = next(e for e in events if "Vladimir Putin" in e["persons"])
    assert putin["location"] == "Moscow" and putin["date"].startswith("2024-06")
    assert putin["level"] == "other" and set(putin["countries"]) == {"RU", "TR"}
    hmeimim = next(e for e in events if e["location"] == "Hmeimim Air Base")
    assert hmeimim["date"] == "2024-06-11" and hmeimim["mediator"] == "RU"
    assert hmeimim["countries"] == ["SY", "TR"] and hmeimim["level"] == "military"


def test_negation_and_condition_make_proposed(kb):
    body = "وكان الأسد قد أعلن أنه لن يلتقي الرئيس التركي رجب طيب أردوغان إلا إذا سحبت أنقرة قواتها."
    (event,) = _events(body, dt.date(2023, 4, 25), kb)
    assert event["status"] == "proposed" and event["level"] == "heads_of_state"
    body = "وصرح أردوغان أنه قد يلتقي بشار الأسد بعد اجتماع وزراء الخارجية."
    assert _events(body, None, kb)[0]["status"] == "proposed"


def test_plans(kb):
    body = "وقال بوغدانوف إن وزراء خارجية روسيا وتركيا وسوريا وإيران يرتبون لعقد اجتماع في موسكو."
    (event,) = _events(body, dt.date(2023, 3, 2), kb)
    assert event["status"] == "planned" and event["location"] == "Moscow"
    assert set(event["countries"]) == {"RU", "TR", "SY", "IR"} and event["level"] == "foreign_ministers"
    assert event["persons"] == []  # the speaker is not at the table


def test_mentions_of_one_meeting_merge_with_evidence(kb):
    body = (
        "أجرى وزير الدفاع التركي خلوصي أكار ونظيره السوري علي محمود عباس محادثات في موسكو أمس. "
        "وقالت الوزارة إن الاجتماع جرى في أجواء إيجابية. وناقش المجتمعون ملف اللاجئين."
    )
    (event,) = _events(body, dt.date(2022, 12, 29), kb)
    assert event["date"] == "2022-12-28" and event["level"] == "defence_ministers"
    assert len(event["evidence"]) == 3
    for ev in event["evidence"]:
        assert body[ev["start"] : ev["end"]] == ev["text"]


def test_phone_call(kb):
    body = "بحث الرئيس الإيراني إبراهيم رئيسي في اتصال هاتفي مع نظيره التركي رجب طيب أردوغان تطبيع العلاقات مع دمشق."
    (event,) = _events(body, dt.date(2023, 2, 21), kb)
    assert event["kind"] == "call" and set(event["countries"]) == {"IR", "TR"}


def test_level_from_role_at_event_date(kb):
    body = "التقى هاكان فيدان علي مملوك في دمشق يوم 5 أيلول 2022."
    (event,) = _events(body, None, kb)
    assert event["level"] == "intelligence" and event["date"] == "2022-09-05"
