"""Benchmark extraction: KB load time and per-article latency on ~5 KB articles.

    .venv/bin/python bench/bench_extraction.py [--repeat N]

Articles are the seed bodies and the annotated cases, concatenated to about 5 KB each so the
figure is per 5 KB of text. One core, median of N passes after a warm-up.
"""

from __future__ import annotations

import argparse
import statistics
import time

from rasad.extraction import extract
from rasad.extraction.evaluation import load_cases, load_seed_cases
from rasad.extraction.kb import DEFAULT_KB_DIR, build_knowledge_base


def _articles(target: int = 5000) -> list[tuple[str, object]]:
    texts = [(c.body, c.published_at) for c in load_seed_cases() + load_cases()]
    out = []
    buf, pub = "", None
    for body, published in texts:
        buf = f"{buf}\n\n{body}" if buf else body
        pub = pub or published
        if len(buf) >= target:
            out.append((buf[: target + 500], pub))
            buf, pub = "", None
    return out


def main() -> None:
    """Print KB load time and the median/p95 extraction time per 5 KB article."""
    parser = argparse.ArgumentParser()
    parser.add_argument("--repeat", type=int, default=20)
    args = parser.parse_args()
    t0 = time.perf_counter()
    kb = build_knowledge_base(DEFAULT_KB_DIR)
    load_ms = (time.perf_counter() - t0) * 1000
    articles = _articles()
    for body, pub in articles:  # warm-up: grammar and fuzzy caches
        extract(title=None, body=body, published_at=pub, kb=kb)
    timings, cpu = [], []
    for _ in range(args.repeat):
        for body, pub in articles:
            t, c = time.perf_counter(), time.process_time()
            extract(title=None, body=body, published_at=pub, kb=kb)
            timings.append((time.perf_counter() - t) * 1000)
            cpu.append((time.process_time() - c) * 1000)
    timings.sort()
    sizes = [len(b) for b, _ in articles]
    print(f"KB load: {load_ms:.0f} ms")
    print(f"articles: {len(articles)} of {min(sizes)}-{max(sizes)} chars, {args.repeat} passes")
    print(f"extract wall median: {statistics.median(timings):.2f} ms, p95: {timings[int(len(timings) * 0.95)]:.2f} ms")
    print(f"extract CPU median: {statistics.median(cpu):.2f} ms")


if __name__ == "__main__":
    main()
