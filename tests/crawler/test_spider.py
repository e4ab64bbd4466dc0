"""The generic spider's discovery logic on hand-made responses (no network)."""

from __future__ import annotations

import asyncio
import gzip
from datetime import UTC, datetime, timedelta

import pytest
from scrapy import Request
from scrapy.http import HtmlResponse, Response, TextResponse, XmlResponse
from scrapy.utils.test import get_crawler
from twisted.internet.error import DNSLookupError
from twisted.python.failure import Failure

from crawler.items import RawPageItem
from crawler.spiders.news import NewsSpider
from db.fetch_state import Discovery
from rasad.sources import Source

BASE = "https://www.syria.tv/"


def make_spider(known: set[str] | None = None, discovered: dict | None = None, **config) -> NewsSpider:
    source = Source(id="syriatv", name="Syria TV", base_url=BASE, **config)
    crawler = get_crawler(NewsSpider)
    spider = NewsSpider.from_crawler(crawler, source=source, known_urls=known or set(), discovered=discovered)
    crawler.spider = spider
    crawler.stats.open_spider()
    return spider


def tied(response: Response) -> Response:
    """Attach a request, as Scrapy does, so `response.meta` works."""
    response.request = Request(response.url)
    return response


def urls(results) -> list[str]:
    return [r.url for r in results if isinstance(r, Request)]


def html(url: str, body: str) -> HtmlResponse:
    return HtmlResponse(url, body=body.encode(), encoding="utf-8", headers={"Content-Type": "text/html; charset=utf-8"})


HOME = """<html><head>
<link rel="alternate" type="application/rss+xml" title="RSS" href="/rss.xml">
<link rel="alternate" hreflang="en" href="https://en.syria.tv/">
</head><body>
<a href="/news/%D8%AA%D8%B1%D9%83%D9%8A%D8%A7-%D9%88%D8%B3%D9%88%D8%B1%D9%8A%D8%A7">a</a>
<a href="/about">about</a>
<a href="https://elsewhere.example/news/2024/123456">offsite</a>
</body></html>"""


def test_home_discovers_feeds_and_articles() -> None:
    spider = make_spider(article_pattern=r"^news/")
    found = urls(spider.parse_home(html(BASE, HOME)))
    assert "https://www.syria.tv/rss.xml" in found
    assert any(u.startswith("https://www.syria.tv/news/") for u in found)
    assert not any("about" in u or "elsewhere" in u for u in found)


def test_configured_feeds_are_not_rediscovered() -> None:
    spider = make_spider(feeds=["feed"], article_pattern=r"^news/")
    assert "https://www.syria.tv/rss.xml" not in urls(spider.parse_home(html(BASE, HOME)))


RSS = """<?xml version="1.0" encoding="UTF-8"?><rss version="2.0"><channel><title>x</title>
<item><title>one</title><link>https://www.syria.tv/news/one?utm_source=rss</link></item>
<item><title>two</title><link>https://www.syria.tv/news/two</link></item>
<item><title>dup</title><link>https://www.syria.tv/news/two#top</link></item>
</channel></rss>"""


def test_feed_entries_are_canonicalized_deduplicated_and_known_skipped() -> None:
    spider = make_spider(known={"https://www.syria.tv/news/two"})
    response = XmlResponse(BASE + "rss.xml", body=RSS.encode())
    requests = list(spider.parse_feed(tied(response)))
    assert [r.meta["canonical"] for r in requests] == ["https://www.syria.tv/news/one"]
    assert spider.crawler.stats.get_value("rasad/skipped_known") == 1


def test_feed_that_is_not_xml_is_recorded() -> None:
    spider = make_spider()
    response = TextResponse(BASE + "rss.xml", body=b"<html><body>Oops</body></html>", encoding="utf-8")
    assert list(spider.parse_feed(tied(response))) == []
    assert spider.failures[0]["kind"] == "feed_not_xml"


