"""Working state of event extraction: what one trigger scope says (a mention) and the event it builds."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from rasad.extraction.dates import DateMention
from rasad.extraction.matcher import PersonMention


@dataclass
class ScopeMention:
    """What one trigger scope says about an event."""

    start: int
    end: int
    sentence: tuple[int, int]
    kinds: set[str]
    status: str | None
    countries: set[str] = field(default_factory=set)
    persons: list[PersonMention] = field(default_factory=list)
    pseudo_roles: list[str] = field(default_factory=list)  # unnamed role titles in scope
    level_words: list[str] = field(default_factory=list)
    location: tuple[int, str] | None = None  # (rank, place id)
    date: DateMention | None = None
    mediator: str | None = None
    sides: bool = False
    counterpart: bool = False
    setting: bool = False
    heading: bool = False
    anchor: tuple[int, int] | None = None  # (sign, days) relative to the previous trigger in the sentence
    report_day: DateMention | None = None  # "كشف اليوم ... أن المباحثات التي جمعته": the day of the report
    side_event: bool = False  # "على هامش الجولة": held beside the event last spoken of, not the same one
    attendance: bool = False  # "وحضر اللقاء ...": who else attended the meeting last spoken of
    implied: set[str] = field(default_factory=set)  # sides a named format brings ("محادثات أستانا")
    format: str | None = None
    bilateral: bool = False  # "محادثات ثنائية": two sides only, not the multilateral round
    new_meeting: bool = False  # "اجتماع آخر", "اللقاء المقبل": not the meeting already reported
    present: bool = False  # "يبحث الوزراء ...": a present tense in the body is news of what is under way or coming
    definite: bool = False  # "اللقاء" with no verb of its own: names a meeting, says nothing of it being held
    another_level: bool = False  # "إعداد اجتماع لوزراء الخارجية" after deputies' talks: the sides' next meeting
    previous: ScopeMention | None = None


@dataclass
class DraftEvent:
    kinds: set[str]
    status: str | None
    countries: set[str]
    persons: dict[str, PersonMention]
    pseudo_roles: list[str]
    level_words: list[str]
    location: tuple[int, str] | None
    lo: dt.date | None
    hi: dt.date | None
    precision: str | None
    mediator: str | None
    evidence: list[tuple[int, int]]
    last: int
    count: int = 1
    setting: bool = False
    implied: set[str] = field(default_factory=set)
    format: str | None = None
    realized: bool = False  # a mention reports it held: a pre-announcement merged into it does not make it planned
    anchors: list[tuple[ScopeMention, tuple[int, int]]] = field(default_factory=list)
    report_day: DateMention | None = None  # the day the report opens with, for talks it gives no date of
    mentions: list[ScopeMention] = field(default_factory=list)
    # (state the level was computed from, (level, strong)): merging only ever adds, so sizes and date tell
    level_memo: tuple[tuple[int, int, int, dt.date | None], tuple[str | None, bool]] | None = None


@dataclass(slots=True)
class DatesIndex:
    """The article's dates in text order, with their start offsets for bisection."""

    items: list[DateMention]
    starts: list[int]
