"""Offline JSON form of an extraction (the `rasad extract --json` output)."""

from __future__ import annotations

from typing import Any

from rasad.extraction.model import Event, Evidence, Extraction


def to_json(result: Extraction) -> dict[str, Any]:
    """A JSON-ready dict with canonical names and ISO codes, as in the gold files."""
    return {
        "relevant": result.relevant,
        "relevance": result.relevance,
        "truncated": list(result.truncated),
        "topics": [
            {"topic": t.topic, "score": t.score, "relevant": t.relevant, "reasons": list(t.reasons)}
            for t in result.topics
        ],
        "persons": [
            {
                "name": p.name,
                "role": p.role,
                "wikidata": p.wikidata,
                "known": p.known,
                "mentions": [{"text": m.text, "start": m.start, "end": m.end} for m in p.mentions],
            }
            for p in result.persons
        ],
        "organizations": [{"name": o.name} for o in result.organizations],
        "places": [{"name": p.name, "country": p.country} for p in result.places],
        "events": [
            {
                "kind": e.kind,
                "status": e.status,
                "level": e.level,
                "countries": list(e.countries),
                "persons": list(e.persons),
                "location": e.location,
                "date": e.date,
                "mediator": e.mediator,
                "evidence": [{"text": v.text, "start": v.start, "end": v.end} for v in e.evidence],
            }
            for e in result.events
        ],
        "quotes": [
            {"speaker": q.speaker, "text": q.text, "start": q.start, "end": q.end, "direct": q.direct}
            for q in result.quotes
        ],
    }


def event_from_json(data: dict[str, Any]) -> Event:
    """An event from its JSON form (`to_json(...)["events"]`, the gold files); evidence may be one object or a list."""
    evidence = data.get("evidence") or []
    if isinstance(evidence, dict):
        evidence = [evidence]
    return Event(
        kind=data["kind"],
        status=data.get("status") or "planned",
        level=data.get("level") or "other",
        countries=list(data.get("countries") or []),
        persons=list(data.get("persons") or []),
        location=data.get("location"),
        date=data.get("date"),
        mediator=data.get("mediator"),
        evidence=[
            Evidence(str(v.get("text") or ""), int(v.get("start") or 0), int(v.get("end") or 0)) for v in evidence
        ],
    )
