"""Subscription rules: what an article must be about to alert a subscriber.

A rule is a conjunction of the fields it sets (topic, minimum relevance, persons, countries,
event kinds and statuses, keywords, outlets); within a field any listed value matches. Persons
and countries are matched on the article's developments and, for articles without one, on the
names the knowledge base knows for them in the normalized text. Keywords are matched on text
normalized with `normalize_arabic`, so spelling variants (hamza forms, ta marbuta, diacritics)
do not matter.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from functools import lru_cache
from importlib import resources
from pathlib import Path

import yaml
from pydantic import BaseModel, ConfigDict, Field, ValidationError, ValidationInfo, field_validator

from rasad.extraction.kb import KnowledgeBase, load_knowledge_base
from rasad.extraction.topics import load_topics
from rasad.text.arabic import normalize_arabic
from rasad.text.validation import check_text

EVENT_KINDS = ("meeting", "call")
EVENT_STATUSES = ("proposed", "planned", "held")
_TOPIC_ID = re.compile(r"^[a-z0-9][a-z0-9_-]{1,40}$")


class InvalidRule(ValueError):
    """A rule that cannot be stored; the message says why, in one line."""


@dataclass(frozen=True)
class KnownPerson:
    """A person of the knowledge base: canonical name and every spelling that names them."""

    id: str
    name: str
    spellings: tuple[str, ...]  # normalized


@dataclass(frozen=True)
class KnownCountry:
    """A country of the knowledge base: ISO code and the normalized words that name it."""

    code: str
    name: str
    spellings: tuple[str, ...]


def _kb_file(name: str) -> Path:
    return Path(str(resources.files("rasad") / "data" / "kb" / name))


_PERSONS_INDEX: tuple[KnowledgeBase, dict[str, KnownPerson]] | None = None


def known_persons() -> dict[str, KnownPerson]:
    """Persons of the knowledge base (bundled files and the user's), keyed by every accepted way to name them."""
    global _PERSONS_INDEX
    kb = load_knowledge_base()
    if _PERSONS_INDEX is None or _PERSONS_INDEX[0] is not kb:
        _PERSONS_INDEX = (kb, _persons_index(kb))
    return _PERSONS_INDEX[1]


def _persons_index(kb: KnowledgeBase) -> dict[str, KnownPerson]:
    index: dict[str, KnownPerson] = {}
    for entry in kb.persons.values():
        names = [*entry.names, *(entry.short if entry.short_standalone else [])]
        person = KnownPerson(
            id=entry.id, name=entry.name, spellings=tuple(sorted({normalize_arabic(n) for n in names if n}))
        )
        for key in (person.id, person.name, *names):
            index[normalize_arabic(key)] = person
    return index


@lru_cache(maxsize=1)
def known_countries() -> dict[str, KnownCountry]:
    """Countries of the knowledge base by ISO alpha-2 code."""
    data = yaml.safe_load(_kb_file("countries.yaml").read_text(encoding="utf-8")) or {}
    countries = {}
    for entry in data.get("countries") or []:
        words = [*(entry.get("names") or []), *(entry.get("adjectives") or []), *(entry.get("actors") or [])]
        countries[str(entry["code"])] = KnownCountry(
            code=str(entry["code"]),
            name=str(entry.get("name") or entry["code"]),
            spellings=tuple(sorted({normalize_arabic(str(w)) for w in words if w})),
        )
    return countries


def known_topics() -> dict[str, str]:
    """Every topic id (bundled and the user's), keyed by id, and the bundled ones by file name too."""
    topics = dict(_bundled_topic_names())
    topics.update({topic.spec.id: topic.spec.id for topic in load_topics()})
    return topics


@lru_cache(maxsize=1)
def _bundled_topic_names() -> dict[str, str]:
    """Topic ids of `rasad/data/topics/`, keyed by id and by file name ('normalization' → its id)."""
    folder = Path(str(resources.files("rasad") / "data" / "topics"))
    if not folder.is_dir():
        return {}
    topics: dict[str, str] = {}
    for path in sorted(folder.iterdir()):
        if path.suffix in (".yaml", ".yml"):
            data = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
            topic_id = str(data.get("id") or path.stem)
            topics[topic_id] = topics[path.stem] = topic_id
    return topics


MAX_RULE_ITEMS = 100  # values per field of a rule


class Rule(BaseModel):
    """What a subscriber wants to hear about; unset fields do not filter."""

    model_config = ConfigDict(extra="forbid")

    topic: str | None = None
    min_relevance: float = Field(default=0.0, ge=0.0, le=1.0)
    persons: list[str] = Field(default_factory=list)  # canonical names
    countries: list[str] = Field(default_factory=list)  # ISO alpha-2
    event_kinds: list[str] = Field(default_factory=list)
    event_statuses: list[str] = Field(default_factory=list)
    keywords: list[str] = Field(default_factory=list)  # as typed; matched normalized
    outlets: list[str] = Field(default_factory=list)  # source ids

    @field_validator("persons", "countries", "event_kinds", "event_statuses", "keywords", "outlets", mode="before")
    @classmethod
    def _items_are_clean_text(cls, values: object, info: ValidationInfo) -> object:
        """NUL, lone surrogates and control characters are refused before anything else reads the values."""
        if not isinstance(values, list):
            return values
        if len(values) > MAX_RULE_ITEMS:
            raise ValueError(f"at most {MAX_RULE_ITEMS} values, got {len(values)}")
        field = str(info.field_name).rstrip("s")
        return [check_text(v, field=field, max_chars=200) if isinstance(v, str) else v for v in values]

    @field_validator("topic")
    @classmethod
    def _topic_is_known(cls, value: str | None) -> str | None:
        if value is None:
            return None
        if not _TOPIC_ID.match(value):
            raise ValueError(f"topic must be an id like 'normalization', got {value!r}")
        topics = known_topics()
        if topics and value not in topics:
            raise ValueError(f"unknown topic {value!r}; known: {', '.join(sorted(topics))}")
        return topics.get(value, value)

    @field_validator("persons")
    @classmethod
    def _persons_are_known(cls, values: list[str]) -> list[str]:
        people = known_persons()
        canonical = []
        for value in values:
            person = people.get(normalize_arabic(value))
            if person is None:
                raise ValueError(f"unknown person {value!r} (use a name the knowledge base knows, or --keyword)")
            canonical.append(person.name)
        return sorted(set(canonical))

    @field_validator("countries")
    @classmethod
    def _countries_are_known(cls, values: list[str]) -> list[str]:
        codes = known_countries()
        result = []
        for value in values:
            code = value.strip().upper()
            if code not in codes:
                raise ValueError(f"unknown country code {value!r}; use ISO alpha-2 such as TR, SY, RU")
            result.append(code)
        return sorted(set(result))

    @field_validator("event_kinds")
    @classmethod
    def _kinds_are_known(cls, values: list[str]) -> list[str]:
        for value in values:
            if value not in EVENT_KINDS:
                raise ValueError(f"event kind must be one of {', '.join(EVENT_KINDS)}, got {value!r}")
        return sorted(set(values))

    @field_validator("event_statuses")
    @classmethod
    def _statuses_are_known(cls, values: list[str]) -> list[str]:
        for value in values:
            if value not in EVENT_STATUSES:
                raise ValueError(f"event status must be one of {', '.join(EVENT_STATUSES)}, got {value!r}")
        return sorted(set(values))

    @field_validator("keywords")
    @classmethod
    def _keywords_are_words(cls, values: list[str]) -> list[str]:
        for value in values:
            if len(normalize_arabic(value)) < 2:
                raise ValueError(f"keyword {value!r} is too short to match anything meaningful")
        return values

    @field_validator("outlets")
    @classmethod
    def _outlets_are_ids(cls, values: list[str]) -> list[str]:
        for value in values:
            if not re.match(r"^[a-z0-9][a-z0-9-]{1,40}$", value):
                raise ValueError(f"outlet must be a source id such as 'orient', got {value!r}")
        return sorted(set(values))

    def describe(self) -> str:
        """One line for listings: the fields that filter."""
        parts = []
        if self.topic:
            parts.append(f"topic={self.topic}")
        if self.min_relevance:
            parts.append(f"relevance>={self.min_relevance:g}")
        for label, values in (
            ("persons", self.persons),
            ("countries", self.countries),
            ("kinds", self.event_kinds),
            ("statuses", self.event_statuses),
            ("keywords", self.keywords),
            ("outlets", self.outlets),
        ):
            if values:
                parts.append(f"{label}={','.join(values)}")
        return " ".join(parts) or "every relevant article"


def parse_rule(data: dict[str, object], *, known_outlets: Iterable[str] | None = None) -> Rule:
    """Validate a rule; raise `InvalidRule` with a one-line reason. Outlets are checked when known ones are given."""
    try:
        rule = Rule.model_validate(data)
    except ValidationError as exc:
        first = exc.errors()[0]
        where = ".".join(str(p) for p in first["loc"] if not isinstance(p, int)) or "rule"
        message = str(first["msg"]).removeprefix("Value error, ")
        raise InvalidRule(f"invalid rule: {where}: {message}") from exc
    if known_outlets is not None:
        known = set(known_outlets)
        unknown = [o for o in rule.outlets if o not in known]
        if unknown:
            raise InvalidRule(
                f"invalid rule: unknown outlet(s) {', '.join(unknown)}; known: {', '.join(sorted(known))}"
            )
    return rule


@dataclass(frozen=True)
class DevelopmentFacts:
    """What a rule may ask of one development an article reports."""

    kind: str
    status: str
    countries: tuple[str, ...]
    persons: tuple[str, ...]


@dataclass(frozen=True)
class ArticleFacts:
    """What a rule may ask of an article."""

    source_id: str
    relevance: float
    topics: tuple[str, ...]
    text_normalized: str  # title and body, normalize_arabic'd
    developments: tuple[DevelopmentFacts, ...] = field(default_factory=tuple)


def _mentions(text: str, spellings: Iterable[str]) -> bool:
    return any(s and s in text for s in spellings)


def matches(rule: Rule, facts: ArticleFacts) -> bool:
    """Whether an article satisfies every field the rule sets."""
    if rule.topic and rule.topic not in facts.topics:
        return False
    if facts.relevance < rule.min_relevance:
        return False
    if rule.outlets and facts.source_id not in rule.outlets:
        return False
    if rule.keywords and not _mentions(facts.text_normalized, (normalize_arabic(k) for k in rule.keywords)):
        return False
    if rule.event_kinds and not any(d.kind in rule.event_kinds for d in facts.developments):
        return False
    if rule.event_statuses and not any(d.status in rule.event_statuses for d in facts.developments):
        return False
    if rule.persons and not _persons_match(rule.persons, facts):
        return False
    return not (rule.countries and not _countries_match(rule.countries, facts))


def _persons_match(wanted: list[str], facts: ArticleFacts) -> bool:
    if any(p in wanted for d in facts.developments for p in d.persons):
        return True
    people = {p.name: p for p in known_persons().values()}
    return any(name in people and _mentions(facts.text_normalized, people[name].spellings) for name in wanted)


def _countries_match(wanted: list[str], facts: ArticleFacts) -> bool:
    if any(c in wanted for d in facts.developments for c in d.countries):
        return True
    countries = known_countries()
    return any(code in countries and _mentions(facts.text_normalized, countries[code].spellings) for code in wanted)