SITEMAP_INDEX = f"""<?xml version="1.0"?><sitemapindex xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">
<sitemap><loc>{BASE}sitemap-1.xml</loc></sitemap><sitemap><loc>https://other.example/s.xml</loc></sitemap>
</sitemapindex>"""
NEWS_SITEMAP = f"""<?xml version="1.0"?><urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9"
 xmlns:news="http://www.google.com/schemas/sitemap-news/0.9">
<url><loc>{BASE}news/a</loc><news:news><news:publication_date>2024-06-17</news:publication_date></news:news></url>
<url><loc>{BASE}news/b</loc></url></urlset>"""


def test_sitemap_index_follows_own_children_only() -> None:
    spider = make_spider()
    found = urls(spider.parse_sitemap(tied(XmlResponse(BASE + "sitemap.xml", body=SITEMAP_INDEX.encode()))))
    assert found == [BASE + "sitemap-1.xml"]


def test_news_sitemap_and_gzip() -> None:
    spider = make_spider()
    response = Response(BASE + "sitemap-1.xml.gz", body=gzip.compress(NEWS_SITEMAP.encode()))
    assert urls(spider.parse_sitemap(tied(response))) == [BASE + "news/a", BASE + "news/b"]


@pytest.mark.parametrize("body", [b"<html>not a sitemap", b"\x1f\x8b broken gzip", b"plain text"])
def test_bad_sitemaps_are_recorded(body: bytes) -> None:
    spider = make_spider()
    assert list(spider.parse_sitemap(tied(Response(BASE + "sitemap.xml", body=body)))) == []
    assert spider.failures and spider.failures[0]["kind"] == "sitemap_not_xml"


def test_robots_sitemaps_are_filtered_to_the_outlet() -> None:
    spider = make_spider()
    robots = f"User-agent: *\nDisallow: /admin\nSitemap: {BASE}sitemap.xml\nSitemap: https://x.example/s.xml\n"
    found = urls(spider.parse_robots(TextResponse(BASE + "robots.txt", body=robots.encode(), encoding="utf-8")))
    assert found == [BASE + "sitemap.xml"]


def test_article_page_becomes_raw_item() -> None:
    spider = make_spider()
    request = Request(BASE + "news/a?x=1", meta={"canonical": BASE + "news/a?x=1", "via": "feed"})
    response = html(BASE + "news/a?x=1", "<html><body><p>خبر</p></body></html>")
    response.request = request
    (item,) = list(spider.parse_article(response))
    assert isinstance(item, RawPageItem)
    assert item.declared_encoding == "utf-8" and item.discovered_via == "feed" and item.http_status == 200


def test_non_html_article_is_recorded_not_stored() -> None:
    spider = make_spider()
    request = Request(BASE + "news/img", meta={"canonical": BASE + "news/img"})
    response = Response(BASE + "news/img", body=b"\x89PNG....", headers={"Content-Type": "image/png"}, request=request)
    assert list(spider.parse_article(response)) == []
    assert spider.failures[0]["kind"] == "not_html"


def test_article_cap() -> None:
    spider = make_spider()
    spider.max_articles = 1
    assert spider._article_request(BASE + "news/1", via="feed") is not None
    assert spider._article_request(BASE + "news/2", via="feed") is None
    assert spider.crawler.stats.get_value("rasad/capped") == 1


def _start(spider: NewsSpider) -> list[Request]:
    async def collect() -> list[Request]:
        return [request async for request in spider.start()]

    return asyncio.run(collect())


def test_feed_first_listings_wait_for_the_feed() -> None:
    spider = make_spider(feeds=["feed"], listing_pages=["section/politics"], article_pattern=r"^news/")
    first = _start(spider)
    assert [r.meta["via"] for r in first] == ["feed", "robots"]  # no listing page yet
    feed = HtmlResponse(BASE + "feed", body=RSS.encode(), encoding="utf-8")
    feed.request = first[0]
    robots = HtmlResponse(BASE + "robots.txt", body=b"User-agent: *", encoding="utf-8")
    robots.request = first[1]
    found = list(spider.parse_feed(feed)) + list(spider.parse_robots(robots))
    assert {r.meta["via"] for r in found} >= {"feed", "listing", "home"}  # new articles: the listings too


