"""`make bench`: Rasad's throughput and memory on this machine, in one command.

    .venv/bin/python bench/run.py [--runs 3] [--extra-articles 300] [--skip-scripts]

Writes `bench/results/latest.json` and `bench/results/latest.md`. Every figure is the median over
`--runs` repetitions; every comparison is a ratio of figures measured in the same invocation.

- crawl: `rasad crawl --all` against the fixture site (with extra published articles), pages/s,
  beside `scrapy bench` (Scrapy's own local benchmark) run now, as a ratio;
- processing: clean + extract + store through a real Celery worker, articles/s per worker
  process, on the embedded default (SQLite + SQLAlchemy broker) and on PostgreSQL + Redis with
  one and two worker processes; plus the in-process split between clean+extract (CPU) and store (DB);
- peak RSS (VmHWM from /proc) of the crawler and of the worker (main process and pool children);
- the figures of the other benchmark scripts (`bench/bench_*.py`), run as subprocesses.

PostgreSQL (RASAD_TEST_POSTGRES_URL, default postgres@127.0.0.1:5432/test) and Redis
(RASAD_TEST_REDIS_URL, default 127.0.0.1:6379/0) are needed for the production figures; the
scratch database is dropped and the queue deleted afterwards.
"""

from __future__ import annotations

import argparse
import gzip
import json
import os
import platform
import random
import re
import signal
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import uuid
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
RESULTS = ROOT / "bench" / "results"
PY = sys.executable
POSTGRES_ADMIN_URL = os.environ.get("RASAD_TEST_POSTGRES_URL", "postgresql+psycopg://postgres@127.0.0.1:5432/test")
REDIS_URL = os.environ.get("RASAD_TEST_REDIS_URL", "redis://127.0.0.1:6379/0")
OUTLETS = ("orient", "arabi21", "alaraby", "syriatv", "syrian-wp")
# Other engineers' benchmarks: arguments sized to keep `make bench` near twenty minutes, and a time limit.
SCRIPTS: dict[str, tuple[list[str], float]] = {
    "bench_cleaning.py": (["10", "--pages", "2000"], 240),
    "bench_extraction.py": (["--repeat", "10"], 240),
    "bench_alerts.py": (["--mode", "embedded", "--n", "3"], 180),
    "bench_query.py": (["--articles", "20000", "--requests", "200"], 240),
    # publication → alert under adaptive and fixed one-minute polling, side by side (about 12 minutes)
    "bench_freshness.py": (["--window", "480", "--grace", "150"], 1200),
}
SENTENCES = [
    "قال وزير الخارجية التركي هاكان فيدان إن بلاده مستعدة لمواصلة المحادثات مع الحكومة السورية.",
    "وأضاف أن الاجتماع الرباعي في موسكو سيبحث عودة اللاجئين وأمن الحدود المشتركة بين البلدين.",
    "وذكرت مصادر دبلوماسية أن الجانبين اتفقا على تشكيل لجان فنية لمتابعة الملفات العالقة.",
    "وكان وزير الخارجية السوري فيصل المقداد قد التقى نظيره التركي بوساطة روسية وإيرانية.",
    "ورأى محللون أن مسار التطبيع بين أنقرة ودمشق يواجه عقبات تتعلق بالوجود العسكري التركي في الشمال.",
    "وأكدت وزارة الدفاع الروسية أن اجتماع وزراء الدفاع ورؤساء أجهزة الاستخبارات عقد في أجواء إيجابية.",
    "وفي سياق متصل، دعا العراق إلى استضافة جولة جديدة من المباحثات بين الطرفين في بغداد.",
    "وتطالب دمشق بانسحاب القوات التركية من الأراضي السورية قبل أي لقاء على مستوى الرؤساء.",
    "من جهته، قال الرئيس التركي رجب طيب أردوغان إنه قد يلتقي بشار الأسد في أي وقت.",
    "وشهدت المدن الحدودية احتجاجات على خطط إعادة اللاجئين السوريين إلى مناطق الشمال.",
]


# -- processes and memory ---------------------------------------------------------------------------


