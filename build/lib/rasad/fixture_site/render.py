"""Rendering of the fixture site's pages, feeds, sitemaps and robots.txt with Jinja2 templates.

Templates live in `templates/<outlet>/{home,listing,article}.html` (each extends the outlet's
`layout.html`, which extends `_shared/base.html`) and `templates/_shared/` for feeds and sitemaps.
"""

from __future__ import annotations

import json
from datetime import date, datetime, timedelta, timezone
from email.utils import format_datetime
from pathlib import Path
from typing import Any
from urllib.parse import quote

from jinja2 import Environment, FileSystemLoader, StrictUndefined, select_autoescape
from markupsafe import Markup

from rasad.fixture_site.content import Article
from rasad.fixture_site.outlets import OUTLETS, WP_CATEGORIES, OutletSite

TEMPLATES_DIR = Path(__file__).parent / "templates"

ARABIC_WEEKDAYS = ("الاثنين", "الثلاثاء", "الأربعاء", "الخميس", "الجمعة", "السبت", "الأحد")
ARABIC_MONTHS = (
    "يناير", "فبراير", "مارس", "أبريل", "مايو", "يونيو",
    "يوليو", "أغسطس", "سبتمبر", "أكتوبر", "نوفمبر", "ديسمبر",
)  # fmt: skip
DAMASCUS = timezone(timedelta(hours=3))


def alaraby_header_date(day: date) -> str:
    """The page-header date of alaraby.com, e.g. 'الجمعة 22 نوفمبر / November 2024'."""
    return f"{ARABIC_WEEKDAYS[day.weekday()]} {day.day} {ARABIC_MONTHS[day.month - 1]} / {day:%B %Y}"


def syriatv_dateline(article: Article) -> str:
    """syria.tv's dateline, e.g. '2023.03.02 | 10:55 دمشق' (the seed's own dateline where it has one)."""
    if article.extra.get("dateline"):
        return str(article.extra["dateline"])
    if isinstance(article.published, datetime):
        return f"{article.published.astimezone(DAMASCUS):%Y.%m.%d | %H:%M} دمشق"
    return f"{article.published:%Y.%m.%d}" if article.published else ""


def _rfc822(moment: datetime) -> str:
    return format_datetime(moment)


def _w3c(moment: datetime) -> str:
    return moment.isoformat()


def _json_ld(article: Article, url: str, site: OutletSite) -> Markup:
    data: dict[str, Any] = {
        "@context": "https://schema.org",
        "@type": "NewsArticle",
        "mainEntityOfPage": {"@type": "WebPage", "@id": url},
        "url": url,
        "inLanguage": "ar",
        "publisher": {"@type": "Organization", "name": site.name},
    }
    if article.title:
        data["headline"] = article.title
    if article.published_iso:
        data["datePublished"] = article.published_iso
    if article.section:
        data["articleSection"] = article.section
    # '</' inside a <script> would end it early.
    return Markup(json.dumps(data, ensure_ascii=False, indent=1).replace("</", "<\\/"))


