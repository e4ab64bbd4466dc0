"""The words of the dashboard and the alerts in Arabic (the default) and English.

Every word lives in `rasad/data/i18n/<language>.yaml`; people, places and countries are named in
the knowledge base's Arabic form in Arabic (its first spelling) and by their canonical name in
English. Stored values (statuses, levels, canonical names) never change: only what is shown does.
"""

from __future__ import annotations

from collections.abc import Mapping
from functools import lru_cache
from importlib import resources
from typing import Any

import yaml
from pydantic import BaseModel, ConfigDict

from rasad.extraction.kb import load_knowledge_base

LANGUAGES = ("ar", "en")
DEFAULT_LANGUAGE = "ar"


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class SummaryParts(_Strict):
    """Templates of a development's one-line summary, in the order they are joined."""

    sides_joiner: str
    people_joiner: str
    head: str
    who: str
    where: str
    when: str
    mediator: str
    status: str


class Labels(_Strict):
    """One language's words."""

    version: int
    direction: str
    kinds: dict[str, str]
    levels: dict[str, str]
    statuses: dict[str, str]
    changes: dict[str, str]
    summary: SummaryParts
    message: dict[str, str]
    ui: dict[str, str]


def check_language(value: str | None) -> str:
    """A known language code (`ar` or `en`); ValueError naming the choices otherwise."""
    if value not in LANGUAGES:
        raise ValueError(f"language must be one of {', '.join(LANGUAGES)}, got {value!r}")
    return value


@lru_cache(maxsize=len(LANGUAGES))
def labels(language: str = DEFAULT_LANGUAGE) -> Labels:
    """The words of `language` (read once)."""
    text = (resources.files("rasad") / "data" / "i18n" / f"{check_language(language)}.yaml").read_text("utf-8")
    return Labels.model_validate(yaml.safe_load(text))


@lru_cache(maxsize=1)
def _arabic_names() -> tuple[dict[str, str], dict[str, str], dict[str, str]]:
    """Canonical person and place names, and country codes, to their first Arabic spelling in the KB."""
    kb = load_knowledge_base()
    persons = {p.name: p.names[0] for p in kb.persons.values() if p.names}
    places = {p.name: p.names[0] for p in kb.places.values() if p.names}
    countries = {c.code: c.names[0] for c in kb.countries.values() if c.names}
    return persons, places, countries


def person_name(name: str, language: str) -> str:
    """A person as the language names them (an unknown one as stored)."""
    return _arabic_names()[0].get(name, name) if language == "ar" else name


def place_name(name: str, language: str) -> str:
    """A place as the language names it."""
    return _arabic_names()[1].get(name, name) if language == "ar" else name


def country_name(code: str, language: str) -> str:
    """A country: its Arabic name, or its ISO code in English (as the API gives it)."""
    return _arabic_names()[2].get(code, code) if language == "ar" else code


def _field(dev: Mapping[str, Any] | object, key: str) -> Any:
    return dev.get(key) if isinstance(dev, Mapping) else getattr(dev, key, None)


def describe(dev: Mapping[str, Any] | object, language: str = DEFAULT_LANGUAGE) -> str:
    """A development in one line, as an alert states it: kind, level, sides, who, where, when, status."""
    words = labels(language)
    parts = words.summary
    kind, level, status = _field(dev, "kind"), _field(dev, "level") or "other", _field(dev, "status") or "planned"
    sides = parts.sides_joiner.join(country_name(c, language) for c in _field(dev, "countries") or [])
    persons = [person_name(p, language) for p in _field(dev, "persons") or []]
    out = parts.head.format(kind=words.kinds.get(kind, kind), level=words.levels.get(level, level), sides=sides or "—")
    if persons:
        out += parts.who.format(who=parts.people_joiner.join(persons))
    if _field(dev, "location"):
        out += parts.where.format(place=place_name(_field(dev, "location"), language))
    if _field(dev, "date"):
        out += parts.when.format(date=_field(dev, "date"))
    if _field(dev, "mediator"):
        out += parts.mediator.format(mediator=country_name(_field(dev, "mediator"), language))
    return out + parts.status.format(status=words.statuses.get(status, status))


def status_label(status: str, language: str = DEFAULT_LANGUAGE) -> str:
    """A status in the language."""
    return labels(language).statuses.get(status, status)


def change_label(change: Mapping[str, Any], language: str = DEFAULT_LANGUAGE) -> str:
    """One line for a development change: "تغيّرت الحالة: مقرر ← عُقد" / "status changed: planned → held"."""
    words = labels(language)
    label = words.changes.get(change["change"], change["change"])
    if change["change"] == "new":
        return label
    arrow = " ← " if words.direction == "rtl" else " → "
    old = _value(change["change"], change.get("old"), language) or words.message["unknown"]
    return f"{label}: {old}{arrow}{_value(change['change'], change.get('new'), language)}"


def _value(change: str, value: Any, language: str) -> str:
    if value is None:
        return ""
    words = labels(language)
    if change == "status":
        return words.statuses.get(value, value)
    if change == "level":
        return words.levels.get(value, value)
    if change == "location":
        return place_name(value, language)
    return str(value)
