"""The local fixture site: five imitated Arabic outlets on one host, for offline tests and the demo.

Each outlet lives under `/{id}/` and mirrors the real site's paths below it (see `outlets.py`):

    orient     home /orient/       feed /orient/rss            sitemap /orient/sitemap.xml
               listing /orient/ar/news_category/1   article /orient/ar/news_show/<id>/<slug>
    arabi21    home /arabi21/      feed /arabi21/feed          sitemap /arabi21/sitemap-news.xml
               listing /arabi21/section/politics    article /arabi21/story/<id>/<slug>
    alaraby    home /alaraby/      feed /alaraby/rss/atom.xml  sitemap /alaraby/sitemap/news.xml
               listing /alaraby/politics            article /alaraby/news/<slug>
    syriatv    home /syriatv/      feed /syriatv/rss.xml       sitemap /syriatv/sitemap-news.xml
               listing /syriatv/category/politics   article /syriatv/news/<slug of 25+ chars>
    syrian-wp  home /syrian-wp/    feed /syrian-wp/feed/       sitemap /syrian-wp/wp-sitemap.xml (index)
               listing /syrian-wp/category/news/    article /syrian-wp/YYYY/MM/DD/<slug>/

`/robots.txt` serves all outlets. Absolute URLs use the request's `Host` header.

Publishing while running:
    POST /_admin/publish  {"outlet": "orient", "title": "...", "body": "para\\n\\npara",
                           "published": "YYYY-MM-DD" (optional), "slug": "..." (optional)}
        -> 201 {"url": "<absolute article URL>"}; 400 {"error": "..."} on bad JSON or an unknown outlet.
    Or drop a `*.json` file of the same shape into `<state_dir>/inbox/` (write it elsewhere, then
    rename it in): it is published on the next request. Published articles persist in
    `<state_dir>/published.json`.

Fault routes:
    /_faults/status/<code>   that status with a small HTML body
    /_faults/slow/<seconds>  sleeps (at most 120 s), then a small HTML page
    /_faults/not-xml         HTML served as application/rss+xml
    /_faults/binary          a PNG image (image/png)
    /_faults/empty           200 with an empty body
    /_faults/retry-after/<s> 429 with `Retry-After: <s>`
    /_faults/redirect-loop/<n>  302 between two URLs forever
    /_faults/huge/<MiB>      a 200 HTML page of that many MiB (at most 64)
    /_faults/truncated-gzip  Content-Encoding gzip, half the announced length sent, then the connection closed
    /_faults/corrupt-gzip    Content-Encoding gzip whose stream cannot be decoded
    /_faults/html-feed       an HTML page (text/html), to be configured as a feed
    /_faults/sitemap-big/<n>.xml  a urlset of n URLs (/_faults/sitemap-page/<i>, each a small Arabic page)
    /_faults/cp1256          an Arabic page in windows-1256 with no charset anywhere
    /_faults/broken-markup   an Arabic article with unclosed and misnested tags
    /_faults/links/<p1>,<p2> a listing page linking to those site paths
"""

from __future__ import annotations

import contextlib
import datetime
import hashlib
import json
import shutil
import sys
import tempfile
import threading
import urllib.error
import urllib.request
from collections import deque
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any
from urllib.parse import quote, unquote, urlsplit

from rasad.fixture_site.faults import FaultResponse, fault_response
from rasad.fixture_site.outlets import OUTLETS, WP_CATEGORIES_SITEMAP, WP_POSTS_SITEMAP, OutletSite
from rasad.fixture_site.render import Renderer
from rasad.fixture_site.store import ArticleStore, PublishError

HTML = "text/html; charset=utf-8"
MAX_BODY_BYTES = 1_000_000


class FixtureSiteError(RuntimeError):
    """The fixture site could not be reached, or it refused a request."""


