"""Article metadata from a parsed page: title, the article's own publication date, authors, URL, language.

Everything reads the one lxml tree the caller parsed. The date is the article's own: the
configured selector, then `<meta>` (article:published_time and kin), JSON-LD `datePublished`,
`<time>` elements marked as publication, then htmldate in its non-extensive mode (header markup,
then the URL). htmldate's extensive text search is not used: on news pages it picks the date in
the site header (the day of the visit) or a copyright year as often as the article's date.
"""

from __future__ import annotations

import datetime as dt
import json
import re
from collections.abc import Iterator
from copy import deepcopy
from urllib.parse import urljoin

import lxml.html
from htmldate import find_date
from lxml.html import HtmlElement

from rasad.cleaning.rules import date_from_match
from rasad.urls import InvalidURL, canonicalize_url

_PUBLISHED_META = (
    "article:published_time",
    "og:published_time",
    "og:article:published_time",
    "datepublished",
    "publishdate",
    "publish-date",
    "publish_date",
    "pubdate",
    "article.published",
    "parsely-pub-date",
    "sailthru.date",
    "dc.date.issued",
    "dcterms.created",
    "dc.date",
    "date",
    "cxenseparse:recs:publishtime",
)
_AUTHOR_META = ("author", "article:author", "dc.creator", "parsely-author", "sailthru.author", "byl")
_ARTICLE_TYPES = {
    "newsarticle",
    "article",
    "reportagenewsarticle",
    "blogposting",
    "analysisnewsarticle",
    "opinionnewsarticle",
    "backgroundnewsarticle",
    "webpage",
    "liveblogposting",
    "report",
}
_TITLE_SEPARATORS = re.compile(r"\s+[|–—:-]\s+|\s+-\s+|\s*\|\s*")
_ISO_LIKE = re.compile(r"(19|20)\d\d-\d\d-\d\d")
_EARLIEST = dt.datetime(1995, 1, 1, tzinfo=dt.UTC)
_BIDI = re.compile(r"[\u200e\u200f\u202a-\u202e\u2066-\u2069\ufeff]")


def _squash(text: str) -> str:
    """Visible text on one line: bidi controls removed, whitespace folded."""
    return " ".join(_BIDI.sub("", text).split())


def _meta_map(tree: HtmlElement) -> dict[str, str]:
    """First content of each <meta> by lower-cased property/name/itemprop."""
    found: dict[str, str] = {}
    for meta in tree.iterfind(".//meta"):
        content = meta.get("content")
        if not content:
            continue
        for attr in ("property", "name", "itemprop"):
            key = meta.get(attr)
            if key:
                found.setdefault(key.strip().lower(), content.strip())
    return found


def json_ld_objects(tree: HtmlElement) -> Iterator[dict]:
    """Every JSON object of the page's JSON-LD scripts, @graph members included."""
    for script in tree.iterfind('.//script[@type="application/ld+json"]'):
        try:
            data = json.loads(script.text or "")
        except (ValueError, TypeError):
            continue
        stack = [data]
        while stack:
            item = stack.pop()
            if isinstance(item, list):
                stack.extend(item)
            elif isinstance(item, dict):
                yield item
                if "@graph" in item:
                    stack.append(item["@graph"])


class PageFacts:
    """The `<meta>` map and JSON-LD objects of one tree, read once and shared by the metadata functions."""

    def __init__(self, tree: HtmlElement) -> None:
        self.tree = tree
        self._meta: dict[str, str] | None = None
        self._ld: list[dict] | None = None

    @property
    def meta(self) -> dict[str, str]:
        """`_meta_map(tree)`, computed on first use."""
        if self._meta is None:
            self._meta = _meta_map(self.tree)
        return self._meta

    @property
    def json_ld(self) -> list[dict]:
        """`list(json_ld_objects(tree))`, computed on first use."""
        if self._ld is None:
            self._ld = list(json_ld_objects(self.tree))
        return self._ld


