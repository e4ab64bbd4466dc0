"""One event per real meeting: mentions of the same meeting across the article are merged."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from rasad.extraction.dates import DateMention
from rasad.extraction.events.model import DraftEvent, ScopeMention
from rasad.extraction.events.roles import level_of, mention_countries, participants
from rasad.extraction.kb import KnowledgeBase
from rasad.extraction.limits import DEFAULT_LIMITS, ExtractionLimits, Truncations


def dates_compatible(ev: DraftEvent, d: DateMention | None) -> bool:
    if d is None or ev.lo is None or ev.hi is None:
        return True
    return d.lo <= ev.hi and ev.lo <= d.hi


def status_ok(ev: DraftEvent, m: ScopeMention, anaphoric: bool) -> bool:
    """No status and "held" agree (reports are of past meetings by default); plans must match.

    A plan and a report of the same meeting agree too (the pre-announcement and the report: one
    meeting, held) when both give the same day and the plan is not "another meeting".
    """
    a, b = m.status or "held", ev.status or "held"
    if a == b or (m.status is None and anaphoric):
        return True
    if anaphoric and {a, b} <= {"planned", "proposed"}:
        return True
    if m.status is None and _same_people(ev, m):
        return True  # "مسار اللقاء بين الأسد وأردوغان": the meeting already spoken of, named again
    if {a, b} == {"planned", "held"} and not m.new_meeting and not anaphoric:
        # dates_compatible has already checked that the days agree
        return m.date is not None and ev.lo is not None and m.date.precision == "day" and ev.precision == "day"
    return m.status is None and ev.status is None


def _same_people(ev: DraftEvent, m: ScopeMention) -> bool:
    known = {p.key for p in m.persons if p.known}
    return len(known) >= 2 and known <= set(ev.persons)


def kind_of(kinds: set[str]) -> str | None:
    if "call" in kinds:
        return "call"
    if "meeting" in kinds:
        return "meeting"
    return None


def merge_mentions(
    mentions: list[ScopeMention],
    kb: KnowledgeBase,
    published: dt.date | None,
    limits: ExtractionLimits = DEFAULT_LIMITS,
    truncations: Truncations | None = None,
) -> list[DraftEvent]:
    """Mentions of one meeting merged into one draft event, mentions taken in text order."""
    truncations = truncations if truncations is not None else Truncations()
    events: list[DraftEvent] = []
    owner: dict[int, DraftEvent] = {}
    for m in mentions:
        _date_from_previous(m, owner)
        m.persons = participants(kb, m, published)
        countries, implied = _sides(kb, m, events)
        anaphoric = not countries and not m.persons
        if anaphoric and m.heading:
            continue
        if anaphoric and m.new_meeting and m.status == "planned" and events:
            # "واتفقوا على عقد اجتماع آخر": another meeting of the same sides, not the one reported
            antecedent = salient(events) or max(events, key=lambda e: e.last)
            countries = antecedent.countries - {antecedent.mediator}
            m.level_words = m.level_words or list(antecedent.level_words)
            anaphoric = False
        elif anaphoric and events and _another_level(kb, m, events, published):
            # "الغرض منها إعداد اجتماع لوزراء الخارجية": a coming meeting of the same sides at another level
            antecedent = max(events, key=lambda e: e.last)
            countries = antecedent.countries - {antecedent.mediator}
            anaphoric, m.another_level = False, True
        if (m.side_event or m.bilateral) and events:
            _beside(m, _round_of(events))
        target = find_target(events, m, countries, anaphoric, kb, published)
        if target is None and len(events) >= limits.events:
            truncations.note("events", f"more than {limits.events} meetings named; later ones are left out")
            continue
        if target is not None and target.count >= limits.mentions_per_event:
            truncations.note("mentions", f"a meeting named over {limits.mentions_per_event} times; later ones ignored")
            target.last, target.count = m.start, target.count + 1  # still the meeting last spoken of
            continue
        if target is None:
            target = _new_event(m, countries, implied, anaphoric)
            events.append(target)
        else:
            _merge(target, m, countries, implied, anaphoric)
        if m.anchor and m.previous is not None:
            target.anchors.append((m.previous, m.anchor))
        target.mentions.append(m)
        owner[id(m)] = target
    return events


def _another_level(kb: KnowledgeBase, m: ScopeMention, events: list[DraftEvent], published: dt.date | None) -> bool:
    """A planned or proposed mention without sides whose role words name another level than the meeting
    last spoken of."""
    if m.status not in ("planned", "proposed") or m.persons or not (m.pseudo_roles or m.level_words):
        return False
    level, _ = level_of(kb, [], m.pseudo_roles, m.level_words, None, published, final=False)
    last_level, _ = _event_level(max(events, key=lambda e: e.last), kb, published)
    return bool(level and last_level and level != last_level)


def _realized(m: ScopeMention, anaphoric: bool) -> bool:
    """Whether the mention reports the meeting as held: a held cue, or no cue, no present tense and a
    trigger that is more than a definite noun ("مسار اللقاء بين الأسد وأردوغان" names the planned meeting again)."""
    return not anaphoric and (m.status == "held" or (m.status is None and not m.present and not m.definite))


def _date_from_previous(m: ScopeMention, owner: dict[int, DraftEvent]) -> None:
    """ "بعد يوم من الاجتماع": a day counted from the previous trigger's event, when that has a day."""
    if not (m.anchor and m.previous is not None and m.date is None):
        return
    base = owner.get(id(m.previous))
    if base is not None and base.lo is not None and base.precision == "day":
        day = base.lo + dt.timedelta(days=m.anchor[0] * m.anchor[1])
        m.date = DateMention(m.start, m.start, day, day, "day", True)


