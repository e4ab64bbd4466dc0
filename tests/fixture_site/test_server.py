"""The local fixture site: discovery paths, feeds, sitemaps, seed pages, publishing and fault routes."""

from __future__ import annotations

import html
import json
import re
import time
import urllib.error
import urllib.request
import xml.etree.ElementTree as ET
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date
from email.message import Message
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import quote

import feedparser
import pytest
import yaml

from rasad.fixture_site import FixtureSiteError, make_server, publish, start_in_thread
from rasad.fixture_site.content import CONTENT_DIR
from rasad.fixture_site.outlets import OUTLETS
from rasad.fixture_site.render import alaraby_header_date
from rasad.sources.models import Source

REPO = Path(__file__).resolve().parents[2]
GOLD = json.loads((REPO / "rasad/fixtures/gold/seeds.json").read_text(encoding="utf-8"))["documents"]
SEEDS_DIR = REPO / "rasad/fixtures/seeds"
SITEMAP_NS = "{http://www.sitemaps.org/schemas/sitemap/0.9}"
NEWS_NS = "{http://www.google.com/schemas/sitemap-news/0.9}"
OUTLET_OF_SEED = {"000": "orient", "001": "arabi21", "002": "alaraby", "003": "syriatv", "004": "syrian-wp"}

# Boilerplate each seed page must carry besides what gold lists as body_must_not_contain.
EXTRA_BOILERPLATE = {
    "000": ["التعليقات (2)", "منذ سنة شهرين", "الأكثر قراءة", "💡 أهم المواضيع", "✨ أهم التصنيفات"],
    "001": ["المصدر: عربي21", "كلمات دلالية:", "إقرأ أيضاً:", "مقالات مشابهة"],
    "002": ["شارك القصة", "تابع القراءة", "المصادر:", "العربي - وكالات", "Close", "(الصورة: الأناضول)"],
    "003": ["التغطية الحية", "2023.03.02 | 10:55 دمشق", "إسطنبول - وكالات", "+A", "حجم الخط", "-A"],
    "004": ["تخطى إلى المحتوى", "اقرأ أيضاً:"],
}
# Gold's body_must_not_contain names the header date of the day the seed was copied; the site shows today's.
VISIT_DATES = {"الجمعة 22 نوفمبر"}


# --- helpers ---------------------------------------------------------------------------------


@dataclass
class Response:
    status: int
    headers: Message
    body: bytes
    url: str

    @property
    def text(self) -> str:
        return self.body.decode("utf-8")


def fetch(url: str, data: bytes | None = None, headers: dict[str, str] | None = None) -> Response:
    request = urllib.request.Request(url, data=data, headers=headers or {})
    try:
        with urllib.request.urlopen(request, timeout=30) as response:
            return Response(response.status, response.headers, response.read(), response.url)
    except urllib.error.HTTPError as exc:
        with exc:
            return Response(exc.code, exc.headers, exc.read(), url)


def post_json(url: str, payload: object | bytes) -> Response:
    data = payload if isinstance(payload, bytes) else json.dumps(payload).encode()
    return fetch(url, data=data, headers={"Content-Type": "application/json"})


class _Links(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.anchors: list[str] = []
        self.link_tags: list[dict[str, str | None]] = []
        self.metas: list[dict[str, str | None]] = []
        self.scripts_ld: list[str] = []
        self.html_attrs: dict[str, str | None] = {}
        self.title = ""
        self._in: str | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        attr = dict(attrs)
        if tag == "a" and attr.get("href"):
            self.anchors.append(str(attr["href"]))
        elif tag == "link":
            self.link_tags.append(attr)
        elif tag == "meta":
            self.metas.append(attr)
        elif tag == "html":
            self.html_attrs = attr
        elif tag == "title":
            self._in = "title"
        elif tag == "script" and attr.get("type") == "application/ld+json":
            self._in = "ld"
            self.scripts_ld.append("")

    def handle_endtag(self, tag: str) -> None:
        self._in = None

    def handle_data(self, data: str) -> None:
        if self._in == "title":
            self.title += data
        elif self._in == "ld":
            self.scripts_ld[-1] += data

    def meta(self, prop: str) -> str | None:
        for m in self.metas:
            if m.get("property") == prop or m.get("name") == prop:
                return m.get("content")
        return None


def parse_page(text: str) -> _Links:
    parser = _Links()
    parser.feed(text)
    parser.close()
    return parser


def page_text(text: str) -> str:
    """The page's text with entities decoded and whitespace folded (tags kept; enough for snippets)."""
    return " ".join(html.unescape(text).split())


def fold(text: str) -> str:
    return " ".join(text.split())


def fixture_sources(root: str) -> dict[str, Source]:
    data = yaml.safe_load((REPO / "rasad/data/sources.yaml").read_text(encoding="utf-8"))
    sources = {}
    for entry in data["sources"]:
        if entry["id"] in OUTLETS:
            sources[entry["id"]] = Source(**{**entry, "base_url": f"{root}/{entry['id']}/"})
    return sources


def seed_urls(root: str) -> dict[str, str]:
    """Seed number ('000') -> absolute article URL, read off each outlet's home page."""
    urls = {}
    for path in sorted(CONTENT_DIR.glob("*.yaml")):
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
        quoted = quote(data["path"], safe="/")
        urls[data["seed"][:3]] = f"{root}/{data['outlet']}/{quoted}"
    return urls


def run_server(state_dir: Path | None = None) -> Iterator[str]:
    server = make_server(port=0, state_dir=state_dir)
    thread = start_in_thread(server)
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}"
    finally:
        server.shutdown()
        server.server_close()
        thread.join(5)


