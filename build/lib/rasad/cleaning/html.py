"""Main text of an HTML page from one parsed lxml tree: source selectors first, trafilatura behind."""

from __future__ import annotations

import re
from copy import deepcopy
from dataclasses import dataclass
from typing import Any

import lxml.html
from lxml.html import HtmlElement
from trafilatura import bare_extraction
from trafilatura.utils import load_html

# Measured on the cleaning fixtures (docs/cleaning.md): balanced mode keeps read-also headlines that
# precision mode drops (the text rules need them to spot appended articles); comments are never text.
TRAFILATURA_OPTIONS: dict[str, Any] = {"favor_precision": False, "include_comments": False, "include_tables": True}
# A configured body selector is trusted when its element holds at least this much text.
MIN_CONTAINER_CHARS = 200
_BLOCK_TAGS = {
    "p",
    "h1",
    "h2",
    "h3",
    "h4",
    "h5",
    "h6",
    "li",
    "blockquote",
    "pre",
    "td",
    "th",
    "dd",
    "dt",
    "figcaption",
    "div",
    "section",
    "article",
}
_DROP_IN_CONTAINER = "script|style|noscript|template|iframe|form|button|svg|nav|aside|footer"
_HTML_SNIFF = re.compile(r"<\s*(!doctype\s+html|html|head|body|div|p|article|main|meta|title|span|a)\b", re.I)


@dataclass(frozen=True)
class PageText:
    """The main text of a page and how it was found."""

    text: str
    method: str  # "selector" or "trafilatura"


@dataclass(frozen=True)
class LinkProfile:
    """How much of a page's visible text is link text: high on listing and tag pages."""

    links: int
    text_chars: int
    link_chars: int

    @property
    def link_share(self) -> float:
        """Share of visible characters that sit inside links."""
        return self.link_chars / self.text_chars if self.text_chars else 0.0


def looks_like_html(text: str) -> bool:
    """Whether the text has HTML markup near its start."""
    return _HTML_SNIFF.search(text[:65536]) is not None


def parse(text: str) -> HtmlElement | None:
    """Parse once; every later step reads this tree (XML declarations and odd markup tolerated)."""
    return load_html(text)


def remove_selected(tree: HtmlElement, selectors: list[str]) -> int:
    """Drop the elements matched by the source's `remove` selectors in place; return how many."""
    removed = 0
    for css in selectors:
        try:
            elements = tree.cssselect(css)
        except Exception:  # an invalid selector in the sources file must not stop cleaning
            continue
        for element in elements:
            parent = element.getparent()
            if parent is not None:
                element.drop_tree()
                removed += 1
    return removed


def _block_text(container: HtmlElement) -> str:
    """Paragraph text of a container: one line per innermost block element."""
    lines: list[str] = []
    for element in container.iter():
        if not isinstance(element.tag, str) or element.tag not in _BLOCK_TAGS:
            continue
        if any(isinstance(child.tag, str) and child.tag in _BLOCK_TAGS for child in element.iterdescendants()):
            # text directly inside a wrapper (div with bare text) still counts
            own = " ".join(t.strip() for t in [element.text or ""] + [c.tail or "" for c in element] if t.strip())
            if own:
                lines.append(own)
            continue
        text = " ".join(element.text_content().split())
        if text:
            lines.append(text)
    return "\n".join(lines)


def container_text(tree: HtmlElement, css: str | None, url: str | None) -> str | None:
    """Text of the source's body container when the selector matches enough text, else None."""
    if not css:
        return None
    try:
        matches = tree.cssselect(css)
    except Exception:
        return None
    if not matches:
        return None
    doc = lxml.html.fromstring("<html><body></body></html>")
    body = doc.find("body")
    for element in matches:
        body.append(deepcopy(element))
    for junk in doc.xpath("//" + "|//".join(_DROP_IN_CONTAINER.split("|"))):
        junk.drop_tree()
    raw = _block_text(body)
    if len(raw) < MIN_CONTAINER_CHARS:
        return None
    # trafilatura still removes share bars and embedded teasers inside the container; when it
    # keeps too little of a container the source vouches for, the container's own blocks win.
    extracted = bare_extraction(doc, url=url, favor_recall=True, include_comments=False)
    text = _text_of(extracted)
    return text if len(text) >= 0.6 * len(raw) else raw