def test_feed_first_stops_at_a_feed_with_nothing_new() -> None:
    known = {BASE + "news/one", BASE + "news/two"}
    spider = make_spider(known, feeds=["feed"], sitemaps=["sitemap.xml"], listing_pages=["section/politics"])
    first = _start(spider)
    assert [r.meta["via"] for r in first] == ["feed", "sitemap"]
    feed = HtmlResponse(BASE + "feed", body=RSS.encode(), encoding="utf-8")
    feed.request = first[0]
    assert list(spider.parse_feed(feed)) == []
    failed = spider.on_error(_failure(first[1]))  # the sitemap is down, but the feed worked
    assert failed == [] and spider.crawler.stats.get_value("rasad/listings_skipped") == 2


def test_listings_are_read_when_no_feed_works() -> None:
    spider = make_spider(feeds=["feed"], sitemaps=["sitemap.xml"], listing_pages=["section/politics"])
    first = _start(spider)
    fallback = spider.on_error(_failure(first[0])) + spider.on_error(_failure(first[1]))
    assert [r.meta["via"] for r in fallback] == ["listing", "home"]


def _failure(request: Request) -> Failure:
    failure = Failure(DNSLookupError("no such host"))
    failure.request = request  # type: ignore[attr-defined]
    return failure


def _named(hours_ago: float) -> dict[str, Discovery]:
    at = datetime.now(UTC) - timedelta(hours=hours_ago)
    return {BASE + "rss.xml": Discovery("feed", at), BASE + "sitemap-news.xml": Discovery("sitemap", at)}


def test_a_feed_and_sitemap_the_outlet_named_are_read_first_and_the_home_page_waits() -> None:
    spider = make_spider(discovered=_named(2), listing_pages=["section/politics"])
    first = _start(spider)
    assert [(r.meta["via"], r.url) for r in first] == [
        ("feed", BASE + "rss.xml"),
        ("sitemap", BASE + "sitemap-news.xml"),
    ]
    assert "If-None-Match" not in first[0].headers and first[0].meta["validator_key"] == BASE + "rss.xml"
    fallback = spider.on_error(_failure(first[0])) + spider.on_error(_failure(first[1]))
    assert [r.meta["via"] for r in fallback] == ["listing", "home"]  # neither worked: the home page is read
    assert spider.discoveries_to_save() == ({}, True)  # ... and both are forgotten: looked for again next time


def test_the_home_page_and_robots_are_read_again_once_a_day() -> None:
    spider = make_spider(discovered=_named(25), article_pattern=r"^news/")
    first = _start(spider)
    assert sorted(r.meta["via"] for r in first) == ["home", "robots"]
    home, robots = sorted(first, key=lambda r: r.meta["via"])
    found = list(spider.parse_home(tied(html(home.url, HOME))))
    sitemaps = list(spider.parse_robots(tied(TextResponse(robots.url, body=b"Sitemap: https://www.syria.tv/s.xml"))))
    assert BASE + "rss.xml" in urls(found) and urls(sitemaps) == [BASE + "s.xml"]
    # the sitemap robots.txt no longer names is forgotten; the feed the home page names is kept
    assert spider.discoveries_to_save() == ({BASE + "rss.xml": "feed", BASE + "s.xml": "sitemap"}, True)


def test_what_the_outlet_named_does_not_add_requests_beside_a_configured_feed() -> None:
    spider = make_spider(discovered=_named(2), feeds=["feed"])
    assert [(r.meta["via"], r.url) for r in _start(spider)] == [("feed", BASE + "feed")]  # no sitemap, no robots
    stale = make_spider(discovered=_named(25), feeds=["feed"])
    assert [r.meta["via"] for r in _start(stale)] == ["feed", "robots"]  # once a day robots.txt is read again
