"""Properties of normalization, cleaning and date parsing on arbitrary Unicode."""

from __future__ import annotations

import datetime as dt

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from rasad.cleaning import CleanedArticle, Rejected, clean_html, clean_text
from rasad.cleaning.metadata import parse_datetime
from rasad.text.arabic import normalize_arabic
from tests.property.strategies import any_text, examples, hostile_text

# A failing example with a very long line must report the failure, not a warning about its size.
pytestmark = pytest.mark.filterwarnings("ignore:Generating overly large repr")

SETTINGS = settings(max_examples=examples(80), deadline=None, suppress_health_check=[HealthCheck.too_slow])


@SETTINGS
@given(any_text)
def test_normalize_arabic_is_idempotent_and_total(text: str) -> None:
    once = normalize_arabic(text)
    assert normalize_arabic(once) == once
    assert once == once.strip() and "  " not in once
    assert not any(c in once for c in "\u200e\u200f\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069\u0640")


def _check_cleaned(article: CleanedArticle) -> None:
    assert isinstance(article.body, str) and article.body.strip()
    assert article.body_normalized == normalize_arabic(article.body)
    assert len(article.content_hash) == 64
    if article.published_at is not None:
        assert article.published_at.tzinfo is not None
        assert 1900 <= article.published_at.year <= 2100


@SETTINGS
@given(hostile_text(max_tokens=200), st.none() | any_text)
def test_clean_text_returns_an_article_or_rejects(text: str, title: str | None) -> None:
    try:
        article = clean_text(text, title=title)
    except Rejected as rejection:
        assert rejection.reason in Rejected.REASONS
        return
    _check_cleaned(article)


@st.composite
def html_pages(draw: st.DrawFn) -> bytes:
    paragraphs = draw(st.lists(hostile_text(max_tokens=60), max_size=8))
    title = draw(any_text)
    broken = draw(st.booleans())
    body = "".join(f"<p>{p}" + ("" if broken else "</p>") for p in paragraphs)
    html = f"<html><head><title>{title}</title></head><body><article>{body}</article>"
    encoding = draw(st.sampled_from(["utf-8", "cp1256", "utf-16"]))
    return html.encode(encoding, errors="replace") if encoding != "utf-8" else html.encode("utf-8", "surrogatepass")


@SETTINGS
@given(html_pages(), st.sampled_from([None, "utf-8", "windows-1256", "bogus-charset"]))
def test_clean_html_returns_an_article_or_rejects(page: bytes, declared: str | None) -> None:
    try:
        article = clean_html(page, url="https://example.org/news/1", declared_encoding=declared)
    except Rejected as rejection:
        assert rejection.reason in Rejected.REASONS
        return
    _check_cleaned(article)


@SETTINGS
@given(any_text | st.datetimes().map(str) | st.dates().map(str))
def test_parse_datetime_returns_an_aware_datetime_or_none(value: str) -> None:
    parsed = parse_datetime(value)
    assert parsed is None or (isinstance(parsed, dt.datetime) and parsed.tzinfo is not None)
