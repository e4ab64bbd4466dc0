"""`rasad demo`: the whole pipeline, offline, on the embedded default.

Fixture site (thread) → `rasad crawl --all` (child process) → a real Celery worker (child process)
→ SQLite. Then a new article is published on the fixture site and a second crawl picks it up.
"""

from __future__ import annotations

import datetime as dt
import os
import shutil
import subprocess
import sys
import threading
import time
from pathlib import Path

import typer
from rich.console import Console
from rich.table import Table
from sqlalchemy import func, select

from rasad.cli.errors import cli_errors, fail
from rasad.cli.up_cmd import stop_children

console = Console()

# The fixture site replays the story (2022 – December 2024): its new article is dated inside it, so that
# "next week" falls in the story's period and the topic's period keeps it relevant.
DEMO_DATE = dt.date(2024, 3, 10)
DEMO_ARTICLE = """\
أعلن المتحدث باسم الخارجية الروسية أن موسكو تستضيف الأسبوع المقبل جولة جديدة من المحادثات الرباعية بين \
تركيا والنظام السوري وإيران وروسيا على مستوى نواب وزراء الخارجية، في إطار مسار تطبيع العلاقات بين أنقرة ودمشق.

وقال نائب وزير الخارجية الروسي ميخائيل بوغدانوف إن الاستعدادات جارية لعقد الاجتماع في موسكو، \
مضيفاً أن الهدف هو التحضير للقاء يجمع وزيري الخارجية التركي هاكان فيدان والسوري فيصل المقداد.

وأشار بوغدانوف إلى أن الاتصالات مستمرة مع الجانبين، وأن بلاده تعمل مع إيران على تقريب وجهات النظر.
"""


@cli_errors
def demo(
    data_dir: Path = typer.Option(Path("data/demo"), "--data-dir", help="Fresh data folder for the demo."),
    timeout: float = typer.Option(180.0, "--timeout", help="Seconds to wait for the workers."),
) -> None:
    """Run the whole pipeline against the bundled fixture site and print what it found and alerted."""
    from rasad.fixture_site import make_server, publish

    if data_dir.exists():
        shutil.rmtree(data_dir)
    data_dir.mkdir(parents=True)
    server = make_server("127.0.0.1", 0, data_dir / "fixture-site")
    threading.Thread(target=server.serve_forever, daemon=True).start()
    site_url = f"http://127.0.0.1:{server.server_address[1]}"
    env = {
        **os.environ,
        "RASAD_DATA_DIR": str(data_dir.resolve()),
        "RASAD_PROFILE": "fixtures",
        "RASAD_FIXTURES_URL": site_url,
    }
    for key in ("DATABASE_URL", "REDIS_URL", "CELERY_BROKER_URL"):
        env.pop(key, None)  # the demo is the embedded default
    os.environ.clear()
    os.environ.update(env)
    from rasad.settings import get_settings

    get_settings.cache_clear()
    console.rule("[bold]Rasad demo[/] — embedded default (SQLite, serverless broker)")
    console.print(f"fixture site: {site_url}   data: {data_dir}")
    _run([sys.executable, "-m", "rasad", "db", "upgrade"], env)
    worker_log = (data_dir / "worker.log").open("w")
    worker = subprocess.Popen(
        [sys.executable, "-m", "rasad", "worker", "--concurrency", "2", "--loglevel", "WARNING"],
        env=env, stdout=worker_log, stderr=subprocess.STDOUT,
    )  # fmt: skip
    try:
        console.rule("First crawl: all outlets")
        _run([sys.executable, "-m", "rasad", "crawl", "--all"], env)
        _wait_for_workers(timeout, worker)
        console.rule("A new article appears on Syria TV; second crawl")
        url = publish(
            site_url,
            "syriatv",
            "موسكو تستضيف جولة جديدة من المحادثات الرباعية حول التطبيع بين أنقرة ودمشق",
            DEMO_ARTICLE,
            published=DEMO_DATE,
        )
        console.print(f"published {url}")
        _run([sys.executable, "-m", "rasad", "crawl", "--all"], env)
        _wait_for_workers(timeout, worker)
    finally:
        stop_children({"worker": worker})
        worker_log.close()
        server.shutdown()
        server.server_close()
    _report(data_dir)


