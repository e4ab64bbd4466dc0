from datetime import timedelta

from rasad.sources import load_profile
from workers.schedule import crawl_schedule


def test_one_entry_per_enabled_source_with_its_interval() -> None:
    sources = load_profile("fixtures", fixtures_url="http://127.0.0.1:1")
    schedule = crawl_schedule(sources, "fixtures")
    assert set(schedule) == {f"crawl-{s.id}" for s in sources}
    entry = schedule["crawl-orient"]
    assert entry["task"] == "rasad.crawl_source"
    assert entry["schedule"] == timedelta(minutes=20)
    assert entry["args"] == ("orient", "fixtures")


def test_disabled_sources_are_not_scheduled() -> None:
    sources = load_profile("fixtures", fixtures_url="http://127.0.0.1:1")
    sources[0] = sources[0].model_copy(update={"enabled": False})
    assert f"crawl-{sources[0].id}" not in crawl_schedule(sources, "fixtures")
