"""Articles in the store: one per raw page, linked to the first copy of the same text, with its extraction."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from datasketch import MinHash
from sqlalchemy import delete, select
from sqlalchemy.orm import Session

from db.developments import record_developments
from db.extraction_store import save_extraction
from db.models import Alert, Article, ArticleBand, RawPage
from rasad.cleaning import CleanedArticle
from rasad.cleaning.dedup import from_bytes, is_near_duplicate, lsh_bands, minhash_signature, signature_bytes
from rasad.extraction import Extraction, to_json


def store_article(
    session: Session, page: RawPage, cleaned: CleanedArticle, result: Extraction, *, language: str
) -> Article:
    """Insert or update the article of `page` with its extraction, link duplicates, record its developments."""
    published = cleaned.published_at
    article = session.scalar(select(Article).where(Article.raw_page_id == page.id))
    if article is None:
        article = Article(raw_page_id=page.id, source_id=page.source_id, url=page.url)
        session.add(article)
    signature = minhash_signature(cleaned.body_normalized)
    article.title = cleaned.title
    article.body = cleaned.body
    article.body_normalized = cleaned.body_normalized
    article.language = language
    article.authors = list(cleaned.authors)
    article.published_at = published
    article.content_hash = cleaned.content_hash
    article.minhash = signature_bytes(signature)
    article.relevant = result.relevant
    article.relevance = float(result.relevance)
    article.topics = [t.topic for t in result.topics if t.relevant]
    session.flush()

    article.duplicate_of_id = find_duplicate_of(session, article, signature)
    session.execute(delete(ArticleBand).where(ArticleBand.article_id == article.id))
    session.add_all(ArticleBand(article_id=article.id, band=band) for band in lsh_bands(signature))
    save_extraction(session, article.id, result)
    record_developments(
        session,
        article.id,
        to_json(result)["events"],
        published=published.date() if published else None,
        topics=article.topics,
    )
    return article


def find_duplicate_of(session: Session, article: Article, signature: MinHash) -> int | None:
    """The earliest other article with the same content, or a near-identical one (MinHash LSH)."""
    exact = session.scalar(
        select(Article.id)
        .where(Article.content_hash == article.content_hash, Article.id != article.id)
        .order_by(Article.id)
        .limit(1)
    )
    if exact is not None:
        return _root(session, exact)
    bands = lsh_bands(signature)
    candidates = session.execute(
        select(Article.id, Article.minhash)
        .join(ArticleBand, ArticleBand.article_id == Article.id)
        .where(ArticleBand.band.in_(bands), Article.id != article.id)
        .distinct()
        .order_by(Article.id)
    ).all()
    for candidate_id, candidate_hash in candidates:
        if candidate_hash and is_near_duplicate(signature, from_bytes(candidate_hash)):
            return _root(session, candidate_id)
    return None


def _root(session: Session, article_id: int) -> int:
    """Follow duplicate links to the first copy, so every copy points at the same article."""
    seen = {article_id}
    current = article_id
    while True:
        parent = session.scalar(select(Article.duplicate_of_id).where(Article.id == current))
        if parent is None or parent in seen:
            return current
        seen.add(parent)
        current = parent


def unalerted_article_ids(session: Session, *, max_age_days: int, limit: int) -> list[int]:
    """Relevant first copies stored in the last `max_age_days` whose alert step never ran."""
    recent = datetime.now(UTC) - timedelta(days=max_age_days)
    return list(
        session.scalars(
            select(Article.id)
            .where(Article.relevant.is_(True), Article.duplicate_of_id.is_(None), Article.created_at >= recent)
            .where(~select(Alert.id).where(Alert.article_id == Article.id).exists())
            .order_by(Article.id)
            .limit(limit)
        ).all()
    )