def vm_hwm_kb(pid: int) -> int:
    """Peak resident set size of a live process (VmHWM), in KiB; 0 when it is gone."""
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith("VmHWM:"):
                return int(line.split()[1])
    except OSError:
        pass
    return 0


def descendants(pid: int) -> list[int]:
    """Every process whose ancestry includes `pid`."""
    parents: dict[int, int] = {}
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
            parents[int(stat.parent.name)] = int(fields[1])
        except (OSError, IndexError, ValueError):
            continue
    found, frontier = [], [pid]
    while frontier:
        current = frontier.pop()
        children = [child for child, parent in parents.items() if parent == current]
        found += children
        frontier += children
    return found


class PeakRss:
    """Polls a process tree's VmHWM until stopped: the largest process and the largest tree total."""

    def __init__(self, pid: int, interval: float = 0.2) -> None:
        self.pid = pid
        self.per_process: dict[int, int] = {}
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._poll, args=(interval,), daemon=True)
        self._thread.start()

    def _poll(self, interval: float) -> None:
        while not self._stop.is_set():
            for pid in [self.pid, *descendants(self.pid)]:
                if peak := vm_hwm_kb(pid):
                    self.per_process[pid] = max(self.per_process.get(pid, 0), peak)
            self._stop.wait(interval)

    def stop(self) -> dict[str, float]:
        """Stop polling; MiB of the main process, the largest child and the whole tree."""
        self._stop.set()
        self._thread.join()
        children = [v for pid, v in self.per_process.items() if pid != self.pid]
        return {
            "main_mib": round(self.per_process.get(self.pid, 0) / 1024, 1),
            "largest_child_mib": round(max(children, default=0) / 1024, 1),
            "tree_mib": round(sum(self.per_process.values()) / 1024, 1),
        }


def rasad(args: list[str], env: dict[str, str], timeout: float = 300) -> subprocess.CompletedProcess[str]:
    """Run `rasad ARGS`; raise with its output when it fails."""
    result = subprocess.run([PY, "-m", "rasad", *args], env=env, capture_output=True, text=True, timeout=timeout)
    if result.returncode != 0:
        raise RuntimeError(f"rasad {' '.join(args)} failed:\n{result.stdout[-2000:]}\n{result.stderr[-2000:]}")
    return result


def wait_for(condition: Callable[[], bool], timeout: float, what: str) -> None:
    """Poll until `condition()`; raise after `timeout` seconds."""
    deadline = time.monotonic() + timeout
    while not condition():
        if time.monotonic() > deadline:
            raise TimeoutError(f"timed out waiting for {what}")
        time.sleep(0.2)


# -- environments -------------------------------------------------------------------------------------


@contextmanager
def fixture_site(extra_articles: int) -> Iterator[str]:
    """The fixture site in this process, with `extra_articles` more articles spread over the outlets."""
    from rasad.fixture_site import make_server, publish, start_in_thread

    server = make_server("127.0.0.1", 0)
    start_in_thread(server)
    url = f"http://127.0.0.1:{server.server_address[1]}"
    rng = random.Random(7)
    for i in range(extra_articles):
        paragraphs = ["".join(rng.sample(SENTENCES, 4)) + f" ({i}-{p})" for p in range(rng.randint(3, 7))]
        publish(url, OUTLETS[i % len(OUTLETS)], f"تطورات مسار التطبيع بين أنقرة ودمشق، التقرير رقم {i}",
                "\n\n".join(paragraphs), slug=f"bench-normalization-report-number-{i:05d}")  # fmt: skip
    try:
        yield url
    finally:
        server.shutdown()
        server.server_close()


def _pythonpath() -> str:
    """The project first, then whatever PYTHONPATH the caller had."""
    return os.pathsep.join(filter(None, [str(ROOT), os.environ.get("PYTHONPATH")]))


def base_env(data_dir: Path, site: str) -> dict[str, str]:
    """A clean environment for the embedded default in `data_dir`."""
    env = {k: v for k, v in os.environ.items() if k not in ("DATABASE_URL", "REDIS_URL", "CELERY_BROKER_URL")}
    env.update(RASAD_DATA_DIR=str(data_dir), RASAD_PROFILE="fixtures", RASAD_FIXTURES_URL=site,
               RASAD_QUEUE=f"rasad-bench-{uuid.uuid4().hex[:8]}",
               PYTHONPATH=_pythonpath())  # fmt: skip
    return env