def _sides(kb: KnowledgeBase, m: ScopeMention, events: list[DraftEvent]) -> tuple[set[str], set[str]]:
    """The mention's sides (named and implied by a format), and those only implied.

    "الجانبان" with fewer than two sides of its own takes the sides of the meeting most spoken of.
    """
    countries = mention_countries(kb, m)
    implied = m.implied - countries
    countries = countries | implied
    if m.sides and len(countries) < 2:
        antecedent = salient(events, m.location) or (max(events, key=lambda e: e.last) if events else None)
        if antecedent is not None:
            countries |= antecedent.countries - {antecedent.mediator}
            if not m.level_words and not m.persons:
                m.level_words = list(antecedent.level_words)
    return countries, implied


def _new_event(m: ScopeMention, countries: set[str], implied: set[str], anaphoric: bool) -> DraftEvent:
    return DraftEvent(
        set(m.kinds),
        m.status,
        countries,
        {p.key: p for p in m.persons},
        list(m.pseudo_roles),
        list(dict.fromkeys(m.level_words)),
        m.location,
        m.date.lo if m.date else None,
        m.date.hi if m.date else None,
        m.date.precision if m.date else None,
        m.mediator,
        [m.sentence],
        m.start,
        report_day=m.report_day,
        setting=m.setting,
        realized=_realized(m, anaphoric),
        implied=set(implied),
        format=m.format,
    )


def _merge(ev: DraftEvent, m: ScopeMention, countries: set[str], implied: set[str], anaphoric: bool) -> None:
    """Add a mention to the event it refers to: sides, people, the most precise date, the latest place."""
    ev.kinds |= m.kinds
    if ev.status is None and not anaphoric:
        ev.status = m.status
    ev.realized = ev.realized or _realized(m, anaphoric)
    named = (countries - implied) | (ev.countries - ev.implied)  # sides named in the text, here or before
    ev.implied = (ev.implied | implied) - named
    ev.format = ev.format or m.format
    ev.countries |= countries
    for p in m.persons:
        ev.persons.setdefault(p.key, p)
    ev.pseudo_roles.extend(m.pseudo_roles)
    # level_of reads the first role word only: keep each once, so a copied antecedent's list cannot double
    ev.level_words.extend(w for w in dict.fromkeys(m.level_words) if w not in ev.level_words)
    if m.location and (ev.location is None or m.location[0] > ev.location[0]):
        ev.location = m.location
    if m.date is not None and (ev.lo is None or ev.hi is None or (m.date.hi - m.date.lo) < (ev.hi - ev.lo)):
        ev.lo, ev.hi, ev.precision = m.date.lo, m.date.hi, m.date.precision
    ev.mediator = ev.mediator or m.mediator
    ev.report_day = ev.report_day or m.report_day
    if m.sentence not in ev.evidence:
        ev.evidence.append(m.sentence)
    ev.last = m.start
    ev.count += 1
    ev.setting = ev.setting or m.setting


def _round_of(events: list[DraftEvent]) -> DraftEvent:
    """The round that side talks are held beside: the latest event of more than two sides, else the latest."""
    rounds = [e for e in events if len(e.countries) > 2]
    return max(rounds or events, key=lambda e: e.last)


def _beside(m: ScopeMention, round_: DraftEvent) -> None:
    """Talks on the margins of a round take the round's place and day when they name none."""
    if m.location is None:
        m.location = round_.location
    if m.date is None and round_.lo is not None and round_.hi is not None and round_.precision:
        m.date = DateMention(m.start, m.start, round_.lo, round_.hi, round_.precision, True)


def salient(events: list[DraftEvent], location: tuple[int, str] | None = None) -> DraftEvent | None:
    """The meeting most spoken of ("الجانبان"); one held where the mention says, when it says where."""
    pairs = [e for e in events if len(e.countries) >= 2]
    if location is not None:
        pairs = [e for e in pairs if e.location and e.location[1] == location[1]] or pairs
    if not pairs:
        return None
    return max(pairs, key=lambda e: (e.count, e.last))