def _meta(tree: HtmlElement, facts: PageFacts | None) -> dict[str, str]:
    return facts.meta if facts is not None and facts.tree is tree else _meta_map(tree)


def _ld(tree: HtmlElement, facts: PageFacts | None) -> Iterator[dict] | list[dict]:
    return facts.json_ld if facts is not None and facts.tree is tree else json_ld_objects(tree)


def _types(obj: dict) -> set[str]:
    kind = obj.get("@type")
    kinds = kind if isinstance(kind, list) else [kind]
    return {str(k).lower() for k in kinds if k}


def parse_datetime(value: str | None) -> dt.datetime | None:
    """Parse an ISO-8601-ish timestamp; naive times are taken as UTC, a bare date as midnight UTC."""
    if not value:
        return None
    value = value.strip()
    match = _ISO_LIKE.search(value)
    if not match:
        return None
    candidate = value[match.start() :]
    for text in (candidate, candidate[:25], candidate[:19], candidate[:16], candidate[:10]):
        try:
            parsed = dt.datetime.fromisoformat(text.replace(" ", "T", 1) if len(text) > 10 else text)
        except ValueError:
            continue
        if parsed.tzinfo is None:
            parsed = parsed.replace(tzinfo=dt.UTC)
        if _EARLIEST <= parsed <= dt.datetime.now(dt.UTC) + dt.timedelta(days=2):
            return parsed
        return None
    return None


def _select(tree: HtmlElement, css: str | None) -> list[HtmlElement]:
    if not css:
        return []
    try:
        return tree.cssselect(css)
    except Exception:  # an invalid selector in the sources file must not stop cleaning
        return []


def published_at(
    tree: HtmlElement, url: str | None, selector: str | None = None, facts: PageFacts | None = None
) -> tuple[dt.datetime | None, str]:
    """The article's own publication time and where it came from (for `removed`/debugging)."""
    for element in _select(tree, selector):
        for value in (element.get("datetime"), element.get("content"), element.text_content()):
            parsed = parse_datetime(value)
            if parsed:
                return parsed, "selector"
    meta = _meta(tree, facts)
    for key in _PUBLISHED_META:
        parsed = parse_datetime(meta.get(key))
        if parsed:
            return parsed, f"meta:{key}"
    for obj in _ld(tree, facts):
        if _types(obj) & _ARTICLE_TYPES or "datePublished" in obj:
            parsed = parse_datetime(obj.get("datePublished") if isinstance(obj.get("datePublished"), str) else None)
            if parsed:
                return parsed, "json-ld"
    for element in tree.xpath(
        './/time[@itemprop="datePublished" or @pubdate or contains(@class, "publish")][@datetime]'
        '|.//*[@itemprop="datePublished"][@content or @datetime]'
    ):
        parsed = parse_datetime(element.get("datetime") or element.get("content"))
        if parsed:
            return parsed, "time-element"
    # htmldate reads only the <head> (its meta-tag and JSON-LD knowledge, then the URL): handing it
    # the whole tree costs a deep copy and a pruning pass for body heuristics we do not want.
    found = find_date(
        _head_document(tree),
        extensive_search=False,
        original_date=True,
        url=url,
        deferred_url_extractor=True,
    )
    parsed = parse_datetime(found)
    if parsed:
        return parsed, "htmldate"
    parsed = url_date(url)
    if parsed:
        return parsed, "url"
    return None, "none"


# Elements whose class says they hold the article's date ("post-date", "entry-meta", "article-time"),
# inside the article (or after its headline): a date line above the headline is the day of the visit.
_DATE_CLASS = (
    '[contains(@class, "date") or contains(@class, "time") or contains(@class, "publish")'
    ' or contains(@class, "meta")][not(ancestor::header) and not(ancestor::footer) and not(ancestor::nav)]'
)
_DATE_ELEMENTS_IN_ARTICLE = "(//article|//main)//*" + _DATE_CLASS
_DATE_ELEMENTS_AFTER_HEADLINE = "//h1[1]/following::*" + _DATE_CLASS
_WORDED_DATE = re.compile(
    r"(?P<day>\d{1,2})\s+(?P<month_name>[^\d\s/]+(?:\s[^\d\s/]+)?)\s*(?:/\s*[^\d\s]+\s*)?(?P<year>(?:19|20)\d\d)"
)


