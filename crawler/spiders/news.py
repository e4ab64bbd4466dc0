"""One generic, configuration-driven spider for every outlet.

Per-outlet knowledge (feeds, sitemaps, listing pages, article URL pattern, selectors) comes from
the `Source` the spider is given; the spider holds only the discovery and fetching logic:

    home page --<link rel=alternate>--> feeds ----\
    robots.txt --Sitemap:--> sitemaps (indexes) ---+--> article pages --> RawPageItem
    listing pages (and the home page) --links-----/

Every URL is canonicalized, URLs already stored are skipped, and each failure is recorded on the
crawl run with its reason. Feeds, sitemaps of articles and listing pages are fetched conditionally:
the validators they last answered with (ETag, Last-Modified) are sent back, and a 304, or the same
body again where an outlet sends no validators, means nothing new there (`rasad/not_modified`,
`rasad/unchanged`). A page's new validators are kept only when every article it led to was fetched,
so an article that failed is looked for again next time. Feeds the home page names and sitemaps
robots.txt names are remembered: later crawls read them first, conditionally, like configured ones,
and read the home page in full and robots.txt again only once a day (or when the remembered ones fail).
"""

from __future__ import annotations

import gzip
import hashlib
import io
import zlib
from collections.abc import AsyncIterator, Iterator, Mapping
from datetime import UTC, datetime, timedelta
from email.utils import parsedate_to_datetime
from typing import Any

import feedparser
import scrapy
from scrapy.exceptions import (
    DownloadCancelledError,
    DownloadTimeoutError,
    IgnoreRequest,
    ResponseDataLossError,
)
from scrapy.http import Response, TextResponse
from scrapy.spidermiddlewares.httperror import HttpError
from scrapy.utils.sitemap import Sitemap, sitemap_urls_from_robots
from twisted.internet.error import DNSLookupError, TCPTimedOutError, TimeoutError
from twisted.python.failure import Failure

from crawler.items import RawPageItem
from db.fetch_state import Discovery, Validators
from rasad.sources import Source
from rasad.urls import InvalidURL, canonicalize_url

FEED_TYPES = ("application/rss+xml", "application/atom+xml", "application/feed+json", "application/rdf+xml")
HTML_TYPES = ("text/html", "application/xhtml+xml")
MAX_SITEMAP_DEPTH = 3
MAX_RETRY_AFTER = timedelta(days=1)  # a longer wait asked for is read as one day
REDISCOVER_AFTER = timedelta(days=1)  # how long the feeds and sitemaps an outlet named are trusted unread


def _header(response: Response, name: str) -> str:
    """A response header as text ("" when absent)."""
    value = response.headers.get(name)
    return value.decode("latin-1") if value else ""


def _meta(response: Response) -> dict[str, Any]:
    """The request's meta ({} for a response built without a request, as unit tests do)."""
    return response.request.meta if response.request is not None else {}


def _charset(content_type: str | None) -> str | None:
    """The charset parameter of a Content-Type header, if any."""
    for part in (content_type or "").split(";")[1:]:
        key, _, value = part.strip().partition("=")
        if key.lower() == "charset" and value:
            return value.strip("\"' ").lower()
    return None