@pytest.fixture(scope="module")
def site() -> Iterator[str]:
    yield from run_server()


@pytest.fixture
def fresh_site(tmp_path: Path) -> Iterator[tuple[str, Path]]:
    for root in run_server(tmp_path):
        yield root, tmp_path


# --- discovery: home pages, robots.txt, feeds, sitemaps, listings ----------------------------------


@pytest.mark.parametrize("outlet", list(OUTLETS))
def test_home_page_names_its_feed(site: str, outlet: str) -> None:
    response = fetch(f"{site}/{outlet}/")
    assert response.status == 200
    assert response.headers["Content-Type"] == "text/html; charset=utf-8"
    page = parse_page(response.text)
    assert page.html_attrs == {"lang": "ar", "dir": "rtl"}
    feed_types = ("application/rss+xml", "application/atom+xml")
    alternates = [link for link in page.link_tags if link.get("rel") == "alternate" and link.get("type") in feed_types]
    assert [link["href"] for link in alternates] == [f"{site}/{outlet}/{OUTLETS[outlet].feed_path}"]
    assert fetch(str(alternates[0]["href"])).status == 200


def test_robots_lists_a_sitemap_per_outlet(site: str) -> None:
    response = fetch(f"{site}/robots.txt")
    assert response.status == 200
    assert response.headers["Content-Type"].startswith("text/plain")
    lines = response.text.splitlines()
    assert "User-agent: *" in lines
    assert any(re.fullmatch(r"Disallow: /\S*admin\S*", line) for line in lines)
    sitemaps = [line.split(": ", 1)[1] for line in lines if line.startswith("Sitemap: ")]
    assert len(sitemaps) == len(OUTLETS)
    for outlet in OUTLETS:
        (url,) = [s for s in sitemaps if s.startswith(f"{site}/{outlet}/")]
        sitemap = fetch(url)
        assert sitemap.status == 200
        ET.fromstring(sitemap.body)
    sources = fixture_sources(site)
    for source in sources.values():
        for configured in source.sitemaps:
            assert source.absolute(configured) in sitemaps


@pytest.mark.parametrize("outlet", list(OUTLETS))
def test_feed_parses_and_lists_the_seed(site: str, outlet: str) -> None:
    response = fetch(f"{site}/{outlet}/{OUTLETS[outlet].feed_path}")
    assert response.status == 200
    assert response.headers["Content-Type"].split(";")[0] == OUTLETS[outlet].feed_content_type
    feed = feedparser.parse(response.body)
    assert not feed.bozo, feed.get("bozo_exception")
    (number,) = [n for n, o in OUTLET_OF_SEED.items() if o == outlet]
    gold = next(d for d in GOLD if d["file"].startswith(number))
    (entry,) = feed.entries
    assert entry.link == seed_urls(site)[number]
    if gold["title"] and OUTLETS[outlet].feed_format == "rss":
        assert entry.title == gold["title"]
    if gold["published_at"]:
        assert time.strftime("%Y-%m-%d", entry.published_parsed) == gold["published_at"]
    else:
        assert "published_parsed" not in entry


def test_configured_feeds_and_listing_pages_resolve(site: str) -> None:
    urls = seed_urls(site)
    for outlet, source in fixture_sources(site).items():
        for feed in source.feeds:
            assert not feedparser.parse(fetch(source.absolute(feed)).body).bozo
        for listing in source.listing_pages:
            response = fetch(source.absolute(listing))
            assert response.status == 200
            hrefs = parse_page(response.text).anchors
            (number,) = [n for n, o in OUTLET_OF_SEED.items() if o == outlet]
            assert urls[number] in hrefs


