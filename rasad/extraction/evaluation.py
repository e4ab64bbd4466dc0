"""Score extraction against gold annotations (the format of `rasad/fixtures/gold/README.md`).

Persons, organizations and places match by canonical name; an event matches a gold event when
kind and status agree, its countries include the gold countries, and location and date agree
wherever the gold gives them (a date at the precision the gold gives). Counts are per document
and summed over documents. Relevance is scored as a binary decision per document.
"""

from __future__ import annotations

import datetime as dt
import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from rasad.extraction.kb import KnowledgeBase
from rasad.extraction.pipeline import extract
from rasad.extraction.serialize import to_json

FIXTURES = Path(__file__).resolve().parent.parent / "fixtures"
SEEDS_GOLD = FIXTURES / "gold" / "seeds.json"
SEEDS_DIR = FIXTURES / "seeds"
SEED_BODIES = FIXTURES / "extraction" / "seed_bodies.json"
CASES_DIR = FIXTURES / "extraction"
AREAS = ("persons", "organizations", "places", "events", "relevance")
# The story the annotations' `relevant` refers to, unless an annotation names another `topic`.
STORY_TOPIC = "turkey_syria_normalization"


def relevant_to(result: dict[str, Any], topic: str) -> bool:
    """Whether an extraction (`to_json` form) finds the article relevant to `topic`."""
    return any(t["topic"] == topic and t["relevant"] for t in result["topics"])


@dataclass
class Counts:
    """True positives, false positives, false negatives."""

    tp: int = 0
    fp: int = 0
    fn: int = 0

    def add(self, other: Counts) -> None:
        """Accumulate another document's counts."""
        self.tp += other.tp
        self.fp += other.fp
        self.fn += other.fn

    @property
    def precision(self) -> float:
        """TP / (TP + FP); 1.0 when nothing was predicted."""
        return self.tp / (self.tp + self.fp) if self.tp + self.fp else 1.0

    @property
    def recall(self) -> float:
        """TP / (TP + FN); 1.0 when there was nothing to find."""
        return self.tp / (self.tp + self.fn) if self.tp + self.fn else 1.0

    @property
    def f1(self) -> float:
        """Harmonic mean of precision and recall."""
        p, r = self.precision, self.recall
        return 2 * p * r / (p + r) if p + r else 0.0


@dataclass
class Case:
    """One annotated article: text plus its gold document."""

    name: str
    title: str | None
    body: str
    published_at: dt.date | None
    gold: dict[str, Any]


@dataclass
class Report:
    """Per-area counts over a set of cases, with per-document misses for debugging."""

    suite: str
    areas: dict[str, Counts] = field(default_factory=lambda: {a: Counts() for a in AREAS})
    level_agree: int = 0
    level_total: int = 0
    misses: list[dict[str, Any]] = field(default_factory=list)

    def as_dict(self) -> dict[str, Any]:
        """JSON-friendly summary."""
        return {
            "suite": self.suite,
            "areas": {
                a: {
                    "tp": c.tp,
                    "fp": c.fp,
                    "fn": c.fn,
                    "precision": round(c.precision, 4),
                    "recall": round(c.recall, 4),
                    "f1": round(c.f1, 4),
                }
                for a, c in self.areas.items()
            },
            "event_level_accuracy": round(self.level_agree / self.level_total, 4) if self.level_total else None,
            "misses": self.misses,
        }


def _date(value: str | None) -> dt.date | None:
    return dt.date.fromisoformat(value) if value else None


def load_seed_cases() -> list[Case]:
    """The five seed articles, cut to their bodies, with the gold of `gold/seeds.json`."""
    gold = json.loads(SEEDS_GOLD.read_text(encoding="utf-8"))
    cuts = json.loads(SEED_BODIES.read_text(encoding="utf-8"))["seeds"]
    cases = []
    for doc in gold["documents"]:
        text = (SEEDS_DIR / doc["file"]).read_text(encoding="utf-8")
        cut = cuts.get(doc["file"], {})
        if cut.get("start") and cut["start"] in text:
            text = text.split(cut["start"], 1)[1]
        if cut.get("end") and cut["end"] in text:
            text = text.split(cut["end"], 1)[0]
        cases.append(Case(doc["file"], doc.get("title"), text.strip(), _date(doc.get("published_at")), doc))
    return cases