class NewsSpider(scrapy.Spider):
    """Discover new article URLs of one outlet and fetch their pages."""

    name = "news"

    def __init__(
        self,
        source: Source,
        known_urls: set[str] | None = None,
        max_articles: int = 500,
        validators: Mapping[str, Validators] | None = None,
        discovered: Mapping[str, Discovery] | None = None,
        **kwargs: Any,
    ):
        super().__init__(name=f"news:{source.id}", **kwargs)
        self.source = source
        self.known_urls = known_urls or set()
        self.validators = dict(validators or {})
        self.changed_validators: dict[str, Validators] = {}  # saved when the crawl closes
        self.remembered = dict(discovered or {})  # feeds and sitemaps the outlet named in earlier crawls
        self.rediscovering = self._rediscovery_due()
        self.found: dict[str, str] = {}  # feeds and sitemaps named in this crawl (URL -> kind), remembered
        self.remembered_failed = False  # the remembered ones did not work: forget them, look again next time
        self.requested_discovery: set[str] = set()
        self.home_read = self.robots_read = False
        self.incomplete: set[str] = set()  # discovery URLs with an article that could not be fetched
        self.deferred: list[scrapy.Request] = []  # listing pages, read only when the feeds were not enough
        self.pending_discovery = 0  # feed, sitemap and robots requests still to answer
        self.feed_worked = False
        self.feed_found_new = False
        self.retry_after_until: datetime | None = None  # an outlet's 429/503 Retry-After, honoured by the scheduler
        self.max_articles = max_articles
        self.failures: list[dict[str, str]] = []
        self.scheduled: set[str] = set()
        self.new_requested = 0
        self.useful_responses = 0

    # -- start -------------------------------------------------------------------------------------

    async def start(self) -> AsyncIterator[scrapy.Request]:
        """Feeds and sitemaps first; listing pages (and the home page) only when they are needed.

        An outlet with a configured feed or sitemap is read feed-first: its listing pages are read
        only when no feed or sitemap worked in this crawl, or when they found new articles (a burst
        may reach past the feed's last entries). Without one, the home page names the feeds and is
        read with the listing pages, as before.
        """
        src = self.source
        # what the outlet named stands in for configuration only where there is none: beside a
        # configured feed or sitemap it would only add a request to every crawl
        configured = bool(src.feeds or src.sitemaps)
        feeds = [src.absolute(f) for f in src.feeds] or ([] if configured else self._remembered("feed"))
        sitemaps = [src.absolute(m) for m in src.sitemaps] or ([] if configured else self._remembered("sitemap"))
        self.requested_discovery.update(feeds + sitemaps)
        first = [self._request(url, self.parse_feed, via="feed", conditional=True) for url in feeds]
        first += [self._request(url, self.parse_sitemap, via="sitemap", conditional=True) for url in sitemaps]
        listings = [
            self._request(src.absolute(listing), self.parse_listing, via="listing", conditional=True)
            for listing in src.listing_pages
        ]
        # The home page is always a listing page; without known feeds it also names them (and is then
        # read in full: a 304 would hide the feeds it names).
        listings.append(self._request(src.base_url, self.parse_home, via="home", conditional=bool(feeds)))
        if not src.sitemaps and self.rediscovering:
            first.append(self._request(src.absolute("/robots.txt"), self.parse_robots, via="robots"))
        if feeds or sitemaps:
            self.deferred = listings
            listings = []
        for request in [*first, *listings]:
            if request.meta["via"] in ("feed", "sitemap", "robots") and self.deferred:
                request.meta["discovery"] = True
                self.pending_discovery += 1
            yield request

    def _rediscovery_due(self) -> bool:
        """Read the home page in full and robots.txt: nothing remembered, or not confirmed for a day."""
        if self.source.feeds and self.source.sitemaps:
            return False
        if not self.remembered:
            return True
        return max(d.at for d in self.remembered.values()) < datetime.now(UTC) - REDISCOVER_AFTER

    def _remembered(self, kind: str) -> list[str]:
        if self.rediscovering:
            return []
        return [url for url, d in self.remembered.items() if d.kind == kind]

    def discoveries_to_save(self) -> tuple[dict[str, str], bool]:
        """The feeds and sitemaps named in this crawl, and whether the others remembered are forgotten."""
        if self.remembered_failed:
            return {}, True
        complete = self.home_read and (self.robots_read or bool(self.source.sitemaps))
        return self.found, self.rediscovering and complete

    def _discovery_done(self, response_or_request: Response | scrapy.Request) -> Iterator[scrapy.Request]:
        """After the last feed or sitemap: the deferred listing pages, when the feeds were not enough."""
        meta = (
            response_or_request.meta if isinstance(response_or_request, scrapy.Request) else _meta(response_or_request)
        )
        if not meta.get("discovery"):
            return
        self.pending_discovery -= 1
        if self.pending_discovery > 0 or not self.deferred:
            return
        deferred, self.deferred = self.deferred, []
        if not self.feed_worked and not self.rediscovering and self.remembered:
            self.remembered_failed = True
        if self.feed_worked and not self.feed_found_new:
            self.crawler.stats.inc_value("rasad/listings_skipped", len(deferred))
            return
        yield from deferred

    def _request(self, url: str, callback: Any, *, via: str, conditional: bool = False, **meta: Any) -> scrapy.Request:
        # dont_filter: the spider deduplicates article URLs itself, and Scrapy's dupefilter would
        # silently swallow the second hop of a redirect loop instead of letting it fail (and be recorded).
        headers: dict[str, str] = {}
        if conditional:
            meta.update(validator_key=url, handle_httpstatus_list=[304])
            known = self.validators.get(url)
            if known is not None and known.etag:
                headers["If-None-Match"] = known.etag
            if known is not None and known.last_modified:
                headers["If-Modified-Since"] = known.last_modified
        return scrapy.Request(
            url, callback=callback, errback=self.on_error, meta={"via": via, **meta}, headers=headers, dont_filter=True
        )

    def _nothing_new(self, response: Response) -> bool:
        """True for a 304 or the body last seen (counted); else remember the page's new validators."""
        key = _meta(response).get("validator_key")
        if key is None:
            return False
        if response.status == 304:
            self.crawler.stats.inc_value("rasad/not_modified")
            self.useful_responses += 1
            return True
        new = Validators(
            _header(response, "ETag") or None,
            _header(response, "Last-Modified") or None,
            hashlib.sha256(response.body).hexdigest(),
        )
        old = self.validators.get(key)
        if old != new:
            self.changed_validators[key] = new
        if old is not None and old.body_sha256 == new.body_sha256:
            self.crawler.stats.inc_value("rasad/unchanged")
            self.useful_responses += 1
            return True
        return False

    def validators_to_save(self) -> dict[str, Validators]:
        """New validators of the pages all of whose articles were fetched (the others are read again)."""
        return {url: v for url, v in self.changed_validators.items() if url not in self.incomplete}

    # -- discovery ---------------------------------------------------------------------------------

    def parse_home(self, response: Response) -> Iterator[scrapy.Request]:
        """Follow the feeds the home page advertises (when none are configured) and its article links."""
        if self._nothing_new(response) or not self._is_html(response):
            return
        self.useful_responses += 1
        if not self.source.feeds:
            yield from self._advertised_feeds(response)
        yield from self._article_links(response, via="home")

    def _advertised_feeds(self, response: Response) -> Iterator[scrapy.Request]:
        """The feeds a home page names (<link rel=alternate>): remembered, and read unless already asked for."""
        self.home_read = True  # the list below is complete: a remembered feed it no longer names is forgotten
        found = False
        for link in response.css("link[rel~=alternate]"):
            if (link.attrib.get("type") or "").split(";")[0].strip().lower() in FEED_TYPES:
                href = link.attrib.get("href")
                if href:
                    found = True
                    url = response.urljoin(href)
                    self.found[url] = "feed"
                    if url not in self.requested_discovery:
                        self.requested_discovery.add(url)
                        yield self._request(url, self.parse_feed, via="feed", conditional=True)
        if not found:
            self.logger.info("%s: home page advertises no feed", self.source.id)

    def parse_listing(self, response: Response) -> Iterator[scrapy.Request]:
        """Article links of a listing page (the outlet's selector when configured, else every link)."""
        if self._nothing_new(response) or not self._is_html(response):
            return
        self.useful_responses += 1
        yield from self._article_links(response, via="listing")

    def _article_links(self, response: Response, *, via: str) -> Iterator[scrapy.Request]:
        selector = self.source.selectors.article_links
        hrefs = response.css(selector).getall() if selector else response.css("a::attr(href)").getall()
        for href in hrefs:
            url = response.urljoin(href.strip())
            if self.source.is_article_url(url):
                request = self._article_request(url, via=via, found_on=_meta(response).get("validator_key"))
                if request is not None:
                    yield request

    def parse_robots(self, response: Response) -> Iterator[scrapy.Request]:
        """Sitemaps named in robots.txt that belong to this outlet."""
        yield from self._discovered(response, self._read_robots(response))

    def parse_feed(self, response: Response) -> Iterator[scrapy.Request]:
        """Entries of an RSS/Atom feed; a body that is not a feed is recorded as a failure."""
        yield from self._discovered(response, self._read_feed(response))

    def parse_sitemap(self, response: Response) -> Iterator[scrapy.Request]:
        """URLs of a sitemap or sitemap index (gzip accepted), nested indexes up to a small depth.

        Only a sitemap of articles is fetched conditionally next time: an index may stay the same while
        the sitemaps it names change.
        """
        yield from self._discovered(response, self._read_sitemap(response))

    def _discovered(self, response: Response, requests: Iterator[scrapy.Request]) -> Iterator[scrapy.Request]:
        """What a feed, sitemap or robots.txt led to; notes whether it worked and found new articles."""
        useful = self.useful_responses
        for request in requests:
            if request.meta.get("via") == "sitemap" and request.callback == self.parse_sitemap and self.deferred:
                request.meta["discovery"] = True  # a sitemap named by robots.txt or an index: wait for it too
                self.pending_discovery += 1
            elif request.meta.get("canonical"):
                self.feed_found_new = True
            yield request
        if self.useful_responses > useful and _meta(response).get("via") in ("feed", "sitemap"):
            self.feed_worked = True
        yield from self._discovery_done(response)

    def _read_robots(self, response: Response) -> Iterator[scrapy.Request]:
        self.useful_responses += 1
        self.robots_read = True
        for url in sitemap_urls_from_robots(response.body, base_url=response.url):
            if self.source.relative_path(url) is not None:
                self.found[url] = "sitemap"
                if url not in self.requested_discovery:
                    self.requested_discovery.add(url)
                    yield self._request(url, self.parse_sitemap, via="sitemap", conditional=True)

    def _read_feed(self, response: Response) -> Iterator[scrapy.Request]:
        if self._nothing_new(response):
            return
        parsed = feedparser.parse(response.body)
        if not parsed.version:
            reason = getattr(parsed, "bozo_exception", None) or "no RSS/Atom root element"
            self.record_failure(response.url, "feed_not_xml", f"not a readable RSS/Atom feed: {reason}")
            return
        self.useful_responses += 1
        found_on = _meta(response).get("validator_key")
        for entry in parsed.entries:
            link = entry.get("link") or entry.get("id")
            if link:
                request = self._article_request(response.urljoin(link), via="feed", found_on=found_on)
                if request is not None:
                    yield request

    def _read_sitemap(self, response: Response) -> Iterator[scrapy.Request]:
        if response.status == 304:
            self._nothing_new(response)
            return
        body = self._sitemap_body(response)
        if body is None:
            self.record_failure(response.url, "sitemap_not_xml", "sitemap is not XML")
            return
        try:
            sitemap = Sitemap(body)
        except Exception as exc:  # lxml raises several types on garbage
            self.record_failure(response.url, "sitemap_not_xml", f"sitemap is not XML: {exc}")
            return
        if sitemap.type not in ("urlset", "sitemapindex"):
            self.record_failure(response.url, "sitemap_not_xml", f"not a sitemap (root element {sitemap.type!r})")
            return
        if sitemap.type == "sitemapindex":
            self.changed_validators.pop(_meta(response).get("validator_key", ""), None)
        elif self._nothing_new(response):
            return
        self.useful_responses += 1
        depth = _meta(response).get("sitemap_depth", 0)
        for entry in sitemap:
            loc = entry.get("loc")
            if not loc:
                continue
            if sitemap.type == "sitemapindex":
                if depth < MAX_SITEMAP_DEPTH and self.source.relative_path(loc) is not None:
                    yield self._request(
                        loc, self.parse_sitemap, via="sitemap", conditional=True, sitemap_depth=depth + 1
                    )
            elif not self.source.article_pattern or self.source.is_article_url(loc):
                # Sitemaps also list section, tag and author pages; a configured pattern keeps articles only.
                request = self._article_request(loc, via="sitemap", found_on=_meta(response).get("validator_key"))
                if request is not None:
                    yield request

    @staticmethod
    def _sitemap_body(response: Response) -> bytes | None:
        body = response.body
        if body[:2] == b"\x1f\x8b":
            try:
                body = gzip.GzipFile(fileobj=io.BytesIO(body)).read(50_000_000)
            except (OSError, EOFError):
                return None
        return body if body.lstrip()[:1] == b"<" else None

    # -- articles ----------------------------------------------------------------------------------

    def _article_request(self, url: str, *, via: str, found_on: str | None = None) -> scrapy.Request | None:
        try:
            canonical = canonicalize_url(url)
        except InvalidURL:
            return None
        if self.source.relative_path(canonical) is None:
            return None  # another site's link
        stats = self.crawler.stats
        if canonical in self.known_urls:
            if canonical not in self.scheduled:
                self.scheduled.add(canonical)
                stats.inc_value("rasad/skipped_known")
            return None
        if canonical in self.scheduled:
            return None
        if self.new_requested >= self.max_articles:
            stats.inc_value("rasad/capped")
            self._left_incomplete(found_on)
            return None
        self.scheduled.add(canonical)
        self.new_requested += 1
        return self._request(url, self.parse_article, via=via, canonical=canonical, found_on=found_on)

    def _left_incomplete(self, found_on: str | None) -> None:
        if found_on is not None:
            self.incomplete.add(found_on)

    def parse_article(self, response: Response) -> Iterator[RawPageItem]:
        """Yield the raw page of an article; a non-HTML answer is recorded, not stored."""
        content_type = _header(response, "Content-Type") or None
        if not self._is_html(response):
            self._left_incomplete(_meta(response).get("found_on"))
            return
        self.useful_responses += 1
        declared = _charset(content_type)
        yield RawPageItem(
            source_id=self.source.id,
            url=response.meta["canonical"],
            fetched_url=response.url,
            http_status=response.status,
            body=response.body,
            content_type=content_type,
            declared_encoding=declared,
            discovered_via=response.meta.get("via"),
        )

    def _is_html(self, response: Response) -> bool:
        content_type = _header(response, "Content-Type").split(";")[0].strip().lower()
        if isinstance(response, TextResponse) and (not content_type or content_type in HTML_TYPES):
            return True
        self.record_failure(response.url, "not_html", f"expected an HTML page, got {content_type or 'no type'}")
        return False

    # -- failures ----------------------------------------------------------------------------------

    def on_error(self, failure: Failure) -> list[scrapy.Request]:
        """Record why a request failed (after Scrapy's retries), so the run shows it; go on to the listings."""
        request = failure.request  # type: ignore[attr-defined]
        self._record_error(failure, request)
        return list(self._discovery_done(request))

    def _record_error(self, failure: Failure, request: scrapy.Request) -> None:
        self._left_incomplete(request.meta.get("found_on") or request.meta.get("validator_key"))
        message = str(failure.value)
        if isinstance(failure.value, HttpError):
            self.record_failure(request.url, "http_status", f"HTTP {failure.value.response.status}")
            self._note_retry_after(failure.value.response)
        elif failure.check(IgnoreRequest) and "max redirections" in message:
            hops = [*request.meta.get("redirect_urls", []), request.url]
            shape = "a loop" if len(set(hops)) < len(hops) else "a chain"
            self.record_failure(hops[0], "redirect_loop", f"too many redirects ({len(hops) - 1} hops, {shape})")
        elif failure.check(DownloadCancelledError) or (failure.check(IgnoreRequest) and "DOWNLOAD_MAXSIZE" in message):
            self.record_failure(request.url, "too_large", f"page too large: {message}")
        elif failure.check(IgnoreRequest):
            self.record_failure(request.url, "ignored", message or "forbidden by robots.txt")
        elif failure.check(DownloadTimeoutError, TimeoutError, TCPTimedOutError):
            self.record_failure(request.url, "timeout", "timed out")
        elif failure.check(ResponseDataLossError):
            self.record_failure(request.url, "truncated", "the response body was cut short (connection closed early)")
        elif failure.check(gzip.BadGzipFile, EOFError, zlib.error):
            self.record_failure(request.url, "bad_encoding", f"Content-Encoding cannot be decoded: {message}")
        elif failure.check(DNSLookupError):
            self.record_failure(request.url, "unreachable", f"DNS lookup failed: {failure.value}")
        else:
            self.record_failure(request.url, "unreachable", f"{type(failure.value).__name__}: {failure.value}")

    def _note_retry_after(self, response: Response) -> None:
        """Keep the longest wait an outlet asked for (Retry-After in seconds or as an HTTP date)."""
        value = _header(response, "Retry-After").strip()
        if response.status not in (429, 503) or not value:
            return
        now = datetime.now(UTC)
        try:
            until = now + timedelta(seconds=int(value)) if value.isdigit() else parsedate_to_datetime(value)
        except (TypeError, ValueError, OverflowError):
            return
        until = min(until.astimezone(UTC), now + MAX_RETRY_AFTER)
        if self.retry_after_until is None or until > self.retry_after_until:
            self.retry_after_until = until

    def record_failure(self, url: str, kind: str, reason: str) -> None:
        """Remember a failure for the crawl-run record and count it in the stats."""
        self.failures.append({"url": url, "kind": kind, "reason": reason})
        self.crawler.stats.inc_value(f"rasad/failures/{kind}")
        self.logger.info("%s: %s %s: %s", self.source.id, kind, url, reason)