@pytest.mark.parametrize("outlet", list(OUTLETS))
def test_sitemap_is_xml_with_the_right_namespaces(site: str, outlet: str) -> None:
    sitemap_url = f"{site}/{outlet}/{OUTLETS[outlet].sitemap_path}"
    root = ET.fromstring(fetch(sitemap_url).body)
    if OUTLETS[outlet].sitemap_format == "wp-index":
        assert root.tag == f"{SITEMAP_NS}sitemapindex"
        parts = [loc.text for loc in root.iter(f"{SITEMAP_NS}loc")]
        assert f"{site}/{outlet}/wp-sitemap-posts-post-1.xml" in parts
        locs = []
        for part in parts:
            child = ET.fromstring(fetch(str(part)).body)
            assert child.tag == f"{SITEMAP_NS}urlset"
            locs += [loc.text for loc in child.iter(f"{SITEMAP_NS}loc")]
    else:
        assert root.tag == f"{SITEMAP_NS}urlset"
        locs = [loc.text for loc in root.iter(f"{SITEMAP_NS}loc")]
        if OUTLETS[outlet].sitemap_format == "news":
            assert root.find(f"{SITEMAP_NS}url/{NEWS_NS}news/{NEWS_NS}publication_date") is not None
    (number,) = [n for n, o in OUTLET_OF_SEED.items() if o == outlet]
    assert seed_urls(site)[number] in locs


def test_google_news_sitemap_entries(site: str) -> None:
    root = ET.fromstring(fetch(f"{site}/alaraby/sitemap/news.xml").body)
    news = root.find(f"{SITEMAP_NS}url/{NEWS_NS}news")
    assert news is not None
    assert news.findtext(f"{NEWS_NS}publication_date", "").startswith("2023-04-25")
    assert news.findtext(f"{NEWS_NS}title") == "بهدف تطبيع أنقرة مع النظام.. موسكو تستضيف اجتماعًا رباعيًا حول سوريا"


def test_links_on_home_and_listing_pages_are_classified_right(site: str) -> None:
    urls = set(seed_urls(site).values())
    for outlet, source in fixture_sources(site).items():
        pages = [source.base_url] + [source.absolute(p) for p in source.listing_pages]
        for page_url in pages:
            hrefs = [h for h in parse_page(fetch(page_url).text).anchors if h.startswith(source.base_url)]
            articles = {h for h in hrefs if source.is_article_url(h)}
            assert articles == {h for h in hrefs if h in urls}, (outlet, page_url)
            assert len(hrefs) > len(articles)  # nav and category links too


# --- seed article pages ------------------------------------------------------------------------


@pytest.mark.parametrize("gold", GOLD, ids=[d["file"][:3] for d in GOLD])
def test_seed_page(site: str, gold: dict) -> None:
    number = gold["file"][:3]
    outlet = OUTLET_OF_SEED[number]
    url = seed_urls(site)[number]
    assert fixture_sources(site)[outlet].is_article_url(url)
    assert not re.search(r"[^\x21-\x7e]", url), "hrefs are percent-encoded"

    response = fetch(url)
    assert response.status == 200
    assert response.headers["Content-Type"] == "text/html; charset=utf-8"
    page = parse_page(response.text)
    text = page_text(response.text)
    assert page.html_attrs == {"lang": "ar", "dir": "rtl"}
    assert [link["href"] for link in page.link_tags if link.get("rel") == "canonical"] == [url]

    if gold["title"]:
        assert gold["title"] in page.title
        assert page.meta("og:title") == gold["title"]
        assert text.count(gold["title"]) >= 2  # the page repeats its headline
    for snippet in gold["body_must_contain"]:
        assert fold(snippet) in text, snippet
    for snippet in [*gold["body_must_not_contain"], *EXTRA_BOILERPLATE[number]]:
        if snippet not in VISIT_DATES:
            assert fold(snippet) in text, snippet

    (ld,) = [json.loads(s) for s in page.scripts_ld]
    assert ld["@type"] == "NewsArticle"
    published_meta = page.meta("article:published_time")
    if gold["published_at"]:
        assert published_meta is not None and published_meta.startswith(gold["published_at"])
        assert ld["datePublished"].startswith(gold["published_at"])
    else:
        assert published_meta is None
        assert "datePublished" not in ld
        assert "<time" not in response.text