def load_cases(directory: Path = CASES_DIR) -> list[Case]:
    """Annotated cases of `rasad/fixtures/extraction/*.json` (gold format with the body inline)."""
    cases = []
    for path in sorted(directory.glob("cases*.json")):
        data = json.loads(path.read_text(encoding="utf-8"))
        for doc in data["documents"]:
            cases.append(Case(doc["id"], doc.get("title"), doc["body"], _date(doc.get("published_at")), doc))
    return cases


def _set_counts(pred: set[str], gold: set[str]) -> Counts:
    return Counts(len(pred & gold), len(pred - gold), len(gold - pred))


def event_matches(pred: dict[str, Any], gold: dict[str, Any]) -> bool:
    """The gold README's rule for one predicted event against one gold event."""
    if pred["kind"] != gold["kind"] or pred["status"] != gold["status"]:
        return False
    if not set(gold["countries"]) <= set(pred["countries"]):
        return False
    if gold.get("location") and pred.get("location") != gold["location"]:
        return False
    if gold.get("date"):
        want = gold["date"]
        got = pred.get("date") or ""
        if len(got) < len(want) or got[: len(want)] != want:
            return False
    return True


def score_case(case: Case, result: dict[str, Any], report: Report) -> None:
    """Add one case's counts to `report`."""
    gold = case.gold
    doc_miss: dict[str, Any] = {"case": case.name}
    for area, pred, want in (
        ("persons", {p["name"] for p in result["persons"]}, {p["name"] for p in gold.get("persons", [])}),
        ("organizations", {o["name"] for o in result["organizations"]}, set(gold.get("organizations", []))),
        ("places", {p["name"] for p in result["places"]}, set(gold.get("places", []))),
    ):
        if area not in gold:
            continue  # not annotated for this document (the real-text set annotates persons, not places)
        counts = _set_counts(pred, want)
        report.areas[area].add(counts)
        if counts.fp or counts.fn:
            doc_miss[area] = {"extra": sorted(pred - want), "missing": sorted(want - pred)}
    unmatched = list(result["events"])
    ev = Counts()
    missing_events = []
    for g in gold.get("events", []):
        hit = next((p for p in unmatched if event_matches(p, g)), None)
        if hit is None:
            ev.fn += 1
            missing_events.append(g)
            continue
        unmatched.remove(hit)
        ev.tp += 1
        report.level_total += 1
        report.level_agree += int(hit["level"] == g.get("level"))
    ev.fp = len(unmatched)
    report.areas["events"].add(ev)
    if ev.fp or ev.fn:
        doc_miss["events"] = {
            "extra": [
                {k: p[k] for k in ("kind", "status", "level", "countries", "persons", "location", "date")}
                for p in unmatched
            ],
            "missing": missing_events,
        }
    predicted = relevant_to(result, gold.get("topic") or STORY_TOPIC)
    rel = Counts()
    if predicted and gold["relevant"]:
        rel.tp = 1
    elif predicted:
        rel.fp = 1
    elif gold["relevant"]:
        rel.fn = 1
    report.areas["relevance"].add(rel)
    if predicted != gold["relevant"]:
        doc_miss["relevance"] = {"predicted": predicted, "score": result["relevance"]}
    if len(doc_miss) > 1:
        report.misses.append(doc_miss)


def evaluate(cases: list[Case], suite: str, kb: KnowledgeBase | None = None) -> Report:
    """Run extraction on every case and score it."""
    report = Report(suite)
    for case in cases:
        result = to_json(extract(title=case.title, body=case.body, published_at=case.published_at, kb=kb))
        score_case(case, result, report)
    return report


def evaluate_all(kb: KnowledgeBase | None = None) -> list[Report]:
    """Seeds and the project's own annotated cases."""
    return [evaluate(load_seed_cases(), "seeds", kb), evaluate(load_cases(), "cases", kb)]
