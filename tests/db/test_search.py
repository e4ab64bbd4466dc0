"""Arabic full-text search on SQLite (FTS5) and PostgreSQL (tsvector): the same answers on both."""

from __future__ import annotations

import hashlib
from collections.abc import Iterator
from datetime import UTC, datetime

import pytest
from sqlalchemy import delete, select
from sqlalchemy.orm import Session

from db.models import Article, RawPage, SourceRow
from db.queries.articles import ArticleFilters
from db.queries.search import search_articles
from db.search_backend import index_articles
from db.session import session_scope
from rasad.search.parse import parse_query
from rasad.search.terms import document_words
from rasad.text.arabic import normalize_arabic

BODIES = {
    "clitic": "وصل الوفد التركي إلى وموسكو مساء أمس بعد تأجيل متكرر.",
    "hamza": "عُقِدَ الإجتماع الأمنيّ في أنقرة بحضور مسؤولين من الطرفين.",
    "lam": "تستعد العاصمة العراقية للاجتماع المقبل بين الجانبين.",
    "spelling": "قال مولود تشاووش أوغلو إن الحوار مستمر.",
    "other": "ارتفعت أسعار القمح في الأسواق العالمية هذا الأسبوع.",
}


def add_article(session: Session, key: str, body: str, source: str = "one") -> int:
    page = RawPage(
        source_id=source,
        url=f"https://x.example/{key}",
        fetched_url=f"https://x.example/{key}",
        http_status=200,
        body_gz=b"",
        body_sha256="0" * 64,
    )
    session.add(page)
    session.flush()
    article = Article(
        raw_page_id=page.id,
        source_id=source,
        url=page.url,
        title=f"خبر {key}",
        body=body,
        body_normalized=normalize_arabic(body),
        content_hash=hashlib.sha256(body.encode()).hexdigest(),
        published_at=datetime(2024, 1, 1 + len(key), tzinfo=UTC),
    )
    session.add(article)
    session.flush()
    index_articles(session, [(article.id, document_words(article.title, article.body_normalized))])
    return article.id


@pytest.fixture(params=["sqlite", "postgresql"])
def articles(request: pytest.FixtureRequest) -> Iterator[dict[str, int]]:
    request.getfixturevalue("embedded_env" if request.param == "sqlite" else "production_env")
    with session_scope() as session:
        session.add_all(
            [
                SourceRow(id="one", name="One", base_url="https://x.example/"),
                SourceRow(id="two", name="Two", base_url="https://y.example/"),
            ]
        )
        session.flush()
        ids = {key: add_article(session, key, body) for key, body in BODIES.items()}
        ids["second-outlet"] = add_article(session, "second-outlet", "لقاء في موسكو", source="two")
    yield ids


def found(query: str, filters: ArticleFilters | None = None) -> set[int]:
    with session_scope() as session:
        return {i["id"] for i in search_articles(session, query, filters, 50, None).items}


def test_clitics_are_stripped_on_both_sides(articles: dict[str, int]) -> None:
    assert articles["clitic"] in found("موسكو")
    assert articles["clitic"] in found("بموسكو")
    assert {articles["hamza"], articles["lam"]} <= found("الاجتماع")
    assert {articles["hamza"], articles["lam"]} <= found("واجتماع")


def test_hamza_taa_marbuta_and_diacritics_fold(articles: dict[str, int]) -> None:
    assert found("انقره") == {articles["hamza"]}
    assert found("عقد") == {articles["hamza"]}
    assert found("الأمني") == {articles["hamza"]}
    assert found("الإجْتِمَاع") >= {articles["hamza"]}


def test_a_name_in_any_spelling_finds_every_spelling(articles: dict[str, int]) -> None:
    assert found("جاويش أوغلو") == {articles["spelling"]}
    assert found("تشاوش اوغلو") == {articles["spelling"]}


def test_every_word_must_match_and_filters_apply(articles: dict[str, int]) -> None:
    assert found("موسكو الوفد") == {articles["clitic"]}
    assert found("موسكو", ArticleFilters(outlets=["two"])) == {articles["second-outlet"]}
    assert found("غير موجود إطلاقاً") == set()
    found("في")  # a lone stopword is searched (PostgreSQL finds it; trigrams need 3 letters)
    assert found("!!! ؟؟ ...") == set()


def test_snippets_mark_the_original_words(articles: dict[str, int]) -> None:
    with session_scope() as session:
        page = search_articles(session, "موسكو الوفد", None, 10, None)
    snippet = page.items[0]["snippet"]
    assert "<mark>وموسكو</mark>" in snippet and "<mark>الوفد</mark>" in snippet
    with session_scope() as session:
        page = search_articles(session, "الاجتماع", None, 10, None)
    assert any("<mark>الإجتماع</mark>" in i["snippet"] for i in page.items)


def test_the_index_follows_updates_and_deletes(articles: dict[str, int]) -> None:
    with session_scope() as session:
        article = session.get(Article, articles["other"])
        assert article is not None
        article.body = "تراجع سعر الذهب في بورصة دبي."
        article.body_normalized = normalize_arabic(article.body)
    assert found("الذهب") == {articles["other"]}
    assert found("القمح") == set()
    with session_scope() as session:
        session.execute(delete(Article).where(Article.id == articles["other"]))
    assert found("الذهب") == set()


def test_hostile_queries_are_only_text(articles: dict[str, int]) -> None:
    for query in ['"', 'موسكو" OR "', "NEAR(موسكو", "*", "'; DROP TABLE articles; --", "موسكو) | (", "a:b"]:
        found(query)
    with session_scope() as session:
        assert session.scalar(select(Article.id).limit(1)) is not None


def test_parse_query() -> None:
    parsed = parse_query('جاويش أوغلو "اللجنة الرباعية" في وموسكو')
    assert parsed.terms[0].person_id == "cavusoglu"
    assert len(parsed.terms[1].alternatives[0].words) == 2  # the quoted phrase is one term
    assert [t.alternatives[0].text for t in parsed.terms[2:]] == ["وموسكو"]  # stopword dropped
    assert "موسكو" in parsed.terms[2].alternatives[0].words[0]
    assert parse_query("فيدان").terms[0].person_id == "fidan"
    assert parse_query("في").terms  # only stopwords: kept rather than searching nothing


def test_many_hits_take_the_same_answers(articles: dict[str, int], monkeypatch: pytest.MonkeyPatch) -> None:
    import db.queries.articles

    sparse = {q: found(q) for q in ("موسكو", "الاجتماع", "جاويش أوغلو", "غير موجود")}
    monkeypatch.setattr(db.queries.articles, "SPARSE_HITS", 0)  # every search counts as "many hits"
    assert {q: found(q) for q in sparse} == sparse
