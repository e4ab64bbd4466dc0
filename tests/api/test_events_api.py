"""GET /events: each development once, with its sources and history; filters and pages."""

from __future__ import annotations

from typing import Any

from tests.api.conftest import Store


def test_timeline_lists_each_development_with_sources_and_history(client: Any, store: Store) -> None:
    body = client.get("/events", params={"limit": 200}).json()
    events = body["items"]
    assert events and body["next_cursor"] is None
    for event in events:
        assert event["source_count"] == len(event["sources"]) >= 1
        assert event["history"][0]["change"] == "new"
        assert all(s["url"].startswith("https://") and s["outlet"] for s in event["sources"])
    merged = max(events, key=lambda e: e["source_count"])
    assert len({s["source_id"] for s in merged["sources"]}) >= 2  # one meeting, several outlets
    dated = [e["date_start"] for e in events if e["date_start"]]
    assert dated == sorted(dated, reverse=True)


def test_event_filters(client: Any, store: Store) -> None:
    everything = client.get("/events", params={"limit": 200}).json()["items"]
    fidan = client.get("/events", params={"person": "fidan"}).json()["items"]
    assert fidan and all("Hakan Fidan" in e["persons"] for e in fidan)
    assert client.get("/events", params={"person": "هاكان فيدان"}).json()["items"] == fidan
    iraq = client.get("/events", params={"country": "IQ"}).json()["items"]
    assert all("IQ" in e["countries"] for e in iraq)
    held = client.get("/events", params={"status": "held"}).json()["items"]
    assert all(e["status"] == "held" for e in held)
    assert len(held) < len(everything) or all(e["status"] == "held" for e in everything)
    day = everything[0]["date_start"]
    window = client.get("/events", params={"date_from": day, "date_to": day}).json()["items"]
    assert window and all(e["date_start"] == day for e in window)
    assert client.get("/events", params={"country": "%"}).json()["items"] == []


def test_event_pages_and_detail(client: Any, store: Store) -> None:
    everything = [e["id"] for e in client.get("/events", params={"limit": 200}).json()["items"]]
    seen: list[int] = []
    cursor = None
    while True:
        body = client.get("/events", params={"limit": 2, **({"cursor": cursor} if cursor else {})}).json()
        seen += [e["id"] for e in body["items"]]
        cursor = body["next_cursor"]
        if not cursor:
            break
    assert seen == everything
    one = client.get(f"/events/{everything[0]}").json()
    assert one["id"] == everything[0] and one["sources"]
    assert client.get("/events/999999").status_code == 404
