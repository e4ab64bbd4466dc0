"""Query benchmark: 200,000 synthetic Arabic articles in a scratch PostgreSQL database, timed over HTTP.

    .venv/bin/python bench/bench_query.py [--articles 200000] [--requests 300]

The articles are built from sentences of the seed articles plus templated sentences naming KB
people and places in their various spellings, spread over 30 outlets and four years. The API is
served by uvicorn on a loopback port; the script reports p50/p95 latency of full-text search,
`/events` and article detail, then drops the scratch database. Not a test: targets are p95 of
100 ms (search), 50 ms (events) and 20 ms (article detail).
"""

from __future__ import annotations

import argparse
import json
import os
import random
import re
import shutil
import subprocess
import sys
import tempfile
import time
import uuid
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import httpx
import psycopg
from sqlalchemy import create_engine
from sqlalchemy.engine import Engine, make_url
from sqlalchemy.orm import Session

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from db.migrate import upgrade  # noqa: E402
from db.search_backend import index_articles  # noqa: E402
from rasad.extraction import load_knowledge_base  # noqa: E402
from rasad.search.terms import document_words  # noqa: E402
from rasad.text.arabic import normalize_arabic  # noqa: E402

ADMIN_URL = os.environ.get("RASAD_BENCH_POSTGRES_URL", "postgresql://postgres@127.0.0.1:5432/test")
TEMPLATES = [
    "التقى {role} {person} نظيره في {place} لبحث ملف التطبيع بين أنقرة ودمشق.",
    "وقال {person} إن الاجتماع المقبل سيعقد في {place} خلال الأسابيع القادمة.",
    "وأفادت مصادر مطلعة بأن {person} سيزور {place} الشهر المقبل للقاء المسؤولين.",
    "وأكد {role} {person} أن بلاده تدعم الحوار، مشيراً إلى لقاء مرتقب في {place}.",
    "وبحث {person} مع نظيره في اتصال هاتفي التحضيرات للاجتماع الرباعي في {place}.",
]
ROLES = ["وزير الخارجية", "الرئيس", "وزير الدفاع", "رئيس جهاز الاستخبارات", "نائب وزير الخارجية"]
QUERIES = [
    "جاويش أوغلو", "فيدان", "موسكو", "الاجتماع الرباعي", "بغداد", "لافروف", "التطبيع", "أردوغان الأسد",
    "اللاجئين", "قسد", "وزير الدفاع", "المقداد", "أستانا", "إيران", "الحدود", "عودة اللاجئين", "دمشق أنقرة",
    "الشيباني", "حميميم", "كالن",
]  # fmt: skip


def seed_sentences() -> list[str]:
    """Sentences of the seed articles (the realistic part of the synthetic text)."""
    sentences = []
    for path in sorted((ROOT / "rasad" / "fixtures" / "seeds").glob("*.txt")):
        for s in re.split(r"(?<=[.!؟])\s+|\n+", path.read_text(encoding="utf-8")):
            s = s.strip()
            if 40 <= len(s) <= 400 and re.search("[\u0600-\u06ff]", s):
                sentences.append(s)
    return sentences


def make_articles(count: int, rng: random.Random) -> list[tuple]:
    """(source, title, body, published_at) tuples."""
    kb = load_knowledge_base()
    people = [n for p in kb.persons.values() for n in p.names]
    places = [n for p in kb.places.values() for n in p.names]
    sentences = seed_sentences()
    start = datetime(2022, 1, 1, tzinfo=UTC)
    rows = []
    for _ in range(count):
        parts = rng.sample(sentences, rng.randint(5, 9))
        for _ in range(rng.randint(1, 3)):
            template = rng.choice(TEMPLATES)
            parts.insert(
                rng.randrange(len(parts) + 1),
                template.format(role=rng.choice(ROLES), person=rng.choice(people), place=rng.choice(places)),
            )
        body = "\n\n".join(parts)
        title = parts[0][:120]
        published = start + timedelta(minutes=rng.randrange(4 * 365 * 24 * 60))
        rows.append((f"outlet-{rng.randrange(30):02d}", title, body, published))
    return rows


def _index(engine: Engine, first_id: int, rows: list[tuple]) -> None:
    """The search index of a batch, written as the store writes it (`db.search_backend.index_articles`)."""
    documents = [
        (first_id + k + 1, document_words(title, normalize_arabic(body))) for k, (_, title, body, _) in enumerate(rows)
    ]
    with Session(engine) as session, session.begin():
        index_articles(session, documents)


