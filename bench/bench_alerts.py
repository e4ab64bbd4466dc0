"""Benchmark: alert latency, from the moment a crawl stores a relevant article to its delivery at a webhook.

Not a test: run `.venv/bin/python bench/bench_alerts.py [--mode embedded|production] [--n 10]`.
Targets: median ≤ 2 s, p95 ≤ 5 s. Each round publishes an article reporting a new development on
the fixture site, crawls its outlet (`rasad crawl`, as the scheduled task does), and measures
`webhook receipt time − raw_pages.fetched_at` (the page's commit by the crawler). Real worker
process, real broker (kombu SQLAlchemy transport on SQLite, or Redis), real database.

`production` needs PostgreSQL (RASAD_TEST_POSTGRES_URL, default postgres@127.0.0.1:5432/test) and
Redis (RASAD_TEST_REDIS_URL, default 127.0.0.1:6379/0); it creates and drops its own database.
On the embedded transport each hop waits for kombu's polling (1 s by default); `--polling-interval 0.1`
shows the effect of lowering it.
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import uuid
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

CITIES = ["موسكو", "بغداد", "أنقرة", "دمشق", "طهران", "أستانا", "سوتشي", "الدوحة"]


class Receiver:
    """A webhook endpoint that timestamps every POST it receives."""

    def __init__(self) -> None:
        self.arrivals: list[tuple[float, dict[str, object]]] = []
        receiver = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self) -> None:
                import json

                body = self.rfile.read(int(self.headers.get("Content-Length") or 0))
                receiver.arrivals.append((time.time(), json.loads(body)))
                self.send_response(200)
                self.end_headers()

            def log_message(self, *args: object) -> None:
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        threading.Thread(target=self.server.serve_forever, daemon=True).start()
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}/hook"


def configure(mode: str, data_dir: Path) -> str | None:
    """Set the environment for `mode`; return the PostgreSQL database to drop afterwards."""
    os.environ.update(
        RASAD_DATA_DIR=str(data_dir), RASAD_QUEUE=f"rasad-bench-{uuid.uuid4().hex[:8]}", RASAD_PROFILE="fixtures",
        RASAD_WEBHOOK_ALLOW_PRIVATE="true",
    )  # fmt: skip
    for key in ("DATABASE_URL", "REDIS_URL", "CELERY_BROKER_URL"):
        os.environ.pop(key, None)
    if mode == "embedded":
        return None
    from sqlalchemy import create_engine, text

    admin_url = os.environ.get("RASAD_TEST_POSTGRES_URL", "postgresql+psycopg://postgres@127.0.0.1:5432/test")
    name = f"rasad_bench_{uuid.uuid4().hex[:10]}"
    admin = create_engine(admin_url, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f'CREATE DATABASE "{name}"'))
    admin.dispose()
    os.environ["DATABASE_URL"] = admin_url.rsplit("/", 1)[0] + f"/{name}"
    os.environ["REDIS_URL"] = os.environ.get("RASAD_TEST_REDIS_URL", "redis://127.0.0.1:6379/0")
    return name


def drop_database(name: str) -> None:
    """Drop the benchmark's PostgreSQL database."""
    from sqlalchemy import create_engine, text

    from db.session import dispose_engines

    dispose_engines()
    admin_url = os.environ.get("RASAD_TEST_POSTGRES_URL", "postgresql+psycopg://postgres@127.0.0.1:5432/test")
    admin = create_engine(admin_url, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
    admin.dispose()


def article(round_no: int) -> tuple[str, str, dt.date]:
    """A report of a new meeting (its own date and city, so each round is a new development)."""
    city = CITIES[round_no % len(CITIES)]
    day = dt.date(2023, 1, 5) + dt.timedelta(days=60 * round_no)  # inside the story's period
    title = f"فيدان والمقداد يعقدان اجتماعاً في {city} (جولة {round_no + 1})"
    body = (
        f"عقد وزير الخارجية التركي هاكان فيدان ونظيره السوري فيصل المقداد اجتماعاً في {city} اليوم لبحث تطبيع "
        f"العلاقات بين أنقرة ودمشق، في الجولة رقم {round_no + 1} من المحادثات.\n\n"
        "وقال فيدان بعد الاجتماع إن المحادثات كانت بناءة وإن الجانبين اتفقا على مواصلة الحوار."
    )
    return title, body, day


def percentile(values: list[float], q: float) -> float:
    """The q-quantile (nearest rank)."""
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, max(0, round(q * len(ordered) + 0.5) - 1))]


def _ts(moment: dt.datetime) -> float:
    return (moment if moment.tzinfo else moment.replace(tzinfo=dt.UTC)).timestamp()