def test_alaraby_header_shows_the_day_of_the_visit(site: str) -> None:
    response = fetch(seed_urls(site)["002"])
    today = alaraby_header_date(date.today())
    assert f'<div class="header-date">{today}</div>' in response.text
    assert re.fullmatch(r"\S+ \d{1,2} \S+ / [A-Z][a-z]+ \d{4}", today)
    assert parse_page(response.text).meta("article:published_time") == "2023-04-25"


def test_alaraby_header_date_format() -> None:
    assert alaraby_header_date(date(2024, 11, 22)) == "الجمعة 22 نوفمبر / November 2024"


def test_seed_segmentation_is_verbatim() -> None:
    for path in sorted(CONTENT_DIR.glob("*.yaml")):
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
        seed = fold((SEEDS_DIR / data["seed"]).read_text(encoding="utf-8"))
        strings = [v for block in data["body"] for k, v in block.items() if k != "ad"]
        strings += [data[k] for k in ("title", "image_caption", "summary", "dateline", "byline", "sources")
                    if data.get(k)]  # fmt: skip
        for comment in data.get("comments", []):
            strings += [comment["author"], comment["time"], comment["text"]]
        if "read_also" in data:
            strings += [data["read_also"]["title"], *data["read_also"]["body"]]
        strings += data.get("related", []) + data.get("tags", [])
        for string in strings:
            assert fold(string) in seed, (path.name, string)


def test_unknown_paths_are_404_and_wordpress_slashes_redirect(site: str) -> None:
    assert fetch(f"{site}/orient/ar/news_show/1/nothing-here").status == 404
    assert fetch(f"{site}/no-such-outlet/").status == 404
    response = fetch(f"{site}/syrian-wp/feed")
    assert response.status == 200 and response.url == f"{site}/syrian-wp/feed/"
    assert fetch(f"{site}/orient").url == f"{site}/orient/"


# --- publishing ----------------------------------------------------------------------------------

TITLE = "اجتماع جديد بين وزيري خارجية تركيا وسوريا في موسكو"
BODY = "أعلنت الخارجية التركية عن اجتماع مرتقب.\n\nوقال مسؤول إن الاجتماع سيعقد الشهر المقبل."


def assert_published_everywhere(root: str, outlet: str, url: str, title: str) -> None:
    source = fixture_sources(root)[outlet]
    assert source.is_article_url(url)
    page = fetch(url)
    assert page.status == 200
    assert title in page_text(page.text)
    assert "أعلنت الخارجية التركية عن اجتماع مرتقب." in page_text(page.text)
    feed = feedparser.parse(fetch(f"{root}/{outlet}/{OUTLETS[outlet].feed_path}").body)
    assert not feed.bozo
    assert feed.entries[0].link == url
    sitemap_url = f"{root}/{outlet}/{OUTLETS[outlet].sitemap_path}"
    if OUTLETS[outlet].sitemap_format == "wp-index":
        sitemap_url = f"{root}/{outlet}/wp-sitemap-posts-post-1.xml"
    assert url in [loc.text for loc in ET.fromstring(fetch(sitemap_url).body).iter(f"{SITEMAP_NS}loc")]
    listings = [source.absolute(p) for p in source.listing_pages] + [source.base_url]
    for listing in listings:
        assert url in parse_page(fetch(listing).text).anchors


@pytest.mark.parametrize("outlet", list(OUTLETS))
def test_publish_over_http(fresh_site: tuple[str, Path], outlet: str) -> None:
    root, _ = fresh_site
    url = publish(root, outlet, TITLE, BODY)
    assert url.startswith(f"{root}/{outlet}/")
    assert_published_everywhere(root, outlet, url, TITLE)
    meta = parse_page(fetch(url).text).meta("article:published_time")
    assert meta is not None and meta.startswith(date.today().isoformat())


def test_publish_with_date_slug_and_short_title(fresh_site: tuple[str, Path]) -> None:
    root, _ = fresh_site
    url = publish(root, "syrian-wp", "Test", "Body text.", published=date(2025, 1, 2))
    assert url.startswith(f"{root}/syrian-wp/2025/01/02/test/")
    short = publish(root, "syriatv", "Test", "Body text.")
    assert fixture_sources(root)["syriatv"].is_article_url(short)
    response = post_json(f"{root}/_admin/publish", {"outlet": "alaraby", "title": "x", "body": "y", "slug": "my-slug"})
    assert response.status == 201
    assert json.loads(response.body)["url"] == f"{root}/alaraby/news/my-slug"
    again = post_json(f"{root}/_admin/publish", {"outlet": "alaraby", "title": "x", "body": "y", "slug": "my-slug"})
    assert json.loads(again.body)["url"] == f"{root}/alaraby/news/my-slug-2"