def load(url: str, count: int, rng: random.Random) -> tuple[int, int]:
    """Insert sources, pages, articles with their search words (as the store writes them) and developments."""
    kb = load_knowledge_base()
    canonical = [p.name for p in kb.persons.values()]
    codes = sorted(kb.countries)
    engine = create_engine(make_url(url).set(drivername="postgresql+psycopg"))
    with psycopg.connect(url) as conn:
        with (
            conn.cursor() as cur,
            cur.copy(
                "COPY sources (id, name, language, base_url, enabled, verified, "
                "interval_minutes, config, updated_at) FROM STDIN"
            ) as copy,
        ):
            for i in range(30):
                copy.write_row(
                    (
                        f"outlet-{i:02d}",
                        f"منفذ {i}",
                        "ar",
                        f"https://o{i}.example/",
                        True,
                        True,
                        30,
                        "{}",
                        datetime.now(UTC),
                    )
                )
        batch = 20_000
        article_id = 0
        t0 = time.perf_counter()
        for offset in range(0, count, batch):
            rows = make_articles(min(batch, count - offset), rng)
            with conn.cursor() as cur:
                with cur.copy(
                    "COPY raw_pages (id, source_id, url, fetched_url, http_status, body_gz, body_sha256, "
                    "fetched_at, state, attempts) FROM STDIN"
                ) as copy:
                    for k, (source, _, _, published) in enumerate(rows):
                        n = article_id + k + 1
                        url_ = f"https://{source}.example/a/{n}"
                        copy.write_row((n, source, url_, url_, 200, b"", "0" * 64, published, "processed", 1))
                with cur.copy(
                    "COPY articles (id, raw_page_id, source_id, url, title, body, body_normalized, "
                    "language, authors, published_at, content_hash, relevant, relevance, topics, "
                    "created_at, updated_at) FROM STDIN"
                ) as copy:
                    for k, (source, title, body, published) in enumerate(rows):
                        n = article_id + k + 1
                        relevant = rng.random() < 0.4
                        copy.write_row((
                            n, n, source, f"https://{source}.example/a/{n}", title, body, normalize_arabic(body),
                            "ar", "[]", published, uuid.uuid4().hex, relevant, rng.random(),
                            json.dumps(["turkey_syria_normalization"] if relevant else []), published, published,
                        ))  # fmt: skip
            conn.commit()
            _index(engine, article_id, rows)
            article_id += len(rows)
            print(f"  {article_id:>7} articles ({time.perf_counter() - t0:.0f} s)", flush=True)
        with conn.cursor() as cur:
            for table in ("raw_pages", "articles"):
                cur.execute(f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), {article_id})")
        developments = 0
        with conn.cursor() as cur:
            for _ in range(count // 50):
                countries = sorted(rng.sample(codes, 2))
                persons = sorted(rng.sample(canonical, rng.randint(1, 3)))
                day = date(2022, 1, 1) + timedelta(days=rng.randrange(4 * 365))
                status = rng.choice(["proposed", "planned", "held"])
                cur.execute(
                    "INSERT INTO developments (kind, status, level, countries, countries_key, persons, location, "
                    "date, date_start, topics, summary, first_reported_on, first_seen_at, updated_at) VALUES "
                    "(%s, %s, %s, %s, %s, %s, %s, %s, %s, %s, %s, %s, now(), now()) RETURNING id",
                    ("meeting", status, rng.choice(["foreign_ministers", "heads_of_state", "intelligence"]),
                     json.dumps(countries), ",".join(countries), json.dumps(persons), rng.choice(["Moscow", None]),
                     day.isoformat(), day, json.dumps(["turkey_syria_normalization"]), "meeting", day),
                )  # fmt: skip
                row = cur.fetchone()
                assert row is not None
                dev_id = row[0]
                sources = rng.sample(range(1, article_id + 1), rng.randint(3, 25))
                cur.executemany(
                    "INSERT INTO development_sources (development_id, article_id, status, evidence, added_at) "
                    "VALUES (%s, %s, %s, %s, now())",
                    [(dev_id, a, status, "عقد الاجتماع في موسكو") for a in sources],
                )
                cur.executemany(
                    "INSERT INTO development_changes (development_id, article_id, change, old_value, new_value, at) "
                    "VALUES (%s, %s, %s, %s, %s, now())",
                    [(dev_id, sources[0], "new", None, "meeting"), (dev_id, sources[-1], "status", "planned", status)],
                )
                developments += 1
        conn.commit()
    # Statistics for the planner after a bulk load (VACUUM must run outside a transaction).
    with psycopg.connect(url, autocommit=True) as conn:
        conn.execute("VACUUM ANALYZE")
        indexed = conn.execute("SELECT count(*) FROM article_search").fetchone()[0]  # type: ignore[index]
    engine.dispose()
    if indexed != article_id:  # a search over a missing index would be fast and find nothing
        raise RuntimeError(f"{indexed} of {article_id} articles are in the search index")
    return article_id, developments


def percentile(values: list[float], q: float) -> float:
    """The q-th percentile (0..100) of values, in milliseconds."""
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(q / 100 * (len(ordered) - 1)))] * 1000


