"""Parse a search box query into terms: words, quoted phrases and person names."""

from __future__ import annotations

import re

from rasad.search.aliases import NameIndex, minimal_spellings, name_index
from rasad.search.terms import (
    MAX_TERMS,
    MIN_STEM,
    STOPWORDS,
    Alternative,
    ParsedQuery,
    Term,
    index_words,
    make_alternative,
)

_QUOTED = re.compile(r'"([^"]*)"|«([^»]*)»|(\S+)')


def parse_query(text: str, names: NameIndex | None = None) -> ParsedQuery:
    """Normalize `text` like the index and expand person names to all their KB spellings.

    Quoted parts ("...", «...») are phrases: their words must all match. Words shorter than
    two letters are dropped (they are clitics or noise).
    """
    names = names or name_index()
    chunks: list[list[str]] = []
    for match in _QUOTED.finditer(text or ""):
        quoted = match.group(1) if match.group(1) is not None else match.group(2)
        words = index_words(quoted if quoted is not None else match.group(3))
        if quoted is not None:
            chunks.append(words)
        else:
            chunks.extend([w] for w in words)
    chunks = [c for c in (_drop_short(c) for c in chunks) if c]
    content = [c for c in chunks if len(c) > 1 or c[0] not in STOPWORDS]
    chunks = content or chunks
    flat: list[tuple[int, str]] = [(i, w) for i, c in enumerate(chunks) for w in c]
    terms: list[Term] = []
    pos = 0
    while pos < len(flat) and len(terms) < MAX_TERMS:
        person_term, used = _person_at(flat, pos, names)
        if person_term is not None:
            terms.append(person_term)
            pos += used
            continue
        chunk_id = flat[pos][0]
        words = [w for i, w in flat[pos:] if i == chunk_id]
        terms.append(Term((make_alternative(words, names.known_words),)))
        pos += len(words)
    return ParsedQuery(text=text or "", terms=tuple(terms))


def _drop_short(words: list[str]) -> list[str]:
    return [w for w in words if len(w) >= 2]


def _person_at(flat: list[tuple[int, str]], pos: int, names: NameIndex) -> tuple[Term | None, int]:
    """The longest KB spelling starting at `pos` (also after a clitic: "ولافروف")."""
    for size in range(min(names.longest, len(flat) - pos), 0, -1):
        words = tuple(w for _, w in flat[pos : pos + size])
        person = names.by_spelling.get(words)
        if person is None and len(words[0]) > MIN_STEM:
            for chain in ("و", "ف", "ل", "ب", "ول", "وب", "ال", "وال"):
                if words[0].startswith(chain):
                    person = names.by_spelling.get((words[0][len(chain) :], *words[1:]))
                    if person is not None:
                        break
        if person is not None:
            alternatives = tuple(
                Alternative(tuple((w,) for w in spelling)) for spelling in minimal_spellings(person.spellings)
            )
            return Term(alternatives, person_id=person.person_id), size
    return None, 0