@contextmanager
def scratch_postgres() -> Iterator[str]:
    """A scratch PostgreSQL database, dropped afterwards."""
    from sqlalchemy import create_engine, text

    name = f"rasad_bench_{uuid.uuid4().hex[:10]}"
    admin = create_engine(POSTGRES_ADMIN_URL, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f'CREATE DATABASE "{name}"'))
    try:
        yield POSTGRES_ADMIN_URL.rsplit("/", 1)[0] + f"/{name}"
    finally:
        with admin.connect() as conn:
            conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()


def database_url(env: dict[str, str]) -> str:
    """The store the environment points at."""
    return env.get("DATABASE_URL") or f"sqlite:///{Path(env['RASAD_DATA_DIR']) / 'rasad.sqlite'}"


def query(env: dict[str, str], sql: str) -> Any:
    """One scalar from the environment's store (a short-lived engine)."""
    from sqlalchemy import create_engine, text

    url = database_url(env).replace("postgresql://", "postgresql+psycopg://")
    engine = create_engine(url)
    try:
        with engine.connect() as conn:
            return conn.execute(text(sql)).scalar()
    finally:
        engine.dispose()


# -- measurements -------------------------------------------------------------------------------------


def measure_crawl(env: dict[str, str]) -> dict[str, float]:
    """One `rasad crawl --all`: pages fetched per second (inside the crawl, and wall clock), peak RSS."""
    started = time.monotonic()
    proc = subprocess.Popen([PY, "-m", "rasad", "crawl", "--all"], env=env,
                            stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)  # fmt: skip
    rss = PeakRss(proc.pid)
    _, stderr = proc.communicate(timeout=600)
    wall = time.monotonic() - started
    memory = rss.stop()
    if proc.returncode != 0:
        raise RuntimeError(f"crawl failed: {stderr[-2000:]}")
    pages = int(query(env, "SELECT coalesce(sum(pages_fetched), 0) FROM crawl_runs"))
    first = query(env, "SELECT min(started_at) FROM crawl_runs")
    last = query(env, "SELECT max(finished_at) FROM crawl_runs")
    seconds = (_as_datetime(last) - _as_datetime(first)).total_seconds()
    stored = int(query(env, "SELECT count(*) FROM raw_pages"))
    return {"pages": pages, "stored": stored, "seconds": round(seconds, 2), "wall_seconds": round(wall, 2),
            "pages_per_s": round(pages / seconds, 1), "pages_per_s_wall": round(pages / wall, 1),
            "peak_rss_mib": memory["main_mib"]}  # fmt: skip


def measure_processing(env: dict[str, str], concurrency: int, limit: int | None = None) -> dict[str, float]:
    """Start a worker on the queued pages; articles/s from the first to the last `processed_at`, peak RSS.

    `limit` stops after that many pages (the embedded broker polls every 100 ms).
    """
    pages = min(int(query(env, "SELECT count(*) FROM raw_pages")), limit or 10**9)
    proc = subprocess.Popen([PY, "-m", "rasad", "worker", "--concurrency", str(concurrency)], env=env,
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, start_new_session=True)  # fmt: skip
    rss = PeakRss(proc.pid)
    try:
        wait_for(lambda: int(query(env, "SELECT count(*) FROM raw_pages WHERE processed_at IS NOT NULL")) >= pages,
                 timeout=600, what="the worker to process the pages")  # fmt: skip
    finally:
        memory = rss.stop()
        os.killpg(proc.pid, signal.SIGTERM)
        try:
            proc.wait(timeout=30)
        except subprocess.TimeoutExpired:
            os.killpg(proc.pid, signal.SIGKILL)
            proc.wait()
    first = query(env, "SELECT min(processed_at) FROM raw_pages")
    last = query(env, "SELECT max(processed_at) FROM raw_pages")
    pages = int(query(env, "SELECT count(*) FROM raw_pages WHERE processed_at IS NOT NULL"))
    span = (_as_datetime(last) - _as_datetime(first)).total_seconds()
    articles = int(query(env, "SELECT count(*) FROM articles"))
    rate = (pages - 1) / span if span > 0 else float("nan")
    return {"pages": pages, "articles": articles, "seconds": round(span, 2), "pages_per_s": round(rate, 2),
            "pages_per_s_per_process": round(rate / concurrency, 2), "worker_main_rss_mib": memory["main_mib"],
            "worker_child_rss_mib": memory["largest_child_mib"], "worker_tree_rss_mib": memory["tree_mib"]}  # fmt: skip