def _text_of(extracted: object) -> str:
    """The main text of trafilatura's result (a Document, or a dict in `as_dict` mode), or ""."""
    if extracted is None:
        return ""
    if isinstance(extracted, dict):
        return str(extracted.get("text") or "")
    return str(getattr(extracted, "text", "") or "")


def main_text(tree: HtmlElement, url: str | None, body_selector: str | None = None) -> PageText:
    """The article's main text: the source's body container when it matches, else trafilatura."""
    text = container_text(tree, body_selector, url)
    if text:
        return PageText(text=text, method="selector")
    extracted = bare_extraction(tree, url=url, **TRAFILATURA_OPTIONS)
    text = _text_of(extracted)
    return PageText(text=restore_lead(tree, restore_subheadings(tree, text)), method="trafilatura")


# Where templates put the lead paragraph, outside the body container trafilatura picks.
_LEAD_XPATH = (
    "//*[self::p or self::div or self::h2 or self::span][contains(@class, 'lead') or contains(@class, 'summary')"
    " or contains(@class, 'excerpt') or contains(@class, 'intro') or contains(@class, 'standfirst')"
    " or contains(@class, 'subtitle') or contains(@class, 'sub-title') or contains(@class, 'brief')]"
    "[not(ancestor::header) and not(ancestor::footer) and not(ancestor::nav) and not(ancestor::aside)]"
)
_LEAD_MIN_WORDS = 12


def restore_lead(tree: HtmlElement, text: str) -> str:
    """Put back a lead paragraph that sits outside the body container trafilatura kept.

    The lead is the first element marked as one (class lead, summary, intro, standfirst ...) whose
    text is a sentence of at least twelve words and is not already in the text; it opens the article.
    """
    if not text:
        return text
    folded = " ".join(text.split())
    for element in tree.xpath(_LEAD_XPATH)[:5]:
        lead = " ".join(element.text_content().split())
        if len(lead.split()) < _LEAD_MIN_WORDS or lead[:60] in folded:
            continue
        if element.xpath(".//a") and len(" ".join(element.xpath(".//a//text()")).split()) * 2 > len(lead.split()):
            continue  # mostly link text: a teaser, not a lead
        return f"{lead}\n{text}"
    return text


def _start(text: str, size: int = 40) -> str:
    """`" ".join(text.split())[:size]`, without splitting all of a long text."""
    # The folded form of a prefix is a prefix of the folded form: once it is long enough, it decides.
    span = 2 * size
    while span < len(text):
        head = " ".join(text[:span].split())
        if len(head) >= size:
            return head[:size]
        span *= 4
    return " ".join(text.split())[:size]


def restore_subheadings(tree: HtmlElement, text: str) -> str:
    """Put back the h2-h4 subheadings trafilatura dropped between two paragraphs it kept.

    On some Drupal layouts trafilatura keeps every paragraph of the body but loses its
    subheadings; a heading whose previous and next sibling paragraphs both made it into the
    text is part of the article.
    """
    if not text:
        return text
    lines = text.split("\n")
    starts = {_start(line): index for index, line in enumerate(lines) if line.strip()}
    present = {" ".join(line.split()) for line in lines}
    inserts: list[tuple[int, str]] = []
    for heading in tree.iter("h2", "h3", "h4"):
        title = " ".join(heading.text_content().split())
        if not title or title in present:
            continue
        before, after = heading.getprevious(), heading.getnext()
        if before is None or after is None:
            continue
        # the cheap tests first: most headings fail on the paragraph after them
        after_start = _start(after.text_content())
        if not after_start:
            continue
        after_index = starts.get(after_start)
        if after_index is None or after_index <= 0:
            continue
        before_start = _start(before.text_content())
        if before_start and before_start in starts:
            inserts.append((after_index, title))
    for index, title in sorted(inserts, reverse=True):
        lines.insert(index, title)
    return "\n".join(lines)


def link_profile(tree: HtmlElement) -> LinkProfile:
    """Count links and the visible text inside and outside them (scripts and styles excluded)."""
    body = tree.find(".//body")
    root = body if body is not None else tree
    visible = "[not(ancestor::script or ancestor::style or ancestor::noscript or ancestor::template)]"
    text_chars = sum(len(t.strip()) for t in root.xpath(".//text()" + visible))
    link_chars = sum(len(t.strip()) for t in root.xpath(".//a//text()" + visible))
    return LinkProfile(links=len(root.xpath(".//a[@href]")), text_chars=text_chars, link_chars=link_chars)