class Renderer:
    """Renders every kind of response body for one request's host (absolute URLs use it)."""

    def __init__(self, root_url: str) -> None:
        self.root_url = root_url.rstrip("/")
        self.env = _environment()

    def outlet_base(self, outlet: str) -> str:
        """The absolute base URL of an outlet on this site, e.g. 'http://127.0.0.1:8765/orient/'."""
        return f"{self.root_url}/{outlet}/"

    def article_url(self, article: Article) -> str:
        """The absolute, percent-encoded URL of an article."""
        return self.outlet_base(article.outlet) + quote(article.path, safe="/")

    def _context(self, site: OutletSite, **extra: Any) -> dict[str, Any]:
        base = self.outlet_base(site.id)
        return {
            "site": site,
            "base": base,
            "root": self.root_url,
            "feed_url": base + site.feed_path,
            "sitemap_url": base + site.sitemap_path,
            "url_of": self.article_url,
            "today": date.today(),
            "header_date": alaraby_header_date(date.today()),
            **extra,
        }

    def home(self, site: OutletSite, articles: list[Article]) -> str:
        """The outlet's home page: chrome, latest articles and the feed's `<link rel=alternate>`."""
        return self.env.get_template(f"{site.id}/home.html").render(
            self._context(site, articles=articles, page_path="")
        )

    def listing(self, site: OutletSite, path: str, articles: list[Article]) -> str:
        """A section, tag or search page listing the outlet's articles, newest first."""
        return self.env.get_template(f"{site.id}/listing.html").render(
            self._context(site, articles=articles, page_path=path)
        )

    def article(self, site: OutletSite, article: Article, others: list[Article]) -> str:
        """An article page in the outlet's markup, with its boilerplate around the body."""
        url = self.article_url(article)
        return self.env.get_template(f"{site.id}/article.html").render(
            self._context(
                site,
                article=article,
                a=article,
                x=article.extra,
                others=[o for o in others if o is not article],
                canonical=url,
                json_ld=_json_ld(article, url, site),
                dateline=syriatv_dateline(article) if site.id == "syriatv" else "",
                page_path=article.path,
            )
        )

    def not_found(self, site: OutletSite | None, path: str) -> str:
        """A 404 page (in the outlet's chrome when the path lies under an outlet)."""
        if site is None:
            return self.env.get_template("_shared/not_found.html").render(path=path)
        return self.env.get_template(f"{site.id}/not_found.html").render(
            self._context(site, articles=[], page_path=path)
        )

    def index(self) -> str:
        """The site root: links to the five outlets (not part of any imitated site)."""
        return self.env.get_template("_shared/index.html").render(
            outlets=list(OUTLETS.values()), base_of=self.outlet_base
        )

    def feed(self, site: OutletSite, articles: list[Article]) -> str:
        """The outlet's RSS 2.0 or Atom feed."""
        name = "_shared/atom.xml" if site.feed_format == "atom" else "_shared/rss.xml"
        updated = max((a.published_datetime for a in articles if a.published_datetime), default=None)
        return self.env.get_template(name).render(self._context(site, articles=articles, updated=updated))

    def sitemap(self, site: OutletSite, articles: list[Article]) -> str:
        """The outlet's sitemap as robots.txt names it: urlset, Google News urlset or WordPress index."""
        if site.sitemap_format == "wp-index":
            return self.env.get_template("_shared/sitemap_index.xml").render(self._context(site))
        name = "_shared/sitemap_news.xml" if site.sitemap_format == "news" else "_shared/sitemap_urlset.xml"
        return self.env.get_template(name).render(self._context(site, articles=articles))

    def wp_posts_sitemap(self, site: OutletSite, articles: list[Article]) -> str:
        """WordPress's `wp-sitemap-posts-post-1.xml`: one `<url>` per post."""
        return self.env.get_template("_shared/sitemap_urlset.xml").render(
            self._context(site, articles=articles, wordpress=True)
        )

    def wp_categories_sitemap(self, site: OutletSite) -> str:
        """WordPress's category sitemap: category archive pages, which are not articles."""
        return self.env.get_template("_shared/sitemap_urlset.xml").render(
            self._context(site, articles=[], wordpress=True, plain_urls=[f"category/{c}/" for c in WP_CATEGORIES])
        )

    def robots(self) -> str:
        """robots.txt for the whole host: one `Sitemap:` line per outlet."""
        sitemaps = [self.outlet_base(s.id) + s.sitemap_path for s in OUTLETS.values()]
        return self.env.get_template("_shared/robots.txt").render(sitemaps=sitemaps)


def _environment() -> Environment:
    env = _ENV_CACHE.get("env")
    if env is None:
        env = Environment(
            loader=FileSystemLoader(TEMPLATES_DIR),
            autoescape=select_autoescape(["html", "xml"]),
            undefined=StrictUndefined,
            trim_blocks=True,
            lstrip_blocks=True,
            keep_trailing_newline=True,
        )
        env.filters["rfc822"] = _rfc822
        env.filters["w3c"] = _w3c
        env.filters["q"] = lambda text: quote(str(text), safe="")
        env.filters["qpath"] = lambda text: quote(str(text), safe="/")
        _ENV_CACHE["env"] = env
    return env


_ENV_CACHE: dict[str, Environment] = {}