def _as_datetime(value: Any) -> datetime:
    return value if isinstance(value, datetime) else datetime.fromisoformat(str(value))


def measure_split(env: dict[str, str], limit: int = 50) -> dict[str, float]:
    """In one process: ms per page for the domain's CPU work alone and for the whole process_raw_page (adds store).

    The domain's work is what a worker computes before it touches the store: clean, extract, and the
    index keys (MinHash signature, LSH bands, search words; `rasad.indexing`).
    """
    result = subprocess.run([PY, str(Path(__file__)), "_split", str(limit)], env=env, capture_output=True,
                            text=True, timeout=600)  # fmt: skip
    if result.returncode != 0:
        raise RuntimeError(result.stderr[-2000:])
    return json.loads(result.stdout.strip().splitlines()[-1])


def _split(limit: int) -> None:
    """Child of measure_split: time the stages on the stored pages, stored first as a worker does, then again."""
    from sqlalchemy import select, text

    from db.models import RawPage
    from db.session import get_engine, session_scope
    from rasad.cleaning import Rejected, clean_html
    from rasad.extraction import extract
    from rasad.indexing import article_keys
    from workers import processing

    processing.enqueue_alert = lambda article_id: True  # the split times the store, not the broker
    with session_scope() as session:
        pages = session.execute(select(RawPage.id, RawPage.body_gz, RawPage.fetched_url).limit(limit)).all()
    cpu = []
    for _page_id, body_gz, url in pages:
        started = time.perf_counter()
        try:
            cleaned = clean_html(gzip.decompress(body_gz), url=url)
            extract(title=cleaned.title, body=cleaned.body, published_at=None, language="ar")
            article_keys(cleaned)
        except Rejected:
            pass
        cpu.append(time.perf_counter() - started)
    # The workers stored these pages already: forget their articles so the first timing is a first store.
    with get_engine().begin() as conn:
        conn.execute(text("TRUNCATE articles, developments RESTART IDENTITY CASCADE"))
    statements = _count_statements()
    first: list[float] = []
    again: list[float] = []
    per_page = []
    for timings in (first, again):
        for page_id, _, _ in pages:
            before = statements["n"]
            started = time.perf_counter()
            processing.process_raw_page(page_id)
            timings.append(time.perf_counter() - started)
            if timings is first:
                per_page.append(statements["n"] - before)
    clean_extract_ms = statistics.median(cpu) * 1000
    full_ms = statistics.median(first) * 1000
    again_ms = statistics.median(again) * 1000
    figures = {
        "pages": len(pages),
        "clean_extract_ms": clean_extract_ms,
        "process_page_ms": full_ms,
        "store_ms": max(full_ms - clean_extract_ms, 0),
        "reprocess_page_ms": again_ms,
        "store_reprocess_ms": max(again_ms - clean_extract_ms, 0),
        "statements_per_article": statistics.median(per_page),
    }
    print(json.dumps({k: round(v, 2) for k, v in figures.items()}))


def _count_statements() -> dict[str, int]:
    """A counter of the SQL statements every engine of this process sends from now on."""
    from sqlalchemy import event
    from sqlalchemy.engine import Engine

    counter = {"n": 0}

    def count(*_args: Any, **_kwargs: Any) -> None:
        counter["n"] += 1

    event.listen(Engine, "before_cursor_execute", count)
    return counter