def test_publish_at_a_moment(fresh_site: tuple[str, Path]) -> None:
    root, _ = fresh_site
    body = {"outlet": "arabi21", "title": "x", "body": "y", "published": "2024-03-10T09:41:00+03:00"}
    response = post_json(f"{root}/_admin/publish", body)
    assert response.status == 201
    meta = parse_page(fetch(json.loads(response.body)["url"]).text).meta("article:published_time")
    assert meta is not None and meta.startswith("2024-03-10T09:41:00")  # the moment, not only the day
    bad = post_json(f"{root}/_admin/publish", {**body, "published": "2024-03-10T25:00"})
    assert bad.status == 400 and b"ISO moment" in bad.body


def test_published_articles_survive_a_restart(tmp_path: Path) -> None:
    for root in run_server(tmp_path):
        url = publish(root, "arabi21", TITLE, BODY)
        path = url[len(root) :]
    assert (tmp_path / "published.json").exists()
    for root in run_server(tmp_path):
        response = fetch(root + path)
        assert response.status == 200 and TITLE in page_text(response.text)


def test_publish_through_the_inbox(fresh_site: tuple[str, Path]) -> None:
    root, state_dir = fresh_site
    inbox = state_dir / "inbox"
    request = {"outlet": "orient", "title": TITLE, "body": BODY, "published": date.today().isoformat()}
    (inbox / "new.json").write_text(json.dumps(request, ensure_ascii=False), encoding="utf-8")
    (inbox / "broken.json").write_text("{not json", encoding="utf-8")
    (inbox / "unknown.json").write_text(json.dumps({"outlet": "nowhere", "title": "t", "body": "b"}), encoding="utf-8")
    feed = feedparser.parse(fetch(f"{root}/orient/rss").body)
    url = feed.entries[0].link
    assert_published_everywhere(root, "orient", url, TITLE)
    assert (inbox / "done" / "new.json").exists()
    assert not list(inbox.glob("*.json"))
    assert (inbox / "failed" / "broken.json").exists()
    assert (inbox / "failed" / "broken.json.error").read_text(encoding="utf-8").strip()
    assert "nowhere" in (inbox / "failed" / "unknown.json.error").read_text(encoding="utf-8")


@pytest.mark.parametrize(
    "payload",
    [
        {"outlet": "nowhere", "title": "t", "body": "b"},
        {"outlet": "orient", "body": "b"},
        {"outlet": "orient", "title": "t", "body": ""},
        {"outlet": "orient", "title": "t", "body": "b", "published": "yesterday"},
        ["not", "an", "object"],
        b"{broken",
        b"\xff\xfe",
    ],
)
def test_bad_publish_requests_get_400(site: str, payload: object) -> None:
    response = post_json(f"{site}/_admin/publish", payload)
    assert response.status == 400
    assert response.headers["Content-Type"] == "application/json"
    assert json.loads(response.body)["error"]


def test_publish_helper_raises_clear_errors(site: str) -> None:
    with pytest.raises(FixtureSiteError, match="unknown outlet 'nowhere'"):
        publish(site, "nowhere", "t", "b")
    with pytest.raises(FixtureSiteError, match="cannot reach"):
        publish("http://127.0.0.1:9", "orient", "t", "b", timeout=2)


# --- fault routes --------------------------------------------------------------------------------


def test_fault_routes(site: str) -> None:
    for code in (404, 500, 503, 403):
        response = fetch(f"{site}/_faults/status/{code}")
        assert response.status == code and b"<html" in response.body

    started = time.monotonic()
    slow = fetch(f"{site}/_faults/slow/0.3")
    assert slow.status == 200 and time.monotonic() - started >= 0.3

    not_xml = fetch(f"{site}/_faults/not-xml")
    assert not_xml.headers["Content-Type"].startswith("application/rss+xml")
    assert feedparser.parse(not_xml.body).bozo

    binary = fetch(f"{site}/_faults/binary")
    assert binary.headers["Content-Type"] == "image/png"
    assert binary.body.startswith(b"\x89PNG\r\n\x1a\n")

    empty = fetch(f"{site}/_faults/empty")
    assert empty.status == 200 and empty.body == b""

    assert fetch(f"{site}/_faults/nonsense").status == 404
