"""The cleaning step: page (HTML or text) in, `CleanedArticle` out, or `Rejected` with a reason."""

from __future__ import annotations

import datetime as dt
import re

from rasad.cleaning import html as html_text
from rasad.cleaning import metadata
from rasad.cleaning.decoding import decode_page
from rasad.cleaning.dedup import content_hash
from rasad.cleaning.language import detect_language, detect_language_with_share
from rasad.cleaning.models import CleanedArticle, Rejected
from rasad.cleaning.rules import RuleSet, load_rules
from rasad.cleaning.text_rules import TextCleaning, clean_lines
from rasad.sources.models import Source
from rasad.urls import InvalidURL, canonicalize_url

# An Arabic source's article has at least this share of Arabic letters.
MIN_ARABIC_SHARE = 0.5
# Listing/tag pages: many links, most visible text is link text, and little prose survives extraction.
LISTING_MIN_LINKS = 25
LISTING_MIN_LINK_SHARE = 0.5
LISTING_MAX_PROSE_PARAGRAPHS = 2
# ...or it is a run of teasers: leads cut off with an ellipsis.
LISTING_MIN_TEASERS = 3
_SENTENCE_END = re.compile(r"[.!؟?:\"”»)]\s*$")
_TEASER_END = re.compile(r"(…|\.\.\.?)\s*$")


def _prose_paragraphs(paragraphs: list[str], rules: RuleSet) -> int:
    limit = rules.settings.prose_min_words
    return sum(1 for p in paragraphs if len(p.split()) >= limit and _SENTENCE_END.search(p))


def _finish(
    cleaning: TextCleaning,
    *,
    language_expected: str | None,
    declared_language: str | None,
    published_at: dt.datetime | None,
    authors: list[str],
    canonical_url: str | None,
    encoding: str | None,
    removed: list[str],
) -> CleanedArticle:
    body = "\n\n".join(cleaning.paragraphs)
    if not body.strip():
        raise Rejected("empty", "no article text left after removing page furniture")
    detected, share = detect_language_with_share(body)
    if language_expected == "ar" and share < MIN_ARABIC_SHARE:
        raise Rejected("not_arabic", f"Arabic letters are {share:.0%} of the text (language {detected})")
    normalized = cleaning.body_normalized()
    return CleanedArticle(
        title=cleaning.title,
        body=body,
        body_normalized=normalized,
        published_at=published_at or cleaning.dateline_date,
        authors=authors,
        language=detected or declared_language,
        canonical_url=canonical_url,
        content_hash=content_hash(normalized),
        encoding=encoding,
        removed=removed + cleaning.removed,
    )