def measure_scrapy_bench(seconds: int = 8) -> dict[str, float]:
    """`scrapy bench` (its own local server and link-following spider) for `seconds`: pages/s."""
    with tempfile.TemporaryDirectory() as cwd:  # outside the project: Scrapy's defaults, not ours
        result = subprocess.run([PY, "-m", "scrapy", "bench", "-s", "LOG_LEVEL=INFO", "-s",
                                 f"CLOSESPIDER_TIMEOUT={seconds}"], cwd=cwd, capture_output=True, text=True,
                                timeout=120)  # fmt: skip
    log = result.stdout + result.stderr
    responses = re.search(r"'response_received_count': (\d+)", log)
    elapsed = re.search(r"'elapsed_time_seconds': ([\d.]+)", log)
    if not (responses and elapsed):
        raise RuntimeError(f"could not read scrapy bench stats:\n{log[-2000:]}")
    pages, elapsed_s = int(responses.group(1)), float(elapsed.group(1))
    return {"pages": pages, "seconds": round(elapsed_s, 2), "pages_per_s": round(pages / elapsed_s, 1)}


def run_script(name: str, args: list[str], timeout: float) -> dict[str, Any]:
    """Run another engineer's benchmark; its JSON (with --json) or its stdout."""
    path = ROOT / "bench" / name
    if not path.exists():
        return {"status": "missing"}
    help_text = subprocess.run([PY, str(path), "--help"], capture_output=True, text=True, timeout=60).stdout
    wants_json = "--json" in help_text
    command = [PY, str(path), *args, *(["--json"] if wants_json else [])]
    started = time.monotonic()
    try:
        result = subprocess.run(command, capture_output=True, text=True, timeout=timeout, cwd=ROOT,
                                env={**os.environ, "PYTHONPATH": _pythonpath()})  # fmt: skip
    except subprocess.TimeoutExpired:
        return {"status": f"timed out after {timeout:.0f}s", "command": command[1:]}
    entry: dict[str, Any] = {"status": "ok" if result.returncode == 0 else f"exit {result.returncode}",
                             "seconds": round(time.monotonic() - started, 1), "command": command[1:]}  # fmt: skip
    if wants_json and result.returncode == 0:
        try:
            entry["figures"] = json.loads(result.stdout.strip().splitlines()[-1])
            return entry
        except (ValueError, IndexError):
            pass
    entry["output"] = (result.stdout.strip() or result.stderr.strip())[-3000:]
    return entry


# -- the whole run ------------------------------------------------------------------------------------


def median_of(samples: list[dict[str, float]]) -> dict[str, float]:
    """Per-key median of numeric samples."""
    keys = [k for k, v in samples[0].items() if isinstance(v, int | float)]
    return {k: round(statistics.median(s[k] for s in samples), 2) for k in keys}


def one_round(site: str, work: Path) -> dict[str, dict[str, float]]:
    """Crawl + process on the embedded default, then on PostgreSQL + Redis with one and two workers."""
    import redis

    out: dict[str, dict[str, float]] = {}
    env = base_env(work / f"emb-{uuid.uuid4().hex[:6]}", site)
    rasad(["db", "upgrade"], env)
    out["crawl_embedded"] = measure_crawl(env)
    out["process_embedded_c1"] = measure_processing(env, 1, limit=20)
    for concurrency in (1, 2):
        with scratch_postgres() as pg:
            env = base_env(work / f"pg-{uuid.uuid4().hex[:6]}", site)
            env.update(DATABASE_URL=pg, REDIS_URL=REDIS_URL)
            rasad(["db", "upgrade"], env)
            try:
                out[f"crawl_postgres_c{concurrency}"] = measure_crawl(env)
                out[f"process_postgres_c{concurrency}"] = measure_processing(env, concurrency)
                if concurrency == 1:
                    out["split_postgres"] = measure_split(env)
            finally:
                client = redis.Redis.from_url(REDIS_URL)
                client.delete(env["RASAD_QUEUE"])
                client.close()
    return out


