"""The persons listing resolves a query's spelling once, not once per person of the knowledge base."""

from __future__ import annotations

from pathlib import Path

import pytest

from db.queries import people
from db.session import session_scope


def test_a_name_query_is_resolved_once(embedded_env: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    calls: list[str] = []
    real = people.resolve_person

    def counting(value: str) -> object:
        calls.append(value)
        return real(value)

    monkeypatch.setattr(people, "resolve_person", counting)
    with session_scope() as session:
        found = people.list_persons(session, q="جاويش أوغلو")
        assert [p["name"] for p in found] == ["Mevlüt Çavuşoğlu"]
        assert people.list_persons(session, q="0" * 200) == []
    assert len(calls) == 2