def clean_html(
    page: str | bytes,
    *,
    url: str | None = None,
    source: Source | None = None,
    declared_encoding: str | None = None,
    max_bytes: int = 5_000_000,
) -> CleanedArticle:
    """Clean one HTML page: decode, parse once, extract the article and its metadata, apply the text rules.

    Raises `Rejected` (reason `too_large`, `undecodable`, `not_html`, `empty`, `listing_page`,
    `not_arabic`) for pages that are not an article to store.
    """
    refuse_too_large(page, max_bytes)
    encoding: str | None = None
    if isinstance(page, bytes):
        page, encoding = decode_page(page, declared_encoding)
    if not page.strip():
        raise Rejected("empty", "the page is empty")
    if not html_text.looks_like_html(page):
        raise Rejected("not_html", "no HTML markup in the page")
    tree = html_text.parse(page)
    if tree is None:
        raise Rejected("not_html", "the page does not parse as HTML")
    selectors = source.selectors if source else None
    removed: list[str] = []

    facts = metadata.PageFacts(tree)  # <meta> and JSON-LD read once for all the metadata below
    title = metadata.title_of(tree, selectors.title if selectors else None, facts)
    published, date_origin = metadata.published_at(tree, url, selectors.published if selectors else None, facts)
    rules = load_rules((source.language if source else None) or "ar")
    if published is None:
        published = metadata.worded_date(tree, rules.months)
        date_origin = "worded-date" if published else date_origin
    removed.append(f"date:{date_origin}")
    authors = metadata.authors_of(tree, selectors.author if selectors else None, facts)
    canonical = metadata.canonical_url_of(tree, url, facts)
    declared_language = metadata.declared_language(tree, facts)

    if selectors and selectors.remove:
        count = html_text.remove_selected(tree, selectors.remove)
        if count:
            removed.append(f"selector_remove:{count}")
    extracted = html_text.main_text(tree, url, selectors.body if selectors else None)
    removed.append(f"extract:{extracted.method}")
    if not extracted.text.strip():
        raise Rejected("empty", "no main text found in the page")

    language = (source.language if source else None) or declared_language or detect_language(extracted.text) or "ar"
    rules = load_rules(language)
    cleaning = clean_lines(extracted.text, rules, title=title, detect_title=title is None)

    prose = _prose_paragraphs(cleaning.paragraphs, rules)
    teasers = sum(1 for line in extracted.text.splitlines() if _TEASER_END.search(line))
    # The link census walks the whole tree: only pages that already look thin pay for it.
    suspicious = prose <= LISTING_MAX_PROSE_PARAGRAPHS or teasers >= LISTING_MIN_TEASERS
    # A page that declares itself one article keeps a short story framed by many links (a wire
    # story on a busy template): losing a real article is worse than storing a thin page.
    suspicious = suspicious and not (prose >= 1 and metadata.declares_article(tree, facts))
    profile = html_text.link_profile(tree) if suspicious else None
    if (
        profile is not None
        and profile.links >= LISTING_MIN_LINKS
        and (
            (profile.link_share >= LISTING_MIN_LINK_SHARE and prose <= LISTING_MAX_PROSE_PARAGRAPHS)
            or teasers >= LISTING_MIN_TEASERS
        )
    ):
        raise Rejected(
            "listing_page",
            f"{profile.links} links, {profile.link_share:.0%} of the text is link text, "
            f"{prose} prose paragraphs, {teasers} truncated teasers",
        )
    return _finish(
        cleaning,
        language_expected=source.language if source else None,
        declared_language=declared_language,
        published_at=published,
        authors=authors,
        canonical_url=canonical,
        encoding=encoding,
        removed=removed,
    )


def refuse_too_large(page: str | bytes, max_bytes: int) -> None:
    """Raise `Rejected("too_large")` for a page or text over `max_bytes` (UTF-8 bytes for text)."""
    size = len(page) if isinstance(page, bytes) else len(page.encode("utf-8", "surrogatepass"))
    if size > max_bytes:
        raise Rejected("too_large", f"{size} bytes, the cap is {max_bytes}")


def clean_text(
    text: str, *, title: str | None = None, language: str = "ar", url: str | None = None, max_bytes: int = 5_000_000
) -> CleanedArticle:
    """Clean page text (copied off a page or pasted): boilerplate rules, title, a dateline's date.

    With `title` given, its repeats are removed; otherwise a headline line at the top is taken
    as the title. Raises `Rejected("too_large")` over `max_bytes` (the cap of HTML pages),
    `Rejected("empty")` when nothing remains and `Rejected("not_arabic")` for non-Arabic text
    when `language` is "ar".
    """
    refuse_too_large(text, max_bytes)
    if not text or not text.strip():
        raise Rejected("empty", "the text is empty")
    cleaning = clean_lines(text, load_rules(language), title=title, detect_title=title is None)
    canonical = None
    if url:
        try:
            canonical = canonicalize_url(url)
        except InvalidURL:
            canonical = None
    return _finish(
        cleaning,
        language_expected=language,
        declared_language=None,
        published_at=None,
        authors=[],
        canonical_url=canonical,
        encoding=None,
        removed=[],
    )