def summarize(rounds: list[dict[str, dict[str, float]]], scrapy: list[dict[str, float]]) -> dict[str, Any]:
    """Medians per measurement, and the ratios (each from figures of this invocation)."""
    medians = {key: median_of([r[key] for r in rounds]) for key in rounds[0]}
    medians["scrapy_bench"] = median_of(scrapy)
    c1, c2 = medians["process_postgres_c1"]["pages_per_s"], medians["process_postgres_c2"]["pages_per_s"]
    split = medians["split_postgres"]
    scrapy_rate = medians["scrapy_bench"]["pages_per_s"]
    store_ms, cpu_ms = split["store_ms"], split["clean_extract_ms"]
    ratios = {
        "crawl_vs_scrapy_bench": round(medians["crawl_embedded"]["pages_per_s"] / scrapy_rate, 3),
        "crawl_postgres_vs_scrapy_bench": round(medians["crawl_postgres_c1"]["pages_per_s"] / scrapy_rate, 3),
        "postgres_vs_embedded_processing": round(c1 / medians["process_embedded_c1"]["pages_per_s"], 3),
        "two_workers_vs_one": round(c2 / c1, 3),
        "store_share_of_processing_postgres": round(store_ms / split["process_page_ms"], 3),
        "store_vs_clean_extract": round(store_ms / cpu_ms, 3) if cpu_ms else None,
        "one_worker_vs_cpu_ceiling": round(c1 * cpu_ms / 1000, 3),
    }
    # One database connection serializes its writes: the store step's time bounds its article rate.
    limits = {
        "one_worker_process_articles_per_s": c1,
        "two_worker_processes_articles_per_s": c2,
        "one_db_connection_store_ceiling_articles_per_s": round(1000 / store_ms, 1) if store_ms else None,
        "cpu_ceiling_per_process_articles_per_s": round(1000 / cpu_ms, 1) if cpu_ms else None,
    }
    return {"medians": medians, "ratios": ratios, "limits": limits}


def markdown(report: dict[str, Any]) -> str:
    """The Markdown summary (bench/results/latest.md)."""
    m, r, lim = report["summary"]["medians"], report["summary"]["ratios"], report["summary"]["limits"]
    crawl, crawl_pg, scrapy = m["crawl_embedded"], m["crawl_postgres_c1"], m["scrapy_bench"]
    emb, pg1, pg2, split = (
        m["process_embedded_c1"],
        m["process_postgres_c1"],
        m["process_postgres_c2"],
        m["split_postgres"],
    )
    machine = report["machine"]
    lines = [
        f"# Rasad benchmark — {report['when']}",
        "",
        f"Machine: {machine['cpus']} CPUs, Python {machine['python']}, {machine['platform']}. "
        f"Medians of {report['runs']} runs; {report['extra_articles']} extra articles published on the fixture site.",
        "",
        "| measurement | figure | unit | note |",
        "|---|---:|---|---|",
        f"| crawl, fixture site (embedded store) | {crawl['pages_per_s']} | pages/s | "
        f"{crawl['pages']:.0f} pages in {crawl['seconds']} s |",
        f"| crawl, fixture site (PostgreSQL + Redis) | {crawl_pg['pages_per_s']} | pages/s | |",
        f"| `scrapy bench`, same invocation | {scrapy['pages_per_s']} | pages/s | Scrapy defaults, own server |",
        f"| **crawl / scrapy bench** | **{r['crawl_vs_scrapy_bench']}** | ratio | politeness: 4/domain, AutoThrottle |",
        f"| processing, embedded (SQLite + SQLAlchemy broker), 1 worker process | {emb['pages_per_s']} | articles/s "
        "| the SQLite broker polls an empty queue every 100 ms |",
        f"| processing, PostgreSQL + Redis, 1 worker process | {pg1['pages_per_s']} | articles/s | |",
        f"| processing, PostgreSQL + Redis, 2 worker processes | {pg2['pages_per_s']} | articles/s | "
        f"{pg2['pages_per_s_per_process']} per process |",
        f"| **PostgreSQL / embedded, 1 process** | **{r['postgres_vs_embedded_processing']}** | ratio | |",
        f"| **2 processes / 1 process** | **{r['two_workers_vs_one']}** | ratio | 2.0 = linear |",
        f"| clean + extract (+ index keys), in process | {split['clean_extract_ms']} | ms/article | "
        "CPU; the keys (MinHash, bands, search words) were timed in the store step before 2026-12-04 |",
        f"| whole process_page on PostgreSQL | {split['process_page_ms']} | ms/article | first store of each page |",
        f"| store step (process_page − clean + extract) | {split['store_ms']} | ms/article | "
        f"{split['statements_per_article']:.0f} SQL statements per article (median) |",
        f"| **store step / clean + extract** | **{r['store_vs_clean_extract']}** | ratio | target ≤ 1 |",
        f"| store share of process_page | {r['store_share_of_processing_postgres']} | ratio "
        "| DB writes, dedup lookup |",
        f"| process_page again (re-processing) | {split['reprocess_page_ms']} | ms/article | "
        "replaces the extraction and developments |",
        f"| CPU ceiling per worker process | {lim['cpu_ceiling_per_process_articles_per_s']} | articles/s "
        "| 1000 / clean+extract ms |",
        f"| **1 worker process / its CPU ceiling** | **{r['one_worker_vs_cpu_ceiling']}** | ratio | target ≥ 0.4 |",
        f"| store ceiling per DB connection | {lim['one_db_connection_store_ceiling_articles_per_s']} | articles/s "
        "| 1000 / store ms |",
        f"| peak RSS, crawler (5 outlets) | {crawl['peak_rss_mib']} | MiB | VmHWM |",
        f"| peak RSS, worker main process | {pg1['worker_main_rss_mib']} | MiB | VmHWM |",
        f"| peak RSS, worker pool child | {pg1['worker_child_rss_mib']} | MiB | VmHWM, per process |",
        "",
        "## Other benchmarks",
        "",
        "| script | status | figures |",
        "|---|---|---|",
    ]
    for name, entry in report["scripts"].items():
        figures = entry.get("figures")
        shown = (
            ", ".join(f"{k}={_short(v)}" for k, v in figures.items())
            if figures
            else _last_lines(entry.get("output", ""))
        )
        lines.append(f"| {name} | {entry['status']} | {shown.replace('|', '/')} |")
    return "\n".join(lines) + "\n"


