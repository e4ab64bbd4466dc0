"""Downloader middlewares."""

from __future__ import annotations

import asyncio
import email.utils
import time

from scrapy import Request
from scrapy.crawler import Crawler
from scrapy.http import Response


def retry_after_seconds(value: bytes | str | None, now: float | None = None) -> float | None:
    """Seconds to wait from a Retry-After header (delta-seconds or an HTTP date); None if unusable."""
    if not value:
        return None
    text = value.decode("latin-1") if isinstance(value, bytes) else value
    text = text.strip()
    if text.isdigit():
        return float(text)
    try:
        when = email.utils.parsedate_to_datetime(text)
    except (TypeError, ValueError):
        return None
    return max(0.0, when.timestamp() - (now if now is not None else time.time()))


class RetryAfterMiddleware:
    """Honour `Retry-After` on 429/503 before Scrapy's RetryMiddleware retries the request.

    Outlets that throttle say how long to wait; retrying sooner only earns another 429. Waits
    longer than RASAD_RETRY_AFTER_MAX seconds are not honoured (the retry then fails and is recorded).
    """

    def __init__(self, max_wait: float):
        self.max_wait = max_wait

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> RetryAfterMiddleware:
        """Scrapy's constructor hook."""
        return cls(crawler.settings.getfloat("RASAD_RETRY_AFTER_MAX", 30.0))

    async def process_response(self, request: Request, response: Response) -> Response:
        """Sleep for the advertised delay (bounded), then let the retry middleware act."""
        if response.status in (429, 503):
            delay = retry_after_seconds(response.headers.get("Retry-After"))
            if delay is not None and delay <= self.max_wait:
                await asyncio.sleep(delay)
        return response