class FixtureSiteServer(ThreadingHTTPServer):
    """A ThreadingHTTPServer that carries the article store and removes its temporary state dir."""

    daemon_threads = True

    def __init__(
        self, address: tuple[str, int], store: ArticleStore, verbose: bool, owned_state_dir: Path | None
    ) -> None:
        self.store = store
        self.verbose = verbose
        self._owned_state_dir = owned_state_dir
        # (path, If-None-Match sent) of the last requests for feeds and sitemaps: tests read what crawlers sent
        self.requests_seen: deque[tuple[str, str | None]] = deque(maxlen=1000)
        super().__init__(address, FixtureSiteHandler)

    @property
    def url(self) -> str:
        """The root URL the site listens on, e.g. 'http://127.0.0.1:8765'."""
        host, port = self.server_address[:2]
        return f"http://{host!s}:{port}"

    def handle_error(self, request: Any, client_address: Any) -> None:
        """A client hanging up mid-response (e.g. refusing a 20 MB fault page) is normal, not an error."""
        if isinstance(sys.exc_info()[1], ConnectionResetError | BrokenPipeError):
            return
        super().handle_error(request, client_address)

    def server_close(self) -> None:
        """Close the socket and delete the state dir if it was a temporary one made for this server."""
        super().server_close()
        if self._owned_state_dir is not None:
            shutil.rmtree(self._owned_state_dir, ignore_errors=True)
            self._owned_state_dir = None


