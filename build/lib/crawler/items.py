"""Items the spider yields."""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass
class RawPageItem:
    """A fetched article page, before any cleaning."""

    source_id: str
    url: str  # canonical URL: the key under which the page is stored
    fetched_url: str  # the URL actually fetched, after redirects
    http_status: int
    body: bytes
    content_type: str | None = None
    declared_encoding: str | None = None
    discovered_via: str | None = None  # feed, sitemap, listing, home
    headers: dict[str, str] = field(default_factory=dict)