def measure(client: httpx.Client, paths: list[str], requests: int, rng: random.Random) -> tuple[float, float]:
    """p50 and p95 latency over `requests` GETs of paths chosen at random (after a warm-up)."""
    for path in paths[:20]:
        client.get(path).raise_for_status()
    timings = []
    for _ in range(requests):
        path = rng.choice(paths)
        t0 = time.perf_counter()
        client.get(path).raise_for_status()
        timings.append(time.perf_counter() - t0)
    return percentile(timings, 50), percentile(timings, 95)


def main() -> None:
    """Create the scratch database, load it, serve it, measure, drop it."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--articles", type=int, default=200_000)
    parser.add_argument("--requests", type=int, default=300)
    parser.add_argument("--port", type=int, default=8799)
    parser.add_argument("--keep", action="store_true", help="Keep the scratch database (prints its name).")
    parser.add_argument("--database", help="Measure an existing database kept by --keep (no loading).")
    args = parser.parse_args()
    rng = random.Random(7)
    name = args.database or f"rasad_bench_{uuid.uuid4().hex[:8]}"
    admin = make_url(ADMIN_URL)
    admin_dsn = admin.set(drivername="postgresql").render_as_string(hide_password=False)
    if not args.database:
        with psycopg.connect(admin_dsn, autocommit=True) as conn:
            conn.execute(f'CREATE DATABASE "{name}"')
    url = admin.set(database=name)
    sqlalchemy_url = url.set(drivername="postgresql+psycopg").render_as_string(hide_password=False)
    dsn = url.set(drivername="postgresql").render_as_string(hide_password=False)
    server = None
    data_dir = tempfile.mkdtemp(prefix="rasad-bench-")
    try:
        upgrade(sqlalchemy_url)
        if args.database:
            with psycopg.connect(dsn) as conn:
                articles = conn.execute("SELECT count(*) FROM articles").fetchone()[0]  # type: ignore[index]
                developments = conn.execute("SELECT count(*) FROM developments").fetchone()[0]  # type: ignore[index]
        else:
            t0 = time.perf_counter()
            print(f"loading {args.articles} articles into {name} …", flush=True)
            articles, developments = load(dsn, args.articles, rng)
            print(f"loaded {articles} articles, {developments} developments in {time.perf_counter() - t0:.0f} s")
        env = {**os.environ, "DATABASE_URL": sqlalchemy_url, "RASAD_DATA_DIR": data_dir}
        server = subprocess.Popen(
            [sys.executable, "-m", "uvicorn", "rasad.api.app:create_app", "--factory", "--host", "127.0.0.1",
             "--port", str(args.port), "--log-level", "warning"], cwd=ROOT, env=env,
        )  # fmt: skip
        base = f"http://127.0.0.1:{args.port}"
        with httpx.Client(base_url=base, timeout=30) as client:
            for _ in range(100):
                try:
                    client.get("/openapi.json")
                    break
                except httpx.TransportError:
                    time.sleep(0.2)
            search = [f"/articles?q={q}&limit=20" for q in QUERIES]
            events = [
                "/events",
                "/events?limit=20",
                "/events?person=fidan",
                "/events?country=IQ",
                "/events?status=held&date_from=2023-03-01",
                "/events?level=foreign_ministers",
            ]
            details = [f"/articles/{rng.randint(1, articles)}" for _ in range(1000)]
            results = {
                "full-text search (/articles?q=…)": (measure(client, search, args.requests, rng), 100),
                "/events": (measure(client, events, args.requests, rng), 50),
                "article detail (/articles/{id})": (measure(client, details, args.requests, rng), 20),
            }
        print(f"\n{articles} articles, {developments} developments, {args.requests} requests each, loopback HTTP")
        for label, ((p50, p95), target) in results.items():
            verdict = "ok" if p95 <= target else "OVER TARGET"
            print(f"  {label:<36} p50 {p50:7.1f} ms   p95 {p95:7.1f} ms   (target p95 ≤ {target} ms: {verdict})")
    finally:
        if server is not None:
            server.terminate()
            server.wait(10)
        shutil.rmtree(data_dir, ignore_errors=True)
        if args.keep or args.database:
            print(f"kept database {name}")
        else:
            with psycopg.connect(admin_dsn, autocommit=True) as conn:
                conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


if __name__ == "__main__":
    main()