class FixtureSiteHandler(BaseHTTPRequestHandler):
    """Routes one request to the outlets, robots.txt, the publish endpoint or the fault routes."""

    server: FixtureSiteServer
    protocol_version = "HTTP/1.1"
    timeout = 60  # idle keep-alive connections are dropped after this many seconds

    def version_string(self) -> str:
        return "nginx/1.24.0"  # the imitated outlets do not announce a Python server

    def do_GET(self) -> None:
        self._handle(send_body=True)

    def do_HEAD(self) -> None:
        self._handle(send_body=False)

    def do_POST(self) -> None:
        path = urlsplit(self.path).path
        if path != "/_admin/publish":
            self._drain_body()
            self._send(405, "application/json", _json({"error": "POST is only accepted at /_admin/publish"}))
            return
        self._publish()

    def log_message(self, format: str, *args: Any) -> None:
        if self.server.verbose:
            sys.stderr.write(f"{self.address_string()} - {format % args}\n")

    # --- routing -----------------------------------------------------------------------------

    def _handle(self, send_body: bool) -> None:
        self.server.store.process_inbox()
        split = urlsplit(self.path)
        path = unquote(split.path)
        renderer = Renderer(self._root_url())
        if path.startswith("/_faults/"):
            fault = fault_response(path, self._root_url())
            if fault is None:
                self._send(404, HTML, renderer.not_found(None, path).encode(), send_body)
            else:
                self._send_fault(fault, send_body)
            return
        if path == "/robots.txt":
            self._send(200, "text/plain; charset=utf-8", renderer.robots().encode(), send_body)
            return
        if path == "/":
            self._send(200, HTML, renderer.index().encode(), send_body)
            return
        outlet_id, _, rest = path.lstrip("/").partition("/")
        site = OUTLETS.get(outlet_id)
        if site is None:
            self._send(404, HTML, renderer.not_found(None, path).encode(), send_body)
            return
        if "/" not in path.lstrip("/"):  # '/orient' -> '/orient/'
            self._redirect(renderer.outlet_base(site.id), send_body)
            return
        answer = self._outlet_page(renderer, site, rest)
        if answer is None:
            # Like the real sites, '/x' redirects to '/x/' (and back) when only the other one exists.
            alternative = rest[:-1] if rest.endswith("/") else rest + "/"
            if alternative and self._outlet_page(renderer, site, alternative) is not None:
                self._redirect(renderer.outlet_base(site.id) + quote(alternative, safe="/"), send_body)
                return
            self._send(404, HTML, renderer.not_found(site, rest).encode(), send_body)
            return
        content_type, body = answer
        encoded = body.encode()
        if not content_type.startswith(HTML):  # feeds and sitemaps carry validators, as real outlets' do
            self._send_conditional(content_type, encoded, send_body)
            return
        self._send(200, content_type, encoded, send_body)

    def _send_conditional(self, content_type: str, body: bytes, send_body: bool) -> None:
        """200 with an ETag, or 304 when the client's If-None-Match names the current one."""
        etag = '"' + hashlib.sha256(body).hexdigest()[:32] + '"'
        self.server.requests_seen.append((self.path, self.headers.get("If-None-Match")))
        if etag in [tag.strip() for tag in (self.headers.get("If-None-Match") or "").split(",")]:
            self._send(304, content_type, b"", send_body, extra_headers={"ETag": etag})
            return
        self._send(200, content_type, body, send_body, extra_headers={"ETag": etag})

    def _outlet_page(self, renderer: Renderer, site: OutletSite, rest: str) -> tuple[str, str] | None:
        store = self.server.store
        articles = store.articles(site.id)
        if rest == "":
            return HTML, renderer.home(site, articles)
        if rest == site.feed_path:
            return f"{site.feed_content_type}; charset=utf-8", renderer.feed(site, articles)
        if rest == site.sitemap_path:
            return "application/xml; charset=utf-8", renderer.sitemap(site, articles)
        if site.sitemap_format == "wp-index" and rest == WP_POSTS_SITEMAP:
            return "application/xml; charset=utf-8", renderer.wp_posts_sitemap(site, articles)
        if site.sitemap_format == "wp-index" and rest == WP_CATEGORIES_SITEMAP:
            return "application/xml; charset=utf-8", renderer.wp_categories_sitemap(site)
        if site.is_listing(rest):
            return HTML, renderer.listing(site, rest, articles)
        article = store.find(site.id, rest)
        if article is not None:
            return HTML, renderer.article(site, article, articles)
        return None

    # --- publishing --------------------------------------------------------------------------

    def _publish(self) -> None:
        length = int(self.headers.get("Content-Length") or 0)
        if length > MAX_BODY_BYTES:
            self._drain_body()
            self._send(413, "application/json", _json({"error": "request body too large"}))
            return
        raw = self.rfile.read(length)
        try:
            request = json.loads(raw.decode("utf-8"))
            article = self.server.store.publish(request)
        except (UnicodeDecodeError, json.JSONDecodeError) as exc:
            self._send(400, "application/json", _json({"error": f"the body is not valid JSON: {exc}"}))
            return
        except PublishError as exc:
            self._send(400, "application/json", _json({"error": str(exc)}))
            return
        url = Renderer(self._root_url()).article_url(article)
        self._send(201, "application/json", _json({"url": url}), extra_headers={"Location": url})

    # --- plumbing ----------------------------------------------------------------------------

    def _root_url(self) -> str:
        host = self.headers.get("Host")
        if not host:
            address, port = self.server.server_address[:2]
            host = f"{address!s}:{port}"
        return f"http://{host}"

    def _drain_body(self) -> None:
        length = int(self.headers.get("Content-Length") or 0)
        if 0 < length <= MAX_BODY_BYTES:
            self.rfile.read(length)
        elif length:
            self.close_connection = True

    def _redirect(self, location: str, send_body: bool = True) -> None:
        body = f'<html><body><a href="{location}">Moved</a></body></html>'.encode()
        self._send(301, HTML, body, send_body, extra_headers={"Location": location})

    def _send_fault(self, fault: FaultResponse, send_body: bool) -> None:
        if fault.declared_length is None:
            self._send(fault.status, fault.content_type, fault.body, send_body, extra_headers=fault.headers)
            return
        # Announce more than is sent, then hang up: the client sees the body cut short.
        self.send_response(fault.status)
        self.send_header("Content-Type", fault.content_type)
        self.send_header("Content-Length", str(fault.declared_length))
        for name, value in fault.headers.items():
            self.send_header(name, value)
        self.end_headers()
        if send_body:
            self.wfile.write(fault.body)
            self.wfile.flush()
        self.close_connection = True

    def _send(
        self,
        status: int,
        content_type: str,
        body: bytes,
        send_body: bool = True,
        extra_headers: dict[str, str] | None = None,
    ) -> None:
        self.send_response(status)
        no_body_allowed = status in (204, 304) or status < 200
        if not no_body_allowed:
            self.send_header("Content-Type", content_type)
            self.send_header("Content-Length", str(len(body)))
        for name, value in (extra_headers or {}).items():
            self.send_header(name, value)
        self.end_headers()
        if send_body and body and not no_body_allowed:
            self.wfile.write(body)


