"""The cleaned article and the rejection raised for pages that are not articles."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field


@dataclass(frozen=True)
class CleanedArticle:
    """One article as stored: the exact article text, its normalized twin and its metadata."""

    title: str | None
    body: str  # original text, paragraphs separated by "\n\n"
    body_normalized: str  # normalize_arabic(body)
    published_at: dt.datetime | None  # timezone-aware when known; date-only -> midnight UTC
    authors: list[str]
    language: str | None
    canonical_url: str | None
    content_hash: str
    encoding: str | None  # which decoding was used, for bytes input
    removed: list[str] = field(default_factory=list)  # labels of the rules that fired


class Rejected(Exception):
    """A page that is not an article to store; `reason` is a short code, `detail` human text."""

    REASONS = frozenset({"empty", "listing_page", "not_arabic", "too_large", "undecodable", "not_html"})

    def __init__(self, reason: str, detail: str) -> None:
        if reason not in self.REASONS:
            raise ValueError(f"unknown rejection reason {reason!r}")
        super().__init__(f"{reason}: {detail}")
        self.reason = reason
        self.detail = detail
