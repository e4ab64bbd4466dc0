"""What extraction produces for one article: plain dataclasses, no I/O."""

from __future__ import annotations

from dataclasses import dataclass, field

# The one order of statuses, from floated to done: a development's status only moves forward, and
# among cues equally near a trigger the most tentative one wins.
STATUSES = ("proposed", "planned", "held")


def status_rank(status: str | None) -> int:
    """The place of `status` in `STATUSES` (an unknown status ranks with "proposed")."""
    return STATUSES.index(status) if status in STATUSES else 0


@dataclass(slots=True)
class Mention:
    """A span of the ORIGINAL body text: `body[start:end] == text`."""

    text: str
    start: int
    end: int


@dataclass(slots=True)
class PersonEntity:
    """A person named in the article, linked to the knowledge base (`known`) or found by title."""

    name: str
    role: str | None
    wikidata: str | None
    known: bool
    kb_id: str | None = None
    country: str | None = None
    role_kind: str | None = None
    mentions: list[Mention] = field(default_factory=list)


@dataclass(slots=True)
class OrganizationEntity:
    """An organization of the knowledge base named in the article."""

    name: str
    kb_id: str
    kind: str | None = None
    mentions: list[Mention] = field(default_factory=list)


@dataclass(slots=True)
class PlaceEntity:
    """A place (country, capital, city, air base, region) named in the article."""

    name: str
    kb_id: str
    country: str | None
    kind: str
    mentions: list[Mention] = field(default_factory=list)


@dataclass(slots=True)
class Evidence:
    """A sentence that reports an event, with its offsets in the original body."""

    text: str
    start: int
    end: int


@dataclass(slots=True)
class Event:
    """A meeting or call between sides, as reported (possibly across several sentences)."""

    kind: str  # meeting | call
    status: str  # held | planned | proposed
    level: str  # heads_of_state | foreign_ministers | defence_ministers | deputy_foreign_ministers | ...
    countries: list[str]
    persons: list[str]
    location: str | None
    date: str | None  # YYYY-MM-DD, YYYY-MM or YYYY
    mediator: str | None
    evidence: list[Evidence] = field(default_factory=list)
    implied_sides: list[str] = field(default_factory=list)  # sides a named format brings, not named in the text
    format: str | None = None  # a named format of talks ("astana"): its rounds are a story of their own


@dataclass(slots=True)
class Quote:
    """Words attributed to a person: direct (in quotation marks) or reported (قال ... إن ...)."""

    speaker: str
    text: str
    start: int
    end: int
    direct: bool = True


@dataclass(slots=True)
class TopicScore:
    """Relevance of the article to one topic, with the reasons that fired."""

    topic: str
    score: float
    relevant: bool
    reasons: list[str] = field(default_factory=list)


@dataclass(slots=True)
class Extraction:
    """Everything extracted from one article."""

    persons: list[PersonEntity] = field(default_factory=list)
    organizations: list[OrganizationEntity] = field(default_factory=list)
    places: list[PlaceEntity] = field(default_factory=list)
    events: list[Event] = field(default_factory=list)
    quotes: list[Quote] = field(default_factory=list)
    topics: list[TopicScore] = field(default_factory=list)
    relevant: bool = False
    relevance: float = 0.0
    truncated: list[str] = field(default_factory=list)  # what the caps of `limits` cut, one line each