def _run(argv: list[str], env: dict[str, str]) -> None:
    result = subprocess.run(argv, env=env, check=False)
    if result.returncode != 0:
        raise fail(f"`{' '.join(argv[2:])}` exited with {result.returncode}")


def _wait_for_workers(timeout: float, worker: subprocess.Popen) -> None:
    """Poll the store until no page is pending and every relevant article's alert step has run."""
    from db.models import Alert, Article, PageState, RawPage
    from db.session import session_scope

    deadline = time.monotonic() + timeout
    with console.status("Workers processing…") as status:
        while True:
            if worker.poll() is not None:
                raise fail(f"the worker exited with {worker.returncode}; see its log in the data folder")
            with session_scope() as session:
                pending = session.scalar(select(func.count()).where(RawPage.state == PageState.PENDING)) or 0
                total = session.scalar(select(func.count()).select_from(RawPage)) or 0
                unalerted = (
                    session.scalar(
                        select(func.count())
                        .select_from(Article)
                        .where(Article.relevant.is_(True), Article.duplicate_of_id.is_(None))
                        .where(~select(Alert.id).where(Alert.article_id == Article.id).exists())
                    )
                    or 0
                )
            status.update(f"Workers processing… {total - pending}/{total} pages done")
            if pending == 0 and unalerted == 0:
                return
            if time.monotonic() > deadline:
                raise fail(f"workers did not finish within {timeout:.0f}s ({pending} page(s) pending)")
            time.sleep(0.3)


def _report(data_dir: Path) -> None:
    from db.models import Alert, Article, PageState, RawPage
    from db.session import session_scope
    from rasad.cli.articles_cmd import article_rows, print_articles

    console.rule("What Rasad stored")
    print_articles(article_rows(limit=1000))
    with session_scope() as session:
        alerts = session.execute(select(Alert.topic, Alert.summary).order_by(Alert.id)).all()
        rejected = session.execute(
            select(RawPage.url, RawPage.reject_reason).where(RawPage.state == PageState.REJECTED)
        ).all()
        articles = session.scalar(select(func.count()).select_from(Article))
    from db.development_models import Development

    with session_scope() as session:
        developments = session.scalars(
            select(Development).order_by(Development.date_start.is_(None), Development.date_start, Development.id)
        ).all()
        timeline = Table(title=f"Developments found ({len(developments)}): each meeting once, across outlets")
        # fits 80 columns: dates, sides and statuses never break; a call says so beside its level
        timeline.add_column("date", no_wrap=True, min_width=10)
        timeline.add_column("level", min_width=12)
        timeline.add_column("sides", no_wrap=True)
        timeline.add_column("where")
        timeline.add_column("status", no_wrap=True)
        timeline.add_column("src", no_wrap=True, justify="right")
        for dev in developments:
            timeline.add_row(
                dev.date or "—", _level_label(dev.kind, dev.level), "–".join(dev.countries),
                dev.location or "—", dev.status, str(len(dev.sources)),
            )  # fmt: skip
    console.print(timeline)
    table = Table(title=f"Alerts raised ({len(alerts)})")
    table.add_column("topic", no_wrap=True)
    table.add_column("alert", overflow="fold", ratio=1)
    for topic, summary in alerts:
        table.add_row(topic, summary)
    console.print(table)
    for url, reason in rejected:
        console.print(f"rejected: {url} ({reason})")
    console.print(f"[bold green]done[/]: {articles} article(s), {len(alerts)} alert(s)")
    _explore_hint(data_dir)


def _level_label(kind: str, level: str | None) -> str:
    label = (level or "").replace("_", " ")
    return f"{label} (call)" if kind == "call" else label


def _explore_hint(data_dir: Path) -> None:
    """The commands that look at what the demo stored (its own data folder, not the default one)."""
    prefix = f"RASAD_DATA_DIR={data_dir}"
    console.rule("Explore what the demo found")
    for command, what in (
        (f"{prefix} .venv/bin/rasad articles list", "the stored articles"),
        (f"{prefix} .venv/bin/rasad search فيدان", "full-text search (Arabic, with the KB's spellings)"),
        (f"{prefix} .venv/bin/rasad events", "the timeline of developments"),
        (f"{prefix} .venv/bin/rasad serve", "the dashboard and API at http://127.0.0.1:8000/"),
    ):
        console.print(f"  {command}\n      [dim]{what}[/]", soft_wrap=True)
