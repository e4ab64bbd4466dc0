"""Benchmark: freshness — seconds from publication to alert, and requests per outlet, adaptive against fixed polling.

Not a test: run `.venv/bin/python bench/bench_freshness.py [--window 300] [--json]`.

The two policies run side by side in one invocation, each with its own fixture site, embedded store and
broker, `rasad scheduler` (Celery beat) and `rasad worker` as in production, and a webhook subscriber:

- adaptive: the sources' shipped interval (20 min) until publishing is known, then learned per outlet
  between a one-minute minimum and a 60-minute maximum (`rasad/scheduling/polling.py`);
- fixed: every outlet every minute (minimum = maximum = 1).

The outlets have a recent history (articles published over the last hour, as a live outlet has when the
service starts): one busy outlet, two moderate ones, two quiet ones. During the window the busy and the
moderate outlets publish relevant articles at irregular (exponential) gaps; the quiet ones publish nothing.
Reported per policy: publication → webhook latency p50/p95/max, fixture-site requests per outlet per hour,
crawls of each quiet outlet, and what was missed or alerted twice. Targets: p95 ≤ 90 s with a one-minute
minimum interval; adaptive requests ≤ ⅓ of fixed; a quiet outlet crawled no more often than its maximum
interval; every article stored and alerted exactly once.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import random
import signal
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import uuid
from collections import Counter
from pathlib import Path
from typing import Any

import yaml

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from bench_alerts import CITIES, Receiver, percentile  # noqa: E402

POLICIES: dict[str, dict[str, int]] = {
    "adaptive": {"min_interval_minutes": 1, "max_interval_minutes": 60},
    "fixed": {"interval_minutes": 1, "min_interval_minutes": 1, "max_interval_minutes": 1},
}
# Mean minutes between articles in the last hour and during the window; None: quiet (nothing recent).
CADENCE: dict[str, float | None] = {"orient": 2.0, "syriatv": 5.0, "arabi21": 10.0, "alaraby": None, "syrian-wp": None}
TICK_SECONDS = 5
# The history is other news (no alert); each article is its own text, or deduplication would fold them.
TOPICS = ["نشرة الطقس", "أسعار الذهب", "مباراة الدوري", "معرض الكتاب", "أسعار الخضار", "مهرجان المسرح"]
FILLER = [
    "توقعت دائرة الأرصاد الجوية طقساً معتدلاً مع رياح خفيفة في معظم المناطق خلال الأيام المقبلة.",
    "وارتفعت أسعار الذهب في الأسواق المحلية مع زيادة الطلب قبل موسم الأعياد.",
    "وفاز الفريق المضيف بهدفين مقابل هدف في المباراة التي أقيمت مساء أمس على الملعب البلدي.",
    "وافتتح معرض الكتاب أبوابه أمام الزوار بمشاركة عشرات دور النشر العربية والأجنبية.",
    "وشهدت أسواق الخضار إقبالاً واسعاً بعد انخفاض الأسعار مع بداية الموسم الزراعي.",
    "واختتم مهرجان المسرح دورته بعروض لفرق شابة من عدة محافظات.",
    "وأعلنت البلدية عن خطة لصيانة الطرق الرئيسية قبل حلول فصل الشتاء.",
    "وقال منظمو الفعالية إن الإقبال فاق التوقعات رغم سوء الأحوال الجوية.",
    "وتستمر الفعاليات حتى نهاية الأسبوع بحضور فنانين ومثقفين من دول عدة.",
    "وأكدت مديرية الصحة جاهزية المستشفيات لاستقبال الحالات الطارئة خلال العطلة.",
]


class CountingSite:
    """The fixture site in a thread, counting the requests it serves per outlet."""

    def __init__(self) -> None:
        from rasad.fixture_site import make_server, start_in_thread

        self.counts: Counter[str] = Counter()
        self.lock = threading.Lock()
        self.server = make_server("127.0.0.1", 0, None)
        base = self.server.RequestHandlerClass
        site = self

        class Handler(base):  # type: ignore[misc, valid-type]
            def _handle(self, send_body: bool) -> None:
                outlet = self.path.lstrip("/").split("/", 1)[0]
                with site.lock:
                    site.counts[outlet if outlet in CADENCE else "other"] += 1
                super()._handle(send_body)

        self.server.RequestHandlerClass = Handler
        start_in_thread(self.server)
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}"

    def snapshot(self) -> Counter[str]:
        """The counts so far."""
        with self.lock:
            return Counter(self.counts)


def sources_file(policy: str, directory: Path) -> Path:
    """The shipped sources file with the policy's polling bounds on every outlet."""
    data = yaml.safe_load((ROOT / "rasad" / "data" / "sources.yaml").read_text(encoding="utf-8"))
    for source in data["sources"]:
        source.update(POLICIES[policy])
    path = directory / "sources.yaml"
    path.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")
    return path