def worded_date(tree: HtmlElement, months: dict[str, int]) -> dt.datetime | None:
    """A date spelled with a month name ("12 جانفي 2023") in an element marked as a date, or None.

    The fallback when the page's markup gives no date: `months` maps month names (as `line_key` folds
    them) to numbers, so Maghrebi, Levantine and Egyptian names all read. Elements in the page header,
    footer, navigation and anything above the headline are skipped (they show the day of the visit).
    """
    elements = tree.xpath(_DATE_ELEMENTS_IN_ARTICLE) or tree.xpath(_DATE_ELEMENTS_AFTER_HEADLINE)
    for element in elements[:60]:
        text = element.text_content()
        if len(text) > 120:
            continue
        for match in _WORDED_DATE.finditer(text):
            found = date_from_match(match, months)
            if found is not None:
                return found
    return None


_NEWS_TYPES = _ARTICLE_TYPES - {"webpage"}


def declares_article(tree: HtmlElement, facts: PageFacts | None = None) -> bool:
    """Whether the page's own markup says it is one article (og:type, JSON-LD type, itemprop=articleBody)."""
    if _meta(tree, facts).get("og:type", "").strip().lower() == "article":
        return True
    if any(_types(obj) & _NEWS_TYPES for obj in _ld(tree, facts)):
        return True
    return bool(tree.xpath('.//*[@itemprop="articleBody"]'))


def _head_document(tree: HtmlElement) -> HtmlElement:
    """A new `<html>` with a copy of the page's `<head>` and an empty `<body>` (no serialize and re-parse)."""
    document = lxml.html.Element("html")
    head = tree.find(".//head")
    if head is not None:
        copied = deepcopy(head)
        copied.tail = None
        document.append(copied)
    else:
        lxml.html.etree.SubElement(document, "head")
    lxml.html.etree.SubElement(document, "body")
    return document


_URL_DATE = re.compile(
    r"/(?P<year>(?:19|20)\d\d)/(?:[a-z_\-]+/)?(?P<month>\d{1,2})/(?P<day>\d{1,2})(?:/|$)"
    r"|/(?P<y2>(?:19|20)\d\d)-?(?P<m2>\d\d)-?(?P<d2>\d\d)(?:[/_\-]|$)"
)


def url_date(url: str | None) -> dt.datetime | None:
    """A date spelled in the URL path (/2023/8/3/, /2023/middle_east/8/3/, /2023-08-03), midnight UTC."""
    if not url:
        return None
    match = _URL_DATE.search(url.split("?")[0])
    if not match:
        return None
    year = match.group("year") or match.group("y2")
    month = match.group("month") or match.group("m2")
    day = match.group("day") or match.group("d2")
    try:
        parsed = dt.datetime(int(year), int(month), int(day), tzinfo=dt.UTC)
    except ValueError:
        return None
    return parsed if _EARLIEST <= parsed <= dt.datetime.now(dt.UTC) else None


def _clean_title(title: str, site_name: str | None) -> str:
    title = _squash(title)
    parts = _TITLE_SEPARATORS.split(title)
    if len(parts) > 1:
        # "<headline> - <site>": keep the longest part unless a part is the site name
        if site_name:
            parts = [p for p in parts if p.strip().lower() != site_name.strip().lower()] or parts
        longest = max(parts, key=len)
        if len(longest) >= 0.4 * len(title):
            return longest.strip()
    return title


