"""Articles served by the fixture site: the seed segmentations in `content/` and published ones.

A seed file (`content/NNN_<outlet>.yaml`) holds the article's URL path, title, `published` (an ISO
date or datetime, or null where the seed page states none), `body` blocks and the outlet-specific
boilerplate the page template places around the body (comments, tag cloud, appended article, ...).
Body blocks are one-key mappings: `p` (paragraph), `h` (in-body subheading), `ad` (an ad slot id)
and `read_also` (a 'read also' link line inside the body).
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from datetime import UTC, date, datetime, time
from pathlib import Path
from typing import Any

import yaml

CONTENT_DIR = Path(__file__).parent / "content"

Published = date | datetime | None


@dataclass
class Article:
    """One article page of one outlet."""

    outlet: str
    path: str  # relative to the outlet prefix, not percent-encoded
    title: str | None
    published: Published
    body: list[dict[str, str]]
    section: str = ""
    article_id: str | None = None
    extra: dict[str, Any] = field(default_factory=dict)
    seed: str | None = None
    seq: int = 0  # publication order: 0 for seeds, then 1, 2, ... for published articles

    @property
    def paragraphs(self) -> list[str]:
        """The body's paragraph texts, in order."""
        return [block["p"] for block in self.body if "p" in block]

    @property
    def teaser_title(self) -> str:
        """The headline, or for a page without one the opening words of the body (for link texts)."""
        if self.title:
            return self.title
        words = (self.paragraphs or [""])[0].split()
        return " ".join(words[:12]) + ("…" if len(words) > 12 else "")

    @property
    def published_iso(self) -> str | None:
        """The publication date or datetime as the page's meta tags state it."""
        return None if self.published is None else self.published.isoformat()

    @property
    def published_datetime(self) -> datetime | None:
        """The publication moment for feeds and sitemaps; a bare date counts as its midnight UTC."""
        if self.published is None:
            return None
        if isinstance(self.published, datetime):
            return self.published
        return datetime.combine(self.published, time(0, 0), tzinfo=UTC)

    @property
    def published_date(self) -> date | None:
        """The calendar date of publication, as the outlet states it."""
        if isinstance(self.published, datetime):
            return self.published.date()
        return self.published

    def to_json(self) -> dict[str, Any]:
        """A JSON-ready dict (for `published.json`)."""
        data = asdict(self)
        data["published"] = self.published_iso
        return data

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> Article:
        """The inverse of `to_json`."""
        return cls(**{**data, "published": parse_published(data.get("published"))})


def parse_published(value: Any) -> Published:
    """An ISO date ('2023-04-25') or datetime ('2023-03-02T10:55:00+03:00'), or None."""
    if value is None or isinstance(value, datetime):
        return value
    if isinstance(value, date):
        return value
    text = str(value)
    return datetime.fromisoformat(text) if "T" in text else date.fromisoformat(text)


_ARTICLE_KEYS = {"outlet", "path", "title", "published", "body", "section", "article_id", "seed"}


def load_seed_articles(content_dir: Path = CONTENT_DIR) -> list[Article]:
    """The five seed articles, from their segmentation files."""
    articles = []
    for path in sorted(content_dir.glob("*.yaml")):
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
        known = {key: data[key] for key in _ARTICLE_KEYS if key in data}
        extra = {key: value for key, value in data.items() if key not in _ARTICLE_KEYS}
        known["published"] = parse_published(known.get("published"))
        articles.append(Article(**known, extra=extra))
    return articles
