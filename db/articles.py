"""Articles in the store: one per raw page, linked to the first copy of the same text, with its extraction."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

from datasketch import MinHash
from sqlalchemy import delete, or_, select
from sqlalchemy.orm import Session

from db.bulk import insert_rows
from db.developments import record_developments
from db.extraction_store import save_extraction
from db.models import Alert, Article, ArticleBand, RawPage
from db.search_backend import index_articles
from rasad.cleaning import CleanedArticle
from rasad.cleaning.dedup import from_bytes, is_near_duplicate
from rasad.extraction import Extraction
from rasad.indexing import ArticleKeys


def store_article(
    session: Session,
    page: RawPage,
    cleaned: CleanedArticle,
    result: Extraction,
    keys: ArticleKeys,
    *,
    language: str,
) -> Article:
    """Insert or update the article of `page` with its extraction, link duplicates, record its developments.

    `keys` are the article's index keys (`rasad.indexing.article_keys`). A first processing writes
    only inserts; a re-processing replaces what the earlier one stored.
    """
    published = cleaned.published_at
    own_id, first_copy = own_and_first_copy(session, page.id, cleaned.content_hash, keys.signature, list(keys.bands))
    article = session.get(Article, own_id) if own_id is not None else None
    first_time = article is None
    if article is None:
        article = Article(raw_page_id=page.id, source_id=page.source_id, url=page.url)
        session.add(article)
    # A re-processed first copy finds its own copies, which lead back to it: it stays the first.
    article.duplicate_of_id = None if first_copy is not None and first_copy == article.id else first_copy
    article.title = cleaned.title
    article.body = cleaned.body
    article.body_normalized = cleaned.body_normalized
    article.language = language
    article.authors = list(cleaned.authors)
    article.published_at = published
    article.content_hash = cleaned.content_hash
    article.minhash = keys.signature_bytes
    article.relevant = result.relevant
    article.relevance = float(result.relevance)
    article.topics = [t.topic for t in result.topics if t.relevant]
    session.flush()

    if first_time:  # a stored article whose title or text changes is re-indexed by the update trigger
        index_articles(session, [(article.id, keys.search_words)])
    else:
        session.execute(delete(ArticleBand).where(ArticleBand.article_id == article.id))
    insert_rows(session, ArticleBand, [{"article_id": article.id, "band": band} for band in keys.bands])
    save_extraction(session, article.id, result, first_time=first_time)
    record_developments(
        session,
        article.id,
        result.events,
        published=published.date() if published else None,
        topics=article.topics,
        first_time=first_time,
    )
    return article


def own_and_first_copy(
    session: Session, raw_page_id: int, content_hash: str, signature: MinHash, bands: list[str]
) -> tuple[int | None, int | None]:
    """The page's own article, if stored before, and the first copy of the same content (or of a
    near-identical one, by MinHash LSH), or None.

    One query reads the page's article, the exact copies and the LSH candidates together. It runs
    after the page's lock, in a statement of its own: a worker that waited on the lock sees the
    article the other one committed (a join in the locking query would not).
    """
    band_match = select(ArticleBand.article_id).where(ArticleBand.band.in_(bands))
    rows = session.execute(
        select(Article.id, Article.raw_page_id, Article.minhash, Article.duplicate_of_id, Article.content_hash)
        .where(
            or_(Article.raw_page_id == raw_page_id, Article.content_hash == content_hash, Article.id.in_(band_match))
        )
        .order_by(Article.id)
    ).all()
    own = next((row.id for row in rows if row.raw_page_id == raw_page_id), None)
    candidates = [row for row in rows if row.raw_page_id != raw_page_id]
    known = {c.id: c.duplicate_of_id for c in candidates}
    exact = next((c for c in candidates if c.content_hash == content_hash), None)
    if exact is not None:
        return own, _root(session, exact.id, exact.duplicate_of_id, known)
    for candidate in candidates:
        if candidate.minhash and is_near_duplicate(signature, from_bytes(candidate.minhash)):
            return own, _root(session, candidate.id, candidate.duplicate_of_id, known)
    return own, None


def _root(session: Session, article_id: int, parent: int | None, known: dict[int, int | None]) -> int:
    """Follow duplicate links to the first copy, so every copy points at the same article.

    Copies are linked to the first copy when stored, and the first copy shares their text, so it is
    almost always among the candidates already read (`known`): a query only when it is not.
    """
    seen = {article_id}
    current = article_id
    while parent is not None and parent not in seen:
        seen.add(parent)
        current = parent
        if current in known:
            parent = known[current]
        else:
            parent = session.scalar(select(Article.duplicate_of_id).where(Article.id == current))
    return current


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


def latest_texts(session: Session, *, limit: int) -> list[tuple[str | None, str, date | None]]:
    """(title, body, publication day) of the `limit` most recently stored articles, newest first."""
    rows = session.execute(
        select(Article.title, Article.body, Article.published_at).order_by(Article.id.desc()).limit(limit)
    ).all()
    return [(title, body, published.date() if published else None) for title, body, published in rows]