def configure(policy: str, data_dir: Path, site_url: str) -> None:
    """The environment of one policy's store, broker, scheduler and worker."""
    data_dir.mkdir(parents=True, exist_ok=True)
    os.environ.update(
        RASAD_DATA_DIR=str(data_dir), RASAD_QUEUE=f"rasad-fresh-{uuid.uuid4().hex[:8]}", RASAD_PROFILE="fixtures",
        RASAD_FIXTURES_URL=site_url, RASAD_WEBHOOK_ALLOW_PRIVATE="true", RASAD_CRAWL_FLOOR_MINUTES="1",
        RASAD_SOURCES_FILE=str(sources_file(policy, data_dir)),
    )  # fmt: skip
    for key in ("DATABASE_URL", "REDIS_URL", "CELERY_BROKER_URL"):
        os.environ.pop(key, None)


def history(site_url: str, rng: random.Random) -> int:
    """Articles each active outlet published over the last hour (not on the story: no alerts)."""
    from rasad.fixture_site import publish

    now = dt.datetime.now(dt.UTC)
    count = 0
    for outlet, mean in CADENCE.items():
        if mean is None:
            continue
        minutes = rng.expovariate(1 / mean)
        while minutes < 60:
            when = now - dt.timedelta(minutes=minutes)
            title = f"{rng.choice(TOPICS)} في {CITIES[count % len(CITIES)]} ({outlet} {count})"
            body = " ".join(rng.sample(FILLER, 4)) + f" وبلغ عدد المشاركين {rng.randint(100, 99999)} شخصاً."
            publish(site_url, outlet, title, body, published=when, slug=f"history-{uuid.uuid4().hex[:8]}")
            minutes += rng.expovariate(1 / mean)
            count += 1
    return count


def schedule(window: float, rng: random.Random) -> list[tuple[float, str]]:
    """(seconds after the window opens, outlet) of every publication, in time order."""
    out = []
    for outlet, mean in CADENCE.items():
        if mean is None:
            continue
        at = rng.expovariate(1 / (mean * 60))
        while at < window:
            out.append((at, outlet))
            at += rng.expovariate(1 / (mean * 60))
    return sorted(out)


MONTHS = ["كانون الثاني", "شباط", "آذار", "نيسان", "أيار", "حزيران", "تموز", "آب", "أيلول", "تشرين الأول"]


def development(n: int) -> tuple[str, str]:
    """A report of a new meeting on the story: its own city and day, so each is a new development."""
    city = CITIES[n % len(CITIES)]
    day = dt.date(2023, 1, 5) + dt.timedelta(days=9 * n)  # inside the story's period, one day per article
    when = f"{day.day} {MONTHS[day.month - 1]} {day.year}"
    title = f"مباحثات تركية سورية في {city} (جولة {n + 1})"
    body = (
        f"عقد وزير الخارجية التركي هاكان فيدان ونظيره السوري فيصل المقداد اجتماعاً في {city} في {when} لبحث "
        f"تطبيع العلاقات بين أنقرة ودمشق، في الجولة رقم {n + 1} من المحادثات.\n\n"
        "وقال فيدان بعد الاجتماع إن المحادثات كانت بناءة وإن الجانبين اتفقا على مواصلة الحوار."
    )
    return title, body


