"""Benchmark: `clean_html` against `trafilatura.extract` alone over the HTML cleaning cases.

Not a test: run `.venv/bin/python bench/bench_cleaning.py [iterations]`. Prints per-case
milliseconds side by side, the overall ratio, and the process RSS at start and end (a leak
shows as RSS growing with the iteration count).
"""

from __future__ import annotations

import contextlib
import json
import sys
import time
from pathlib import Path

import trafilatura

from rasad.cleaning import Rejected, clean_html, decode_page
from rasad.cleaning.evaluation import FIXTURES
from rasad.sources.models import Source


def rss_mib() -> float:
    """Resident set size of this process in MiB (Linux /proc)."""
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return float("nan")


def html_cases() -> list[tuple[str, bytes, str | None, Source | None, str | None]]:
    """(id, raw bytes, url, source, declared encoding) of every HTML fixture page."""
    root = FIXTURES / "cleaning"
    cases = []
    for case in json.loads((root / "manifest.json").read_text(encoding="utf-8"))["cases"]:
        if case["kind"] != "html":
            continue
        source = None
        if "source" in case:
            source = Source(
                id="bench", name="bench", base_url=case.get("url") or "https://x.example/", **case["source"]
            )
        raw = (root / case["file"]).read_bytes()
        cases.append((case["id"], raw, case.get("url"), source, case.get("declared_encoding")))
    try:  # the seed pages in their outlets' templates, when the fixture site is installed
        from rasad.fixture_site import outlets
        from rasad.fixture_site.content import load_seed_articles
        from rasad.fixture_site.render import Renderer

        articles = load_seed_articles()
        renderer = Renderer("http://127.0.0.1:8765")
        for article in articles:
            html = renderer.article(outlets.OUTLETS[article.outlet], article, articles)
            cases.append((f"site {article.outlet}", html.encode("utf-8"), renderer.article_url(article), None, None))
    except ImportError:
        pass
    cnn = FIXTURES / "corpus" / "cnn_arabic_2013" / "cnnarabic_2013_syria_clashes.html"
    cases.append(
        (
            "cnn_arabic_2013",
            cnn.read_bytes(),
            "http://arabic.cnn.com/2013/middle_east/8/3/syria.clashes/index.html",
            None,
            None,
        )
    )
    return cases


def main(iterations: int = 30) -> None:
    """Time both over all cases, `iterations` rounds each, after one warm-up round."""
    cases = html_cases()
    print(f"RSS at start: {rss_mib():.1f} MiB; {len(cases)} pages x {iterations} iterations")
    print(f"{'case':32s} {'extract ms':>11s} {'clean ms':>9s} {'ratio':>6s}")
    total_extract = total_clean = 0.0
    for case_id, raw, url, source, declared in cases:
        text, _ = decode_page(raw, declared)  # trafilatura gets the decoded string, as a caller would pass it

        def run_clean(
            raw: bytes = raw, url: str | None = url, source: Source | None = source, declared=declared
        ) -> None:
            with contextlib.suppress(Rejected):
                clean_html(raw, url=url, source=source, declared_encoding=declared)

        def run_extract(text: str = text, url: str | None = url) -> None:
            trafilatura.extract(text, url=url)

        run_clean()
        run_extract()
        start = time.perf_counter()
        for _ in range(iterations):
            run_extract()
        extract_ms = (time.perf_counter() - start) / iterations * 1000
        start = time.perf_counter()
        for _ in range(iterations):
            run_clean()
        clean_ms = (time.perf_counter() - start) / iterations * 1000
        total_extract += extract_ms
        total_clean += clean_ms
        print(f"{case_id:32s} {extract_ms:11.2f} {clean_ms:9.2f} {clean_ms / extract_ms:6.2f}")
    print(f"{'TOTAL':32s} {total_extract:11.2f} {total_clean:9.2f} {total_clean / total_extract:6.2f}")
    print(f"RSS at end: {rss_mib():.1f} MiB")


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 30)
