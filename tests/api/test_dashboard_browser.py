"""The dashboard in headless Chromium: timeline, search with highlights, an article with its entities."""

from __future__ import annotations

import os
import threading
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from tests.api.populate import populate
from tests.conftest import free_port

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
    "--disable-sync", "--no-first-run",
]  # fmt: skip


@pytest.fixture
def dashboard(embedded_env: Any) -> Iterator[tuple[str, dict[str, int]]]:
    """The app served by uvicorn on a free loopback port over the fixture articles."""
    import uvicorn

    from rasad.api.app import create_app

    ids = populate()
    port = free_port()
    server = uvicorn.Server(uvicorn.Config(create_app(), host="127.0.0.1", port=port, log_level="warning"))
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 10
    while not server.started and time.monotonic() < deadline:
        time.sleep(0.05)
    assert server.started, "uvicorn did not start"
    yield f"http://127.0.0.1:{port}", ids
    server.should_exit = True
    thread.join(10)


@pytest.fixture
def page(tmp_path: Path) -> Iterator[Any]:
    """A page in headless Chromium (Debian's package); a missing browser fails the test, it is not skipped."""
    if not os.access(CHROMIUM, os.X_OK):
        pytest.fail(f"{CHROMIUM} is missing: install Debian's chromium package (apt-get install -y chromium)")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS, headless=True)
        try:
            yield browser.new_page(viewport={"width": 1280, "height": 900}, locale="ar")
        finally:
            browser.close()


def test_timeline_search_and_article(dashboard: tuple[str, dict[str, int]], page: Any, tmp_path: Path) -> None:
    base, ids = dashboard
    page.goto(base + "/")
    assert page.locator("html").get_attribute("dir") == "rtl"
    assert page.locator("html").get_attribute("lang") == "ar"
    rows = page.locator("#timeline tr.event")
    assert rows.count() >= 3
    assert page.locator("#timeline td[data-status=held]").first.inner_text() == "عُقد"  # Arabic first
    summary = page.locator("#timeline td.summary").first.inner_text()
    assert summary.startswith(("لقاء", "اتصال هاتفي")) and " — " in summary, summary
    assert not any(w in summary for w in ("meeting", "held", "planned"))
    assert page.locator("svg.chart polyline.series").count() >= 3  # one line per outlet with articles
    assert page.locator("svg.chart rect.bar").count() >= 1
    page.screenshot(path=str(tmp_path / "timeline.png"), full_page=True)

    page.locator("#lang-switch").click()  # English, remembered for the next pages
    page.wait_for_url("**lang=en*")
    assert page.locator("html").get_attribute("dir") == "ltr"
    assert page.locator("html").get_attribute("lang") == "en"
    assert page.locator("#timeline td[data-status=held]").first.inner_text() == "held"
    assert page.locator("#timeline td.summary").first.inner_text().startswith(("meeting", "call"))
    assert page.locator("h1").inner_text() == "Timeline of developments"
    page.goto(base + "/")
    assert page.locator("html").get_attribute("lang") == "en"  # the cookie keeps the choice
    page.locator("#lang-switch").click()
    page.wait_for_url("**lang=ar*")
    assert page.locator("html").get_attribute("dir") == "rtl"

    page.fill("#search-form input[name=q], header input[name=q]", "جاويش أوغلو")
    page.keyboard.press("Enter")
    page.wait_for_url("**/search?q=*")
    results = page.locator("#results .result")
    assert results.count() >= 2
    marks = page.locator("#results .snippet mark")
    assert marks.count() >= 2
    assert {"جاويش", "تشاووش"} & {t.strip() for t in marks.all_inner_texts()}
    page.screenshot(path=str(tmp_path / "search.png"), full_page=True)

    page.locator(f"#results a[href='/article/{ids['extra0']}']").first.click()
    page.wait_for_url(f"**/article/{ids['extra0']}")
    assert "جاويش أوغلو" in page.locator("h1").inner_text()
    people = page.locator("#article mark.ent.person")
    assert people.count() >= 2
    assert "Mevlüt Çavuşoğlu" in {people.nth(i).get_attribute("title") for i in range(people.count())}
    assert page.locator("#article mark.ent.place").count() >= 1
    page.screenshot(path=str(tmp_path / "article.png"), full_page=True)

    page.goto(base + "/people")
    assert page.locator("#people").get_by_text("Hakan Fidan").is_visible()
    page.goto(base + "/crawl")
    assert page.locator("#sources tr").count() >= 6
    assert page.get_by_text("feed_not_xml").first.is_visible()
    page.screenshot(path=str(tmp_path / "crawl.png"), full_page=True)
    for name in ("timeline", "search", "article", "crawl"):
        assert (tmp_path / f"{name}.png").stat().st_size > 10_000