def run(mode: str, rounds: int, polling_interval: float | None = None) -> list[float]:
    """Measure `rounds` alert latencies in `mode`; return them in seconds."""
    from sqlalchemy import func, select

    from db.alert_models import Delivery, Notification
    from db.migrate import upgrade
    from db.models import Article, RawPage
    from db.session import session_scope
    from db.subscriptions import add_subscription
    from rasad.fixture_site import make_server, publish, start_in_thread

    upgrade()
    site = make_server("127.0.0.1", 0, None)
    start_in_thread(site)
    os.environ["RASAD_FIXTURES_URL"] = site_url = f"http://127.0.0.1:{site.server_address[1]}"
    receiver = Receiver()
    with session_scope() as session:
        add_subscription(session, "bench", {"topic": "normalization"}, channel="webhook", target=receiver.url)
    log = open(Path(os.environ["RASAD_DATA_DIR"]) / "worker.log", "wb")  # noqa: SIM115
    command = [sys.executable, "-m", "rasad", "worker", "-c", "4"]
    if polling_interval is not None:
        # kombu's SQLAlchemy transport hands every transport option to create_engine, so the interval can
        # only be set on its Transport class (kombu's default is 1 s).
        command = [sys.executable, "-c", (
            f"import kombu.transport.sqlalchemy as t; t.Transport.polling_interval = {polling_interval}; "
            "from rasad.cli.main import app as cli; cli(['worker', '-c', '4'])"
        )]  # fmt: skip
    worker = subprocess.Popen(command, stdout=log, stderr=subprocess.STDOUT)
    latencies: list[float] = []
    try:
        subprocess.run([sys.executable, "-m", "rasad", "crawl", "--all"], check=True, capture_output=True)
        time.sleep(5)  # the seeds' processing and alerts settle
        for round_no in range(rounds):
            title, body, day = article(round_no)
            seen = len(receiver.arrivals)
            publish(site_url, "syriatv", title, body, published=day, slug=f"bench-{uuid.uuid4().hex[:8]}")
            subprocess.run([sys.executable, "-m", "rasad", "crawl", "syriatv"], check=True, capture_output=True)
            deadline = time.time() + 60
            while not any(p.get("title") == title for _, p in receiver.arrivals[seen:]) and time.time() < deadline:
                time.sleep(0.02)
            arrival = next((t for t, p in receiver.arrivals[seen:] if p.get("title") == title), None)
            with session_scope() as session:
                row = session.execute(
                    select(RawPage.fetched_at, RawPage.processed_at, Delivery.created_at)
                    .join(Article, Article.raw_page_id == RawPage.id)
                    .outerjoin(Notification, Notification.article_id == Article.id)
                    .outerjoin(Delivery, Delivery.id == Notification.delivery_id)
                    .where(Article.title == title)
                ).first()
                total = session.scalar(select(func.count()).select_from(Article))
            if arrival is None or row is None:
                print(f"  round {round_no + 1}: no alert within 60 s (articles stored: {total})")
                continue
            stored, processed, queued = (_ts(m) for m in row)
            latencies.append(arrival - stored)
            print(
                f"  round {round_no + 1}: {latencies[-1]:.2f} s  (stored→processed {processed - stored:.2f}, "
                f"processed→delivery queued {queued - processed:.2f}, queued→received {arrival - queued:.2f})"
            )
    finally:
        worker.send_signal(signal.SIGTERM)
        worker.wait(30)
        log.close()
        site.shutdown()
    return latencies


def main() -> None:
    """Parse arguments, run, print median / p95 / max against the targets."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--mode", choices=("embedded", "production"), default="embedded")
    parser.add_argument("--n", type=int, default=10, help="rounds (articles)")
    parser.add_argument(
        "--polling-interval",
        type=float,
        default=None,
        help="broker polling interval of the worker (embedded transport; kombu's default is 1 s)",
    )
    args = parser.parse_args()
    socket.setdefaulttimeout(30)
    with tempfile.TemporaryDirectory(prefix="rasad-bench-") as tmp:
        database = configure(args.mode, Path(tmp) / "data")
        try:
            latencies = run(args.mode, args.n, args.polling_interval)
        finally:
            if database:
                drop_database(database)
    if not latencies:
        sys.exit("no alert arrived")
    median, p95 = statistics.median(latencies), percentile(latencies, 0.95)
    print(f"{args.mode}: n={len(latencies)} median {median:.2f} s (target ≤ 2), p95 {p95:.2f} s (target ≤ 5), "
          f"max {max(latencies):.2f} s")  # fmt: skip


if __name__ == "__main__":
    main()
