"""Name spellings from the knowledge base: a query naming a person by any spelling finds all.

"جاويش أوغلو" and "تشاووش أوغلو" are the same minister. The knowledge base lists every spelling
(full names and the short forms outlets use alone); a query containing one of them is expanded
to all of them.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

from rasad.extraction.kb import KnowledgeBase, load_knowledge_base
from rasad.search.terms import index_words


@dataclass(frozen=True)
class PersonSpellings:
    """A person's id, canonical name and every spelling (as normalized word tuples)."""

    person_id: str
    name: str
    spellings: tuple[tuple[str, ...], ...]


@dataclass(frozen=True)
class NameIndex:
    """Spellings of every KB person, and every word the KB knows as written."""

    persons: tuple[PersonSpellings, ...]
    by_spelling: dict[tuple[str, ...], PersonSpellings]
    known_words: frozenset[str]
    longest: int


def load_kb() -> KnowledgeBase:
    """The knowledge base of the extraction package (cached there)."""
    return load_knowledge_base()


@lru_cache(maxsize=1)
def name_index() -> NameIndex:
    """Build (once) the spelling index from the knowledge base."""
    kb = load_kb()
    persons = []
    known: set[str] = set()
    for person in kb.persons.values():
        spellings = {tuple(index_words(s)) for s in [*person.names, *person.short]}
        spellings.discard(())
        persons.append(PersonSpellings(person.id, person.name, tuple(sorted(spellings, key=lambda s: (len(s), s)))))
        known.update(w for s in spellings for w in s)
    for place in kb.places.values():
        known.update(w for n in place.names for w in index_words(n))
    for country in kb.countries.values():
        known.update(w for n in [*country.names, *country.adjectives] for w in index_words(n))
    by_spelling = {s: p for p in persons for s in p.spellings}
    return NameIndex(tuple(persons), by_spelling, frozenset(known), max((len(s) for s in by_spelling), default=1))


def minimal_spellings(spellings: tuple[tuple[str, ...], ...]) -> list[tuple[str, ...]]:
    """Drop spellings that contain another spelling: finding the shorter one finds them too."""
    kept: list[tuple[str, ...]] = []
    for s in sorted(spellings, key=len):
        if not any(_contains(s, k) for k in kept):
            kept.append(s)
    return kept


def _contains(longer: tuple[str, ...], shorter: tuple[str, ...]) -> bool:
    n = len(shorter)
    return any(longer[i : i + n] == shorter for i in range(len(longer) - n + 1))
