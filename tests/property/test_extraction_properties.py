"""Properties of extraction on arbitrary Unicode: offsets point into the body, dates are valid."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from rasad import extraction
from rasad.text.arabic import normalize_arabic
from tests.property.strategies import any_text, examples, hostile_text

# A failing example with a very long line must report the failure, not a warning about its size.
pytestmark = pytest.mark.filterwarnings("ignore:Generating overly large repr")


SETTINGS = settings(max_examples=examples(60), deadline=None, suppress_health_check=[HealthCheck.too_slow])
DATE_VALUE = re.compile(r"^\d{4}(-\d{2}(-\d{2})?)?$")
published_dates = st.none() | st.dates(min_value=dt.date(1990, 1, 1), max_value=dt.date(2035, 12, 31))


@pytest.fixture(scope="module")
def kb() -> object:
    return extraction.load_knowledge_base()


def _valid_date_value(value: str) -> bool:
    if not DATE_VALUE.match(value):
        return False
    parts = [int(p) for p in value.split("-")]
    try:
        dt.date(parts[0], parts[1] if len(parts) > 1 else 1, parts[2] if len(parts) > 2 else 1)
    except ValueError:
        return False
    return True


@SETTINGS
@given(body=hostile_text(max_tokens=200), title=st.none() | any_text, published=published_dates)
@example(body="التقى فيدان المقداد في 0 يناير", title=None, published=dt.date(2023, 5, 1))
def test_extract_offsets_point_into_the_body(
    kb: object, body: str, title: str | None, published: dt.date | None
) -> None:
    result = extraction.extract(title=title, body=body, published_at=published, kb=kb)
    spans = [m for entity in (*result.persons, *result.organizations, *result.places) for m in entity.mentions]
    spans += [e for event in result.events for e in event.evidence]
    spans += list(result.quotes)
    for span in spans:
        assert 0 <= span.start <= span.end <= len(body)
        assert body[span.start : span.end] == span.text
    for event in result.events:
        assert event.date is None or _valid_date_value(event.date), event.date
    assert result.relevance >= 0.0


@SETTINGS
@given(text=hostile_text(max_tokens=150), published=published_dates)
@example(text="0 يناير", published=dt.date(2023, 5, 1))  # day 0 left no candidate year: ValueError
def test_find_dates_gives_valid_intervals_inside_the_text(kb: object, text: str, published: dt.date | None) -> None:
    from rasad.extraction.dates import find_dates

    normalized = normalize_arabic(text)
    for mention in find_dates(kb, normalized, published):  # type: ignore[arg-type]
        assert 0 <= mention.start <= mention.end <= len(normalized)
        assert mention.lo <= mention.hi
        assert mention.precision in ("day", "month", "year")
        assert _valid_date_value(mention.value)
        if mention.relative:
            assert published is not None
