"""Deliberately bad responses under `/_faults/`, for tests of how the crawler copes with bad input."""

from __future__ import annotations

import re
import struct
import time
import zlib
from dataclasses import dataclass
from http import HTTPStatus

MAX_SLOW_SECONDS = 120.0


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


def _page(title: str, text: str) -> bytes:
    return (
        f'<!DOCTYPE html><html lang="en"><head><meta charset="utf-8"><title>{title}</title></head>'
        f"<body><h1>{title}</h1><p>{text}</p></body></html>"
    ).encode()


def fault_response(path: str) -> FaultResponse | None:
    """The response for a `/_faults/...` path, or None when the path names no fault."""
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
    if match := re.fullmatch(r"/_faults/slow/(\d+(?:\.\d+)?)", path):
        seconds = min(float(match.group(1)), MAX_SLOW_SECONDS)
        time.sleep(seconds)
        return FaultResponse(
            200, "text/html; charset=utf-8", _page("Slow page", f"Answered after {seconds}s.")
        )
    if path == "/_faults/not-xml":
        return FaultResponse(200, "application/rss+xml; charset=utf-8", _page("Not a feed", "HTML, not XML."))
    if path == "/_faults/binary":
        return FaultResponse(200, "image/png", PNG_BYTES)
    if path == "/_faults/empty":
        return FaultResponse(200, "text/html; charset=utf-8", b"")
    return None
