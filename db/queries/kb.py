"""Look people, places and countries up in the knowledge base by id, canonical name or spelling."""

from __future__ import annotations

from typing import Any

from rasad.search.aliases import load_kb
from rasad.search.terms import index_words


def _key(text: str) -> str:
    return " ".join(index_words(text))


def resolve_person(value: str) -> Any | None:
    """The KB person whose id, canonical name or any Arabic spelling is `value`."""
    kb = load_kb()
    if value in kb.persons:
        return kb.persons[value]
    key = _key(value)
    for person in kb.persons.values():
        if key and (key == _key(person.name) or key in {_key(n) for n in [*person.names, *person.short]}):
            return person
    return None


def resolve_place(value: str) -> Any | None:
    """The KB place (countries included, as `country:XX`) named by id, name or spelling."""
    kb = load_kb()
    if value in kb.places:
        return kb.places[value]
    key = _key(value)
    for place in kb.places.values():
        if key and (key == _key(place.name) or key in {_key(n) for n in place.names}):
            return place
    return None


def resolve_country(value: str) -> Any | None:
    """The KB country by ISO code, English name or Arabic name."""
    kb = load_kb()
    if value.upper() in kb.countries:
        return kb.countries[value.upper()]
    key = _key(value)
    for country in kb.countries.values():
        if key and (key == _key(country.name) or key in {_key(n) for n in country.names}):
            return country
    return None


def role_history(person: Any) -> list[dict[str, Any]]:
    """A person's offices over time, oldest first."""
    return [
        {"kind": r.kind, "label": r.label, "country": r.country, "start": r.start, "end": r.end} for r in person.roles
    ]