def title_of(tree: HtmlElement, selector: str | None = None, facts: PageFacts | None = None) -> str | None:
    """The headline: selector, og:title, JSON-LD headline, the single <h1>, then <title> minus the site name.

    A candidate that is only the site's name (a page without a headline of its own) is no title.
    """
    for element in _select(tree, selector):
        text = _squash(element.text_content())
        if text:
            return text
    meta = _meta(tree, facts)
    site = meta.get("og:site_name") or meta.get("application-name")
    candidates = [_clean_title(meta[key], site) for key in ("og:title", "twitter:title") if meta.get(key)]
    for obj in _ld(tree, facts):
        headline = obj.get("headline")
        if isinstance(headline, str) and headline.strip():
            candidates.append(_squash(headline))
    h1s = [_squash(h.text_content()) for h in tree.iterfind(".//h1")]
    h1s = [h for h in h1s if len(h.split()) >= 3]
    if len(h1s) == 1:
        candidates.append(h1s[0])
    title = tree.findtext(".//title")
    if title and title.strip():
        candidates.append(_clean_title(title, site))
    for candidate in candidates:
        if len(candidate.split()) >= 2 and (not site or candidate.lower() != _squash(site).lower()):
            return candidate
    return None


def _names(value: object) -> Iterator[str]:
    if isinstance(value, str):
        yield value
    elif isinstance(value, dict):
        if str(value.get("@type", "")).lower() != "organization":
            yield from _names(value.get("name"))
    elif isinstance(value, list):
        for item in value:
            yield from _names(item)


def authors_of(tree: HtmlElement, selector: str | None = None, facts: PageFacts | None = None) -> list[str]:
    """Author names: selector, JSON-LD author, then author meta tags; URLs and duplicates dropped."""
    candidates: list[str] = [element.text_content() for element in _select(tree, selector)]
    if not candidates:
        for obj in _ld(tree, facts):
            if _types(obj) & _ARTICLE_TYPES:
                candidates.extend(_names(obj.get("author")))
    if not candidates:
        meta = _meta(tree, facts)
        candidates = [meta[key] for key in _AUTHOR_META if key in meta]
    authors: list[str] = []
    for raw in candidates:
        for name in re.split(r"\s*(?:,|،| و | and )\s*", " ".join(raw.split())):
            name = re.sub(r"^(بقلم|كتب|كتبت|by)\s*:?\s*", "", name, flags=re.IGNORECASE).strip()
            if name and "://" not in name and "@" not in name and len(name) <= 60 and name not in authors:
                authors.append(name)
    return authors


def canonical_url_of(tree: HtmlElement, url: str | None, facts: PageFacts | None = None) -> str | None:
    """The page's canonical URL (link rel=canonical, og:url, else the fetched URL), canonicalized."""
    candidates = [link.get("href") for link in tree.xpath('.//link[@rel="canonical"][@href]')]
    candidates.append(_meta(tree, facts).get("og:url"))
    candidates.append(url)
    for candidate in candidates:
        if not candidate:
            continue
        absolute = urljoin(url, candidate.strip()) if url else candidate.strip()
        try:
            return canonicalize_url(absolute)
        except InvalidURL:
            continue
    return None


def declared_language(tree: HtmlElement, facts: PageFacts | None = None) -> str | None:
    """The two-letter language the page declares (<html lang>, content-language, og:locale)."""
    meta = _meta(tree, facts)
    root = tree.getroottree().getroot()
    for value in (root.get("lang"), root.get("xml:lang"), meta.get("content-language"), meta.get("og:locale")):
        if value and re.match(r"^[a-zA-Z]{2}\b", value.strip()):
            return value.strip()[:2].lower()
    http_equiv = tree.xpath(
        './/meta[translate(@http-equiv,"CONTENTLANGUAGE","contentlanguage")="content-language"]/@content'
    )
    if http_equiv and re.match(r"^[a-zA-Z]{2}\b", http_equiv[0].strip()):
        return http_equiv[0].strip()[:2].lower()
    return None
