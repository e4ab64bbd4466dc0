"""The search words the store sends make the same PostgreSQL document as migration 0004's function did.

Until migration 0011 a trigger built `article_search.document` with `rasad_search_document(title,
body_normalized)`; the store now sends `document_words(...)` and PostgreSQL only builds the tsvector.
Articles indexed before and after the change must be found by the same queries.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from sqlalchemy import create_engine, text

from rasad.search.terms import document_words
from rasad.text.arabic import normalize_arabic

FIXTURES = Path(__file__).resolve().parents[2] / "rasad" / "fixtures"


def _texts() -> list[tuple[str | None, str]]:
    """(title, body) of the seeds and of our extraction cases."""
    texts: list[tuple[str | None, str]] = []
    for seed in sorted((FIXTURES / "seeds").glob("*.txt")):
        lines = seed.read_text(encoding="utf-8").split("\n", 1)
        texts.append((lines[0], lines[1] if len(lines) > 1 else ""))
    for name in ("cases.json", "cases_generality.json"):
        for case in json.loads((FIXTURES / "extraction" / name).read_text(encoding="utf-8"))["documents"]:
            texts.append((case.get("title"), case["body"]))
    texts.append(("Aydınlık: «عاجل» ـــ", "  والسوري بالغ ولل 2023 abc١٢٣ ABC  "))  # edge cases
    texts.append((None, ""))
    return texts


def test_the_texts_are_many() -> None:
    assert len(_texts()) >= 50


@pytest.mark.usefixtures("production_env")
def test_same_document_as_the_former_trigger(postgres_url: str) -> None:
    engine = create_engine(postgres_url.replace("postgresql://", "postgresql+psycopg://"))
    differing = []
    with engine.connect() as conn:
        for title, body in _texts():
            normalized = normalize_arabic(body)
            before = conn.execute(
                text("SELECT rasad_search_document(:title, :body)::text"), {"title": title, "body": normalized}
            ).scalar()
            after = conn.execute(
                text("SELECT strip(to_tsvector('simple', :words))::text"),
                {"words": document_words(title, normalized)},
            ).scalar()
            if set((before or "").split()) != set((after or "").split()):
                differing.append((title, sorted(set(before.split()) ^ set(after.split()))[:6]))
    engine.dispose()
    assert differing == []