@dataclass(frozen=True, slots=True)
class _Probe:
    """A mention looking for the event it refers to, with what every candidate is compared against."""

    m: ScopeMention
    countries: set[str]
    anaphoric: bool
    kind: str | None
    level: str | None
    strong: bool
    contact_only: bool
    last_event: DraftEvent | None


def find_target(
    events: list[DraftEvent],
    m: ScopeMention,
    countries: set[str],
    anaphoric: bool,
    kb: KnowledgeBase,
    published: dt.date | None,
) -> DraftEvent | None:
    """The event a mention refers to: compatible kind, status, place, date, sides, people and level; the
    latest such (anaphora), else the best agreeing one; None for a new meeting."""
    m_level, m_strong = level_of(
        kb,
        m.persons,
        m.pseudo_roles if not anaphoric else [],
        m.level_words,
        m.date.lo if m.date else None,
        published,
        final=False,
    )
    probe = _Probe(
        m, countries, anaphoric, kind_of(m.kinds), m_level, m_strong, m.kinds <= {"contact"},
        max(events, key=lambda e: e.last) if events else None,
    )  # fmt: skip
    best: tuple[float, DraftEvent] | None = None
    for ev in events:
        if _kind_excludes(probe, ev) or _slots_exclude(probe, ev, kb):
            continue
        ev_level, ev_strong = _event_level(ev, kb, published)
        same_strength = probe.strong == ev_strong or m.another_level
        if probe.level and ev_level and probe.level != ev_level and same_strength and not m.attendance:
            continue
        if not countries and not m.persons and not ev.countries and not ev.persons:
            continue
        score = _agreement(probe, ev, ev_level)
        if best is None or score >= best[0]:
            best = (score, ev)
    return best[1] if best else None


def _kind_excludes(probe: _Probe, ev: DraftEvent) -> bool:
    """The event cannot be the one meant: side talks, another meeting, vague contacts, a call for a meeting."""
    m = probe.m
    if not ev.countries and not ev.persons:
        return True
    if m.side_event and ev is probe.last_event:
        return True
    if m.bilateral and len(ev.countries) > 2:
        return True  # bilateral talks beside a round are an event of their own
    if len(probe.countries) > 2 and any(x.bilateral for x in ev.mentions):
        return True  # ... and the round is not them
    if m.new_meeting and ev.realized:
        return True  # "اجتماع آخر", "اللقاء المقبل": not the meeting already held
    ev_contact_only = ev.kinds <= {"contact"}
    if probe.contact_only and not ev_contact_only:
        return True  # "الاتصالات"/"التواصل" is too vague to add people or sides to a known meeting
    if probe.anaphoric and ev_contact_only:
        return True
    ev_kind = kind_of(ev.kinds)
    if probe.kind and ev_kind and probe.kind != ev_kind:
        return True
    # "الاجتماع" does not refer back to talks that may have been a call
    return probe.anaphoric and probe.kind == "meeting" and ev_kind is None and not ev.setting


def _slots_exclude(probe: _Probe, ev: DraftEvent, kb: KnowledgeBase) -> bool:
    """Status, place, date, sides or people that cannot belong to one meeting."""
    m, countries = probe.m, probe.countries
    if not status_ok(ev, m, probe.anaphoric):
        return True
    if ev.location and m.location and ev.location[1] != m.location[1]:
        a, b = kb.places[ev.location[1]], kb.places[m.location[1]]
        nested = (a.kind == "country" and b.country == a.country) or (b.kind == "country" and a.country == b.country)
        if not nested:
            return True
    if not dates_compatible(ev, m.date):
        return True
    if countries and ev.countries and not (countries <= ev.countries or ev.countries <= countries):
        return True
    return bool(
        m.persons
        and len(ev.persons) >= 2
        and len(m.persons) >= 2
        and not m.attendance
        and not ({p.key for p in m.persons} & set(ev.persons))
    )


def _event_level(ev: DraftEvent, kb: KnowledgeBase, published: dt.date | None) -> tuple[str | None, bool]:
    """The event's level so far, memoized until its people, role words or date change."""
    state = (len(ev.persons), len(ev.pseudo_roles), len(ev.level_words), ev.lo)
    if ev.level_memo is None or ev.level_memo[0] != state:
        level = level_of(kb, list(ev.persons.values()), ev.pseudo_roles, ev.level_words, ev.lo, published, final=False)
        ev.level_memo = (state, level)
    return ev.level_memo[1]


def _agreement(probe: _Probe, ev: DraftEvent, ev_level: str | None) -> float:
    """How well a compatible event fits: the latest for anaphora and attendance, else agreement first."""
    m = probe.m
    score = ev.last / 1e7
    if probe.anaphoric or m.attendance:
        score = ev.last
    elif m.status and ev.status == m.status:
        score += 2
    elif m.status is None and ev.status in (None, "held"):
        score += 1
    if probe.level and ev_level == probe.level:
        score += 3
    return score