def _json(data: dict[str, Any]) -> bytes:
    return json.dumps(data, ensure_ascii=False).encode()


def make_server(
    host: str = "127.0.0.1", port: int = 8765, state_dir: Path | None = None, verbose: bool = False
) -> ThreadingHTTPServer:
    """A ready (not yet serving) fixture site; port 0 picks a free port, no state_dir a temporary one."""
    owned = None
    if state_dir is None:
        owned = state_dir = Path(tempfile.mkdtemp(prefix="rasad-fixture-site-"))
    state_dir = Path(state_dir)
    state_dir.mkdir(parents=True, exist_ok=True)
    try:
        return FixtureSiteServer((host, port), ArticleStore(state_dir), verbose, owned)
    except BaseException:
        if owned is not None:
            shutil.rmtree(owned, ignore_errors=True)
        raise


def serve(host: str = "127.0.0.1", port: int = 8765, state_dir: Path | None = None, verbose: bool = False) -> None:
    """Serve the fixture site in the foreground until interrupted (Ctrl-C), printing its URL."""
    server = make_server(host, port, state_dir, verbose=verbose)
    actual_host, actual_port = server.server_address[:2]
    print(f"Fixture site listening on http://{actual_host!s}:{actual_port}/", flush=True)
    try:
        server.serve_forever()
    except KeyboardInterrupt:
        pass
    finally:
        server.server_close()


def start_in_thread(server: ThreadingHTTPServer) -> threading.Thread:
    """Run `serve_forever` of a server from `make_server` in a daemon thread (stop: `server.shutdown()`)."""
    thread = threading.Thread(
        target=server.serve_forever, kwargs={"poll_interval": 0.05}, name="rasad-fixture-site", daemon=True
    )
    thread.start()
    return thread


def publish(
    base_url: str,
    outlet: str,
    title: str,
    body: str,
    published: datetime.date | None = None,
    slug: str | None = None,
    timeout: float = 10.0,
) -> str:
    """Publish an article on a running fixture site and return its absolute URL.

    `base_url` is the site's root (any path part is ignored, so an outlet's base URL works too).
    Raises FixtureSiteError when the site is unreachable or refuses the article.
    """
    parts = urlsplit(base_url)
    endpoint = f"{parts.scheme or 'http'}://{parts.netloc}/_admin/publish"
    payload: dict[str, Any] = {"outlet": outlet, "title": title, "body": body}
    if published is not None:
        payload["published"] = published.isoformat()
    if slug is not None:
        payload["slug"] = slug
    request = urllib.request.Request(
        endpoint, data=_json(payload), headers={"Content-Type": "application/json"}, method="POST"
    )
    try:
        with urllib.request.urlopen(request, timeout=timeout) as response:
            return str(json.loads(response.read().decode("utf-8"))["url"])
    except urllib.error.HTTPError as exc:
        with exc:
            detail = exc.read().decode("utf-8", errors="replace")
        with contextlib.suppress(ValueError, KeyError, TypeError):
            detail = json.loads(detail)["error"]
        raise FixtureSiteError(f"the fixture site refused the article (HTTP {exc.code}): {detail}") from None
    except (urllib.error.URLError, OSError) as exc:
        reason = getattr(exc, "reason", exc)
        raise FixtureSiteError(f"cannot reach the fixture site at {endpoint}: {reason}") from None
