"""Deliberately bad responses under `/_faults/`, for tests of how the crawler copes with bad input."""

from __future__ import annotations

import functools
import gzip
import re
import struct
import time
import zlib
from dataclasses import dataclass, field
from http import HTTPStatus

MAX_SLOW_SECONDS = 120.0
MAX_HUGE_MB = 64
MAX_SITEMAP_URLS = 100_000
MAX_REDIRECT_LOOP_HOPS = 1_000


def _png_pixel() -> bytes:
    """A valid 1x1 transparent PNG."""

    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))

    header = struct.pack(">IIBBBBB", 1, 1, 8, 6, 0, 0, 0)  # 1x1, 8-bit RGBA
    pixels = zlib.compress(b"\x00\x00\x00\x00\x00")  # filter byte + one RGBA pixel
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", pixels) + chunk(b"IEND", b"")


PNG_BYTES = _png_pixel()


@dataclass(frozen=True)
class FaultResponse:
    """What to answer: status, content type and body."""

    status: int
    content_type: str
    body: bytes
    headers: dict[str, str] = field(default_factory=dict)
    # When set, announced as Content-Length although only `body` is sent; the server then closes
    # the connection, as an outlet whose connection drops mid-response does.
    declared_length: int | None = None


def _page(title: str, text: str) -> bytes:
    return (
        f'<!DOCTYPE html><html lang="en"><head><meta charset="utf-8"><title>{title}</title></head>'
        f"<body><h1>{title}</h1><p>{text}</p></body></html>"
    ).encode()


ARABIC_PARAGRAPH = (
    "قال وزير الخارجية التركي إن بلاده مستعدة لمواصلة المحادثات مع الحكومة السورية في موسكو "
    "بوساطة روسية، وإن الاجتماع المقبل سيبحث عودة اللاجئين وأمن الحدود المشتركة بين البلدين."
)


def _arabic_page(title: str, paragraphs: int = 4, charset_meta: bool = True) -> str:
    meta = '<meta charset="utf-8">' if charset_meta else ""
    body = "".join(f"<p>{ARABIC_PARAGRAPH} ({i})</p>" for i in range(paragraphs))
    return (
        f'<!DOCTYPE html><html lang="ar" dir="rtl"><head>{meta}<title>{title}</title></head>'
        f"<body><article><h1>{title}</h1>{body}</article></body></html>"
    )


@functools.lru_cache(maxsize=4)
def _huge_page(megabytes: int) -> bytes:
    """An HTML page of `megabytes` MiB (comment padding after a real article)."""
    head = _arabic_page("صفحة ضخمة").encode()
    return head + b"<!--" + b"x" * max(0, megabytes * 1024 * 1024 - len(head) - 7) + b"-->"


@functools.lru_cache(maxsize=4)
def _big_sitemap(count: int) -> bytes:
    """A urlset of `count` URLs under `/_faults/sitemap-page/<n>`."""
    urls = "".join(f"<url><loc>/_faults/sitemap-page/{i}</loc></url>" for i in range(count))
    return (
        '<?xml version="1.0" encoding="UTF-8"?>'
        f'<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">{urls}</urlset>'
    ).encode()


def _gzip_page() -> bytes:
    return gzip.compress(_arabic_page("صفحة مضغوطة", paragraphs=40).encode(), mtime=0)


BROKEN_MARKUP = (
    '<html><head><title>ترميز مكسور</title><body><div class="post"><h1>ترميز مكسور'
    "<p>" + ARABIC_PARAGRAPH + "<p><b><i>" + ARABIC_PARAGRAPH + "</b></i>"
    "<table><tr><td>" + ARABIC_PARAGRAPH + "<script>if (a < b && c > d) {</script>"
    "<p>" + ARABIC_PARAGRAPH + "</div></div></span><![CDATA[ junk <p>" + ARABIC_PARAGRAPH
)


