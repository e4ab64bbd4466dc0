"""URL canonicalization: one spelling per article, so a page is stored and crawled once.

courlan removes tracking parameters (utm_*, fbclid, gclid, ref, ...), lower-cases the host and
drops default ports; w3lib then sorts the query, drops the fragment and fixes percent-encoding.
"""

from __future__ import annotations

from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

from courlan import normalize_url
from w3lib.url import canonicalize_url as w3lib_canonicalize


class InvalidURL(ValueError):
    """A string that is not an absolute http(s) URL."""


def canonicalize_url(url: str) -> str:
    """The canonical form of an absolute http(s) URL; raise `InvalidURL` for anything else."""
    url = url.strip()
    parts = urlsplit(url)
    if parts.scheme.lower() not in ("http", "https") or not parts.netloc:
        raise InvalidURL(f"not an absolute http(s) URL: {url!r}")
    try:
        url = normalize_url(url)
    except ValueError as exc:  # courlan raises on unparsable ports and the like
        raise InvalidURL(f"cannot normalize {url!r}: {exc}") from exc
    url = w3lib_canonicalize(url, keep_fragments=False)
    parts = urlsplit(url)
    if parts.query:
        # Parameters without a name are noise left by tracker removal.
        query = urlencode([(k, v) for k, v in parse_qsl(parts.query, keep_blank_values=True) if k])
        url = urlunsplit(parts._replace(query=query))
    return url
