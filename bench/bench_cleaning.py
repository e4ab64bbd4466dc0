"""Benchmark: `clean_html` against `trafilatura.extract` alone over the HTML cleaning cases.

Not a test: run `.venv/bin/python bench/bench_cleaning.py [iterations] [--pages N] [--json]`.

Both run side by side in one process: every round times each page with `trafilatura.extract`
(on the decoded string, as a caller would pass it) and with `clean_html` (from bytes: decode,
parse, metadata, extraction, rules, fingerprints), alternating which goes first; a page's time is
the median of its rounds (process CPU time), so load from other processes on a shared machine
moves both columns alike. `ratio` is the sum of the clean medians over the sum of the extract medians (the whole
set, as a crawl sees it); `ratio_median_page` is the median of the per-page ratios.

Memory: after the timing, `clean_html` runs over the pages in turn until `--pages` cleanings
(default 10,000) have been done; RSS is read at start, after the timing rounds (warm) and at
the end. A leak shows as `rss_end_mb` well above `rss_warm_mb`.
`--json` prints one JSON object (for `bench/run.py` / `make bench`) instead of the table.
"""

from __future__ import annotations

import argparse
import contextlib
import json
import statistics
import time
from pathlib import Path
from typing import Any

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


def _timed(function) -> float:
    # CPU time of this process: on a shared machine, time spent waiting for a core is not the code's cost.
    start = time.process_time()
    function()
    return (time.process_time() - start) * 1000


def measure(iterations: int = 30, pages: int = 10_000) -> dict:
    """Time both side by side over every page, then clean `pages` pages for the memory reading."""
    rss_start = rss_mib()
    cases = html_cases()
    runs = []
    for case_id, raw, url, source, declared in cases:
        text, _ = decode_page(raw, declared)  # trafilatura gets the decoded string

        def run_clean(
            raw: bytes = raw, url: str | None = url, source: Source | None = source, declared=declared
        ) -> None:
            with contextlib.suppress(Rejected):
                clean_html(raw, url=url, source=source, declared_encoding=declared)

        def run_extract(text: str = text, url: str | None = url) -> None:
            trafilatura.extract(text, url=url)

        run_clean()  # warm-up: rules loaded, caches filled
        run_extract()
        runs.append((case_id, run_clean, run_extract))
    samples: dict[str, tuple[list[float], list[float]]] = {case_id: ([], []) for case_id, _, _ in runs}
    for round_ in range(iterations):
        for case_id, run_clean, run_extract in runs:
            clean, extract = samples[case_id]
            if round_ % 2:
                clean.append(_timed(run_clean))
                extract.append(_timed(run_extract))
            else:
                extract.append(_timed(run_extract))
                clean.append(_timed(run_clean))
    rss_warm = rss_mib()
    done = 0
    while done < pages:
        for _, run_clean, _ in runs:
            if done >= pages:
                break
            run_clean()
            done += 1
    rss_end = rss_mib()
    per_case: list[dict[str, Any]] = [
        {
            "case": case_id,
            "trafilatura_ms": statistics.median(extract),
            "clean_ms": statistics.median(clean),
        }
        for case_id, (clean, extract) in samples.items()
    ]
    for row in per_case:
        row["ratio"] = row["clean_ms"] / row["trafilatura_ms"]
    total_clean = sum(row["clean_ms"] for row in per_case)
    total_extract = sum(row["trafilatura_ms"] for row in per_case)
    return {
        "clean_ms_median": statistics.median(row["clean_ms"] for row in per_case),
        "trafilatura_ms_median": statistics.median(row["trafilatura_ms"] for row in per_case),
        "clean_ms_total": total_clean,
        "trafilatura_ms_total": total_extract,
        "ratio": total_clean / total_extract,
        "ratio_median_page": statistics.median(row["ratio"] for row in per_case),
        "rss_start_mb": rss_start,
        "rss_warm_mb": rss_warm,
        "rss_end_mb": rss_end,
        "pages": len(cases),
        "iterations": iterations,
        "pages_cleaned_for_memory": done,
        "cases": per_case,
    }


def main(argv: list[str] | None = None) -> None:
    """Command line: table (default) or one JSON object (`--json`)."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("iterations", nargs="?", type=int, default=30, help="timing rounds per page")
    parser.add_argument("--pages", type=int, default=10_000, help="cleanings for the memory reading")
    parser.add_argument("--json", action="store_true", help="print one JSON object")
    args = parser.parse_args(argv)
    result = measure(args.iterations, args.pages)
    if args.json:
        print(json.dumps({k: v for k, v in result.items() if k != "cases"}))
        return
    print(f"{result['pages']} pages x {args.iterations} rounds, medians per page")
    print(f"{'case':32s} {'extract ms':>11s} {'clean ms':>9s} {'ratio':>6s}")
    for row in result["cases"]:
        print(f"{row['case']:32s} {row['trafilatura_ms']:11.2f} {row['clean_ms']:9.2f} {row['ratio']:6.2f}")
    total = f"{result['trafilatura_ms_total']:11.2f} {result['clean_ms_total']:9.2f} {result['ratio']:6.2f}"
    print(f"{'TOTAL':32s} {total}")
    print(
        f"median page: extract {result['trafilatura_ms_median']:.2f} ms, clean {result['clean_ms_median']:.2f} ms, "
        f"median page ratio {result['ratio_median_page']:.2f}"
    )
    print(
        f"RSS: start {result['rss_start_mb']:.1f} MiB, warm {result['rss_warm_mb']:.1f} MiB, "
        f"end {result['rss_end_mb']:.1f} MiB after {result['pages_cleaned_for_memory']} more pages"
    )


if __name__ == "__main__":
    main()
