"""Developments merge reports of one meeting across articles, and record what each article changed."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from sqlalchemy import select

from db.development_models import Development, DevelopmentChange, DevelopmentSource
from db.developments import dates_agree, record_developments, sides_agree
from db.models import Article, RawPage, SourceRow
from db.session import session_scope
from rasad.extraction import Event, event_from_json

PLANNED = {"kind": "meeting", "status": "planned", "level": "foreign_ministers", "countries": ["TR", "SY"],
           "persons": ["Mevlüt Çavuşoğlu", "Faisal Mekdad"], "location": None, "date": None, "mediator": "RU",
           "evidence": {"text": "الاجتماع المرتقب", "start": 0, "end": 5}}  # fmt: skip


def _events(*events: dict) -> list[Event]:
    return [event_from_json(e) for e in events]


def make_article(session, n: int) -> int:
    if session.get(SourceRow, "s") is None:
        session.add(SourceRow(id="s", name="S", base_url="https://s.example/", config={}))
        session.flush()
    page = RawPage(source_id="s", url=f"https://s.example/{n}", fetched_url=f"https://s.example/{n}", http_status=200,
                   body_gz=b"", body_sha256="0" * 64)  # fmt: skip
    session.add(page)
    session.flush()
    article = Article(raw_page_id=page.id, source_id="s", url=page.url, body="x", body_normalized="x",
                      content_hash=str(n))  # fmt: skip
    session.add(article)
    session.flush()
    return article.id


def test_date_and_side_rules() -> None:
    assert dates_agree("2023-04", "2023-04-25") and dates_agree("2023-04-25", "2023-04-26")
    assert not dates_agree("2023-04-25", "2023-05-25") and dates_agree(None, "2023-01-01")
    assert sides_agree(["SY", "TR"], ["RU", "SY", "TR"], ["RU"])
    assert not sides_agree(["SY", "TR"], ["IR", "RU", "SY", "TR"], ["RU"])
    assert not sides_agree(["TR"], ["TR"], [])


def test_one_meeting_reported_twice_then_held(embedded_env: Path) -> None:
    published = dt.date(2023, 1, 10)
    with session_scope() as session:
        first, second, third = (make_article(session, n) for n in (1, 2, 3))
        changes = record_developments(session, first, _events(PLANNED), published=published, topics=["normalization"])
        assert [c.change for c in changes] == ["new"]
        # Another outlet, same planned meeting, with Russia counted at the table: no change worth an alert.
        again = {**PLANNED, "countries": ["RU", "SY", "TR"]}
        assert record_developments(session, second, _events(again), published=published + dt.timedelta(days=2)) == []
        held = {**PLANNED, "status": "held", "location": "Moscow", "date": "2023-05-10"}
        changes = record_developments(session, third, _events(held), published=dt.date(2023, 2, 1))
        assert {c.change for c in changes} == {"status", "location", "date"}
        dev = session.scalars(select(Development)).one()
        assert (dev.status, dev.location, dev.date, dev.countries) == ("held", "Moscow", "2023-05-10", ["SY", "TR"])
        assert len(session.scalars(select(DevelopmentSource)).all()) == 3


def test_different_levels_are_different_meetings(embedded_env: Path) -> None:
    with session_scope() as session:
        a = make_article(session, 1)
        defence = {**PLANNED, "status": "held", "level": "defence_ministers", "location": "Moscow"}
        changes = record_developments(session, a, _events(PLANNED, defence), published=dt.date(2023, 1, 10))
        assert [c.change for c in changes] == ["new", "new"]


def test_distant_undated_reports_are_different_meetings(embedded_env: Path) -> None:
    with session_scope() as session:
        a, b = make_article(session, 1), make_article(session, 2)
        record_developments(session, a, _events(PLANNED), published=dt.date(2023, 1, 10))
        changes = record_developments(session, b, _events(PLANNED), published=dt.date(2024, 6, 1))
        assert [c.change for c in changes] == ["new"]
        assert len(session.scalars(select(Development)).all()) == 2


def test_reprocessing_an_article_is_idempotent(embedded_env: Path) -> None:
    with session_scope() as session:
        a = make_article(session, 1)
        record_developments(session, a, _events(PLANNED), published=dt.date(2023, 1, 10))
        record_developments(session, a, _events(PLANNED), published=dt.date(2023, 1, 10))
        assert len(session.scalars(select(Development)).all()) == 1
        assert len(session.scalars(select(DevelopmentSource)).all()) == 1
        assert len(session.scalars(select(DevelopmentChange)).all()) == 1


@pytest.mark.parametrize("countries", [[], ["TR"]])
def test_events_without_two_sides_are_ignored(embedded_env: Path, countries: list[str]) -> None:
    with session_scope() as session:
        a = make_article(session, 1)
        assert record_developments(session, a, _events({**PLANNED, "countries": countries}), published=None) == []
