"""Look people, places and countries up in the knowledge base by id, canonical name or spelling."""

from __future__ import annotations

from typing import Any

from rasad.search.aliases import load_kb
from rasad.search.terms import index_words


def _key(text: str) -> str:
    return " ".join(index_words(text))


def _spellings(kind: str, entry: Any) -> list[str]:
    return [entry.name, *entry.names, *(entry.short if kind == "persons" else [])]


def _by_spelling(kind: str) -> dict[str, Any]:
    """Every spelling of the KB's `kind` entries ("persons", "places", "countries") -> its entry.

    Built once per loaded knowledge base (kept in its caches, so a reloaded one builds its own); when two
    entries share a spelling, the first in the KB's order wins.
    """
    kb = load_kb()
    table: dict[str, Any] | None = kb.caches.get(f"by_spelling:{kind}")
    if table is None:
        table = {}
        for entry in getattr(kb, kind).values():
            for name in _spellings(kind, entry):
                table.setdefault(_key(name), entry)
        table.pop("", None)
        kb.caches[f"by_spelling:{kind}"] = table
    return table


def resolve_person(value: str) -> Any | None:
    """The KB person whose id, canonical name or any Arabic spelling is `value`."""
    return load_kb().persons.get(value) or _by_spelling("persons").get(_key(value))


def resolve_place(value: str) -> Any | None:
    """The KB place (countries included, as `country:XX`) named by id, name or spelling."""
    return load_kb().places.get(value) or _by_spelling("places").get(_key(value))


def resolve_country(value: str) -> Any | None:
    """The KB country by ISO code, English name or Arabic name."""
    return load_kb().countries.get(value.upper()) or _by_spelling("countries").get(_key(value))


def role_history(person: Any) -> list[dict[str, Any]]:
    """A person's offices over time, oldest first."""
    return [
        {"kind": r.kind, "label": r.label, "country": r.country, "start": r.start, "end": r.end} for r in person.roles
    ]