def fault_response(path: str, host_url: str = "") -> FaultResponse | None:
    """The response for a `/_faults/...` path, or None when the path names no fault.

    `host_url` (e.g. 'http://127.0.0.1:8765') makes URLs in sitemaps and redirects absolute.
    """
    if extended := _extended_fault(path, host_url):
        return extended
    if match := re.fullmatch(r"/_faults/status/(\d{3})", path):
        code = int(match.group(1))
        if not 200 <= code <= 599:
            return None
        try:
            phrase = HTTPStatus(code).phrase
        except ValueError:
            phrase = "Unknown"
        body = b"" if code in (204, 304) else _page(f"{code} {phrase}", "A fault on purpose.")
        return FaultResponse(code, "text/html; charset=utf-8", body)
    if match := re.fullmatch(r"/_faults/slow/(\d+(?:\.\d+)?)(?:/\w+)?", path):
        seconds = min(float(match.group(1)), MAX_SLOW_SECONDS)
        time.sleep(seconds)
        return FaultResponse(200, "text/html; charset=utf-8", _page("Slow page", f"Answered after {seconds}s."))
    if path == "/_faults/not-xml":
        return FaultResponse(200, "application/rss+xml; charset=utf-8", _page("Not a feed", "HTML, not XML."))
    if path == "/_faults/binary":
        return FaultResponse(200, "image/png", PNG_BYTES)
    if path == "/_faults/empty":
        return FaultResponse(200, "text/html; charset=utf-8", b"")
    return None


def _extended_fault(path: str, host_url: str) -> FaultResponse | None:
    """Outlets misbehaving: throttling, redirect loops, huge or truncated bodies, odd encodings."""
    html = "text/html; charset=utf-8"
    if match := re.fullmatch(r"/_faults/retry-after/(\d+)", path):
        body = _page("429 Too Many Requests", "Slow down.")
        return FaultResponse(429, html, body, headers={"Retry-After": match.group(1)})
    if match := re.fullmatch(r"/_faults/redirect-loop/(\d+)", path):
        # Two URLs sending the client to each other forever.
        hop = int(match.group(1)) % 2
        location = f"{host_url}/_faults/redirect-loop/{1 - hop}"
        return FaultResponse(302, html, _page("Moved", "Round and round."), headers={"Location": location})
    if match := re.fullmatch(r"/_faults/huge/(\d+)", path):
        return FaultResponse(200, html, _huge_page(min(int(match.group(1)), MAX_HUGE_MB)))
    if path == "/_faults/truncated-gzip":
        # Content-Encoding gzip, Content-Length of the whole stream, half of it sent, connection closed.
        full = _gzip_page()
        return FaultResponse(
            200, html, full[: len(full) // 2], headers={"Content-Encoding": "gzip"}, declared_length=len(full)
        )
    if path == "/_faults/corrupt-gzip":
        # A gzip header followed by bytes that are not a deflate stream: nothing can be decoded.
        body = _gzip_page()[:10] + b"\xff" * 64
        return FaultResponse(200, html, body, headers={"Content-Encoding": "gzip"})
    if path == "/_faults/html-feed":
        return FaultResponse(200, html, _arabic_page("ليست خلاصة").encode())
    if match := re.fullmatch(r"/_faults/sitemap-big/(\d+)\.xml", path):
        count = min(int(match.group(1)), MAX_SITEMAP_URLS)
        body = _big_sitemap(count).replace(b"<loc>/", f"<loc>{host_url}/".encode())
        return FaultResponse(200, "application/xml; charset=utf-8", body)
    if match := re.fullmatch(r"/_faults/sitemap-page/(\d+)", path):
        return FaultResponse(200, html, _arabic_page(f"مقال رقم {match.group(1)}").encode())
    if match := re.fullmatch(r"/_faults/cp1256(?:/\w+)?", path):
        # windows-1256 bytes, no charset in the header nor in the page.
        body = _arabic_page("صفحة بترميز ويندوز", charset_meta=False).encode("cp1256")
        return FaultResponse(200, "text/html", body)
    if re.fullmatch(r"/_faults/broken-markup(?:/\w+)?", path):
        return FaultResponse(200, html, BROKEN_MARKUP.encode())
    if match := re.fullmatch(r"/_faults/links/([\w,/.-]+)", path):
        # A listing page linking to the comma-separated paths (relative to the site root).
        links = "".join(f'<a href="{host_url}/{p}">{p}</a> ' for p in match.group(1).split(","))
        return FaultResponse(200, html, f"<html><body>{links}</body></html>".encode())
    return None
