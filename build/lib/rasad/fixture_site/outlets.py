"""The URL layout of each imitated outlet under its `/{id}/` prefix on the fixture site."""

from __future__ import annotations

import re
import uuid
from dataclasses import dataclass
from datetime import date
from typing import Literal
from urllib.parse import quote

FeedFormat = Literal["rss", "atom"]
SitemapFormat = Literal["urlset", "news", "wp-index"]


@dataclass(frozen=True)
class OutletSite:
    """How one outlet lays out its home, feed, sitemap, listings and article URLs (paths are relative)."""

    id: str
    name: str
    feed_path: str
    feed_format: FeedFormat
    sitemap_path: str
    sitemap_format: SitemapFormat
    listing_patterns: tuple[str, ...]
    article_layout: str  # str.format template; fields: id, slug, date
    numeric_ids: bool = False
    min_slug_chars: int = 0  # the crawler's fallback article test wants a long path segment

    @property
    def feed_content_type(self) -> str:
        """The MIME type the feed is served (and announced in `<link rel=alternate>`) with."""
        return "application/atom+xml" if self.feed_format == "atom" else "application/rss+xml"

    def is_listing(self, path: str) -> bool:
        """Whether a relative path is one of this outlet's listing pages (sections, tags, search)."""
        return any(re.fullmatch(pattern, path) for pattern in self.listing_patterns)

    def article_path(self, slug: str, published: date, article_id: int | None) -> str:
        """The relative path of a new article, following the outlet's permalink structure."""
        if self.min_slug_chars and len(quote(slug)) < self.min_slug_chars:
            slug = f"{slug}-{published.isoformat()}-{uuid.uuid4().hex[:12]}"
        return self.article_layout.format(id=article_id, slug=slug, date=published)


OUTLETS: dict[str, OutletSite] = {
    site.id: site
    for site in (
        OutletSite(
            id="orient",
            name="أورينت نت",
            feed_path="rss",
            feed_format="rss",
            sitemap_path="sitemap.xml",
            sitemap_format="urlset",
            listing_patterns=(r"ar/news_category/\d+", r"ar/tag/[^/]+", r"ar"),
            article_layout="ar/news_show/{id}/{slug}",
            numeric_ids=True,
        ),
        OutletSite(
            id="arabi21",
            name="عربي21",
            feed_path="feed",
            feed_format="rss",
            sitemap_path="sitemap-news.xml",
            sitemap_format="news",
            listing_patterns=(r"section/[a-z-]+", r"tags/[^/]+", r"search"),
            article_layout="story/{id}/{slug}",
            numeric_ids=True,
        ),
        OutletSite(
            id="alaraby",
            name="التلفزيون العربي",
            feed_path="rss/atom.xml",
            feed_format="atom",
            sitemap_path="sitemap/news.xml",
            sitemap_format="news",
            listing_patterns=(r"politics", r"economy", r"society", r"sport", r"videos"),
            article_layout="news/{slug}",
        ),
        OutletSite(
            id="syriatv",
            name="تلفزيون سوريا",
            feed_path="rss.xml",
            feed_format="rss",
            sitemap_path="sitemap-news.xml",
            sitemap_format="news",
            listing_patterns=(r"category/[a-z-]+", r"live"),
            article_layout="news/{slug}",
            min_slug_chars=25,
        ),
        OutletSite(
            id="syrian-wp",
            name="وكالة ستيب الإخبارية",
            feed_path="feed/",
            feed_format="rss",
            sitemap_path="wp-sitemap.xml",
            sitemap_format="wp-index",
            listing_patterns=(r"category/[a-z-]+/", r"tag/[^/]+/"),
            article_layout="{date:%Y/%m/%d}/{slug}/",
        ),
    )
}

# The parts of the WordPress sitemap index of syrian-wp (served beside wp-sitemap.xml).
WP_POSTS_SITEMAP = "wp-sitemap-posts-post-1.xml"
WP_CATEGORIES_SITEMAP = "wp-sitemap-taxonomies-category-1.xml"
WP_CATEGORIES = ("news", "politics", "reports")

_SLUG_SEPARATORS = re.compile(r"[^\w\u064B-\u065F\u0670]+")


def slugify(text: str, max_words: int = 12) -> str:
    """An outlet-style slug: the words of `text` (Arabic kept as is) joined by '-'."""
    words = [w for w in _SLUG_SEPARATORS.split(text.lower()) if w and w != "_"]
    return "-".join(words[:max_words]) or "article"