def start(command: list[str], log: Path) -> subprocess.Popen[bytes]:
    """A production command (`rasad worker`, `rasad scheduler`) in its own process group."""
    with log.open("ab") as out:
        return subprocess.Popen(
            [sys.executable, "-m", "rasad", *command], stdout=out, stderr=subprocess.STDOUT, start_new_session=True
        )


def stop(proc: subprocess.Popen[bytes]) -> None:
    """Warm shutdown, then kill the group if it lingers."""
    if proc.poll() is None:
        os.killpg(proc.pid, signal.SIGTERM)
        try:
            proc.wait(30)
        except subprocess.TimeoutExpired:
            os.killpg(proc.pid, signal.SIGKILL)
            proc.wait()


def crawls_per_source(since: dt.datetime) -> dict[str, int]:
    """Crawl runs started since `since`, per source."""
    from sqlalchemy import func, select

    from db.models import CrawlRun
    from db.session import session_scope

    with session_scope() as session:
        rows = session.execute(
            select(CrawlRun.source_id, func.count()).where(CrawlRun.started_at >= since).group_by(CrawlRun.source_id)
        ).all()
    return {source: int(n) for source, n in rows}


def stored_titles() -> set[str]:
    """Titles of every stored article."""
    from sqlalchemy import select

    from db.models import Article
    from db.session import session_scope

    with session_scope() as session:
        return set(session.scalars(select(Article.title)))


def warm_up(site: CountingSite, receiver: Receiver, log_dir: Path, rng: random.Random) -> list[Any]:
    """History published, store migrated, subscriber added, worker and scheduler started; first crawls done."""
    from db.migrate import upgrade
    from db.session import session_scope
    from db.subscriptions import add_subscription

    upgrade()
    published = history(site.url, rng)
    with session_scope() as session:
        add_subscription(session, "freshness", {"topic": "normalization"}, channel="webhook", target=receiver.url)
    procs = [
        start(["worker", "-c", "2"], log_dir / "worker.log"),
        start(["scheduler", "--profile", "fixtures", "--tick", str(TICK_SECONDS)], log_dir / "scheduler.log"),
    ]
    opened = dt.datetime.now(dt.UTC) - dt.timedelta(hours=1)
    deadline = time.time() + 180
    while len(crawls_per_source(opened)) < len(CADENCE) and time.time() < deadline:
        time.sleep(2)
    time.sleep(20)  # the history's pages are processed
    print(f"  warm-up: {published} history articles, first crawls done", file=sys.stderr)
    return procs


def measure(policy: str, window: float, grace: float, seed: int) -> dict[str, Any]:
    """Run one policy end to end and return its figures."""
    rng = random.Random(seed)  # both policies see the same history and the same publications
    with tempfile.TemporaryDirectory(prefix=f"rasad-fresh-{policy}-") as tmp:
        site = CountingSite()
        configure(policy, Path(tmp) / "data", site.url)
        receiver = Receiver()
        procs = warm_up(site, receiver, Path(tmp), rng)
        try:
            return _window(site, receiver, window, grace, rng)
        finally:
            for proc in procs:
                stop(proc)
            site.server.shutdown()


def _window(site: CountingSite, receiver: Receiver, window: float, grace: float, rng: random.Random) -> dict:
    from rasad.fixture_site import publish

    before, opened_at = site.snapshot(), dt.datetime.now(dt.UTC)
    t0 = time.time()
    published: dict[str, float] = {}
    for n, (offset, outlet) in enumerate(schedule(window, rng)):
        time.sleep(max(0.0, t0 + offset - time.time()))
        title, body = development(n)
        publish(site.url, outlet, title, body, slug=f"fresh-{uuid.uuid4().hex[:8]}")
        published[title] = time.time()
    time.sleep(max(0.0, t0 + window - time.time()) + grace)
    hours = (time.time() - t0) / 3600
    served = site.snapshot() - before
    return _figures(published, receiver, served, hours, crawls_per_source(opened_at), window)