def _short(value: Any) -> Any:
    return round(value, 3) if isinstance(value, float) else value


def _last_lines(text: str, n: int = 4) -> str:
    return "<br>".join(line.strip() for line in text.strip().splitlines()[-n:])


def main() -> None:
    """Run every measurement and write bench/results/latest.{json,md}."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--extra-articles", type=int, default=150)
    parser.add_argument("--skip-scripts", action="store_true", help="do not run the other bench_*.py scripts")
    args = parser.parse_args()
    started = time.monotonic()
    rounds, scrapy = [], []
    with fixture_site(args.extra_articles) as site, tempfile.TemporaryDirectory(prefix="rasad-bench-") as work:
        for n in range(args.runs):
            print(f"run {n + 1}/{args.runs}: scrapy bench, crawls, workers…", flush=True)
            scrapy.append(measure_scrapy_bench())
            rounds.append(one_round(site, Path(work)))
    scripts = {}
    if not args.skip_scripts:
        for name, (script_args, timeout) in SCRIPTS.items():
            print(f"{name}…", flush=True)
            scripts[name] = run_script(name, script_args, timeout)
    report = {
        "when": datetime.now(UTC).isoformat(timespec="seconds"),
        "machine": {"cpus": os.cpu_count(), "python": platform.python_version(), "platform": platform.platform()},
        "runs": args.runs,
        "extra_articles": args.extra_articles,
        "summary": summarize(rounds, scrapy),
        "samples": {"rounds": rounds, "scrapy_bench": scrapy},
        "scripts": scripts,
        "seconds": round(time.monotonic() - started, 1),
    }
    RESULTS.mkdir(parents=True, exist_ok=True)
    (RESULTS / "latest.json").write_text(
        json.dumps(report, indent=2, ensure_ascii=False, default=str), encoding="utf-8"
    )
    (RESULTS / "latest.md").write_text(markdown(report), encoding="utf-8")
    print(markdown(report))
    print(f"written: {RESULTS / 'latest.json'} and latest.md ({report['seconds']} s)")


if __name__ == "__main__":
    if len(sys.argv) == 3 and sys.argv[1] == "_split":
        _split(int(sys.argv[2]))
    else:
        main()
