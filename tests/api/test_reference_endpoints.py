"""Persons, places, sources and crawl runs."""

from __future__ import annotations

from typing import Any

from tests.api.conftest import Store


def test_persons(client: Any, store: Store) -> None:
    people = client.get("/persons").json()
    assert {"fidan", "cavusoglu", "erdogan"} <= {p["id"] for p in people}
    turks = client.get("/persons", params={"country": "TR"}).json()
    assert turks and all(p["country"] == "TR" for p in turks)
    fidan = client.get("/persons/fidan").json()
    assert [r["kind"] for r in fidan["roles"]] == ["intelligence_chief", "foreign_minister"]
    assert fidan["roles"][1]["start"] == "2023-06-04"
    assert store.ids["extra2"] in [a["id"] for a in fidan["articles"]]
    assert all("Hakan Fidan" in e["persons"] for e in fidan["events"])
    assert client.get("/persons/تشاووش أوغلو").json()["id"] == "cavusoglu"
    missing = client.get("/persons/nobody")
    assert missing.status_code == 404 and "nobody" in missing.json()["detail"]


def test_places(client: Any, store: Store) -> None:
    places = client.get("/places").json()
    assert places[0]["kind"] == "country"
    moscow = client.get("/places/moscow").json()
    assert moscow["name"] == "Moscow" and moscow["articles"]
    assert client.get("/places/بغداد").json()["id"] == "baghdad"
    assert client.get("/places/atlantis").status_code == 404


def test_sources_and_crawl_runs(client: Any, store: Store) -> None:
    sources = {s["id"]: s for s in client.get("/sources").json()}
    assert sources["alaraby"]["article_count"] == 2
    assert sources["syrian-wp"]["last_run"]["status"] == "partial"
    runs = client.get("/crawl-runs").json()
    failed = next(r for r in runs if r["source_id"] == "syrian-wp")
    assert failed["failures"][0]["kind"] == "feed_not_xml"
    assert [r["source_id"] for r in client.get("/crawl-runs", params={"source": "orient"}).json()] == ["orient"]
    older = client.get("/crawl-runs", params={"before_id": runs[0]["id"]}).json()
    assert runs[0]["id"] not in [r["id"] for r in older]