def _figures(published: dict[str, float], receiver: Receiver, served: Counter[str], hours: float,
             crawls: dict[str, int], window: float) -> dict[str, Any]:  # fmt: skip
    arrivals: dict[str, list[float]] = {}
    for at, payload in receiver.arrivals:
        arrivals.setdefault(str(payload.get("title")), []).append(at)
    latencies = [min(arrivals[t]) - at for t, at in published.items() if t in arrivals]
    stored = stored_titles()
    per_outlet = {outlet: round(served[outlet] / hours, 1) for outlet in CADENCE}
    quiet = [outlet for outlet, mean in CADENCE.items() if mean is None]
    return {
        "published": len(published),
        "alerted": len(latencies),
        "not_stored": sum(1 for t in published if t not in stored),
        "not_alerted": len(published) - len(latencies),
        "alerted_twice": sum(1 for t in published if len(arrivals.get(t, [])) > 1),
        "p50_s": round(statistics.median(latencies), 1) if latencies else None,
        "p95_s": round(percentile(latencies, 0.95), 1) if latencies else None,
        "max_s": round(max(latencies), 1) if latencies else None,
        "requests_per_outlet_per_hour": round(sum(per_outlet.values()) / len(per_outlet), 1),
        "requests_per_hour_by_outlet": per_outlet,
        "quiet_outlet_crawls": {outlet: crawls.get(outlet, 0) for outlet in quiet},
        "window_minutes": round(window / 60, 1),
    }


def child(policy: str, window: float, grace: float, seed: int) -> None:
    """One policy's run, its figures printed as one JSON line (run by `main` in a process of its own)."""
    print(json.dumps(measure(policy, window, grace, seed), ensure_ascii=False))


def main() -> None:
    """Both policies side by side; a table, or one JSON line with --json."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--window", type=float, default=600, help="seconds of publishing")
    parser.add_argument("--grace", type=float, default=150, help="seconds to wait for the last alerts")
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--json", action="store_true")
    parser.add_argument("--policy", choices=sorted(POLICIES), help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.policy:
        child(args.policy, args.window, args.grace, args.seed)
        return
    command = [sys.executable, __file__, "--window", str(args.window), "--grace", str(args.grace), "--seed",
               str(args.seed)]  # fmt: skip
    runs = {
        policy: subprocess.Popen([*command, "--policy", policy], stdout=subprocess.PIPE, text=True)
        for policy in POLICIES
    }
    figures = {policy: json.loads(proc.communicate()[0].strip().splitlines()[-1]) for policy, proc in runs.items()}
    adaptive, fixed = figures["adaptive"], figures["fixed"]
    ratio = adaptive["requests_per_outlet_per_hour"] / max(1e-9, fixed["requests_per_outlet_per_hour"])
    summary = {
        "adaptive_p50_s": adaptive["p50_s"], "adaptive_p95_s": adaptive["p95_s"],
        "fixed_p50_s": fixed["p50_s"], "fixed_p95_s": fixed["p95_s"],
        "adaptive_requests_per_outlet_h": adaptive["requests_per_outlet_per_hour"],
        "fixed_requests_per_outlet_h": fixed["requests_per_outlet_per_hour"],
        "requests_adaptive_vs_fixed": round(ratio, 3),
        "quiet_outlet_crawls_adaptive": adaptive["quiet_outlet_crawls"],
        "missed_or_twice": sum(f["not_stored"] + f["not_alerted"] + f["alerted_twice"] for f in figures.values()),
        "published_per_policy": adaptive["published"],
    }  # fmt: skip
    if args.json:
        print(json.dumps(summary, ensure_ascii=False))
        return
    for policy, f in figures.items():
        print(f"{policy}: {json.dumps(f, ensure_ascii=False)}")
    print(f"adaptive/fixed requests per outlet per hour: {ratio:.2f} (target ≤ 0.33); "
          f"adaptive p95 {adaptive['p95_s']} s (target ≤ 90)")  # fmt: skip


if __name__ == "__main__":
    main()
