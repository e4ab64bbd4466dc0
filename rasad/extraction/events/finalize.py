"""From a merged event to the `Event` the pipeline returns: kind, status, date, sides, names, evidence."""

from __future__ import annotations

import datetime as dt

from rasad.extraction.dates import DateMention
from rasad.extraction.events.coreference import kind_of
from rasad.extraction.events.model import DraftEvent
from rasad.extraction.events.roles import level_of
from rasad.extraction.kb import KnowledgeBase
from rasad.extraction.matcher import PersonMention, Scan
from rasad.extraction.model import Event, Evidence


def _default_status(ev: DraftEvent) -> str:
    """With no cue, a report is of a past meeting; told only in the present tense, of one under way or coming."""
    named = [m for m in ev.mentions if m.countries or m.persons]  # "الاجتماع" alone tells no tense of its own
    told_in_present = bool(named) and all(m.present for m in named)
    return "planned" if told_in_present and not ev.realized else "held"


def finalize_event(kb: KnowledgeBase, scan: Scan, ev: DraftEvent, published: dt.date | None) -> Event | None:
    kinds = ev.kinds - {"contact"}
    if not kinds:
        return None
    countries = set(ev.countries)
    persons = list(ev.persons.values())
    if not countries and not persons:
        return None
    status = "held" if ev.realized and ev.status == "planned" else ev.status or _default_status(ev)
    _date_from_anchor(ev)
    if status == "held" and ev.lo is None and ev.report_day is not None:
        ev.lo, ev.hi, ev.precision = ev.report_day.lo, ev.report_day.hi, ev.report_day.precision
    status, date_value, day = _status_and_date(ev, status, published)
    mediator = ev.mediator
    if mediator:
        person_countries = {kb.persons[p.key].country for p in persons if p.known}
        if mediator not in person_countries:
            countries.discard(mediator)
    if len(countries) < 2 and (len(persons) < 2 or _one_camp(kb, persons, countries)):
        return None  # one side only: a fragment of a meeting reported elsewhere, a statement, a delegation
    kind = kind_of(kinds)
    if kind is None:
        kind = "meeting" if ev.location or ev.setting else "call"
    level, _ = level_of(kb, persons, ev.pseudo_roles, ev.level_words, day, published)
    if not countries and persons and all(not p.known for p in persons) and not ev.pseudo_roles:
        return None
    names = []
    for p in persons:
        name = kb.persons[p.key].name if p.known else scan.unknown_names.get(p.key, p.surface)
        if name not in names:
            names.append(name)
    evidence = []
    for s, e in sorted(ev.evidence):
        os_, oe = scan.nt.to_original(s, e)
        raw = scan.nt.original[os_:oe]
        lead = len(raw) - len(raw.lstrip())
        trail = len(raw.rstrip())
        evidence.append(Evidence(raw.strip(), os_ + lead, os_ + trail))
    location = kb.places[ev.location[1]].name if ev.location else _usual_place(kb, ev, kind)
    return Event(
        kind=kind,
        status=status,
        level=level or "other",
        countries=sorted(countries),
        persons=names,
        location=location,
        date=date_value,
        mediator=mediator,
        evidence=evidence,
        implied_sides=sorted(ev.implied & countries),
        format=ev.format,
    )


def _one_camp(kb: KnowledgeBase, persons: list[PersonMention], countries: set[str]) -> bool:
    """All named people are of one country's one camp (a minister and his delegation): nobody to meet."""
    if not persons or not all(p.known for p in persons):
        return False
    camps = {(kb.persons[p.key].country, kb.persons[p.key].side) for p in persons}
    return len(camps) == 1 and (not countries or next(iter(camps))[0] in countries)


def _date_from_anchor(ev: DraftEvent) -> None:
    """An anchored date ("بعد يوم من اجتماع ..."), from the event of the previous trigger."""
    if ev.lo is not None:
        return
    for prev_mention, (sign, days) in ev.anchors:
        if prev_mention.date is not None:
            ev.lo = ev.hi = prev_mention.date.lo + dt.timedelta(days=sign * days)
            ev.precision = prev_mention.date.precision
            return


def _status_and_date(ev: DraftEvent, status: str, published: dt.date | None) -> tuple[str, str | None, dt.date | None]:
    """The status a coming date implies; the date's value and first day, unless it contradicts the status."""
    lo, hi, precision = ev.lo, ev.hi, ev.precision
    if ev.status is None and lo is not None and published is not None and lo > published:
        status = "planned"  # no cue, a coming date: "يلتقي الوزيران في موسكو الأربعاء المقبل"
    future_held = status == "held" and lo is not None and published is not None and lo > published
    past_plan = status in ("planned", "proposed") and hi is not None and published is not None and hi < published
    if future_held or past_plan:
        return status, None, None
    if lo is None or precision is None:
        return status, None, lo
    return status, DateMention(0, 0, lo, hi or lo, precision, False).value, lo


def _usual_place(kb: KnowledgeBase, ev: DraftEvent, kind: str) -> str | None:
    """A round of a named format held where its rounds are held, when the report names no place."""
    usual = kb.events.formats[ev.format].usual_place if ev.format and kind == "meeting" else None
    return kb.places[usual].name if usual in kb.places else None
