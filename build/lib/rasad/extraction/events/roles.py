"""Participants' roles and the level of an event (heads of state, ministers, intelligence ...)."""

from __future__ import annotations

import datetime as dt

from rasad.extraction.events.model import ScopeMention
from rasad.extraction.kb import KnowledgeBase
from rasad.extraction.matcher import PersonMention

NOT_PARTICIPANT_ROLES = frozenset({"spokesperson", "communications_director"})


def person_level(kb: KnowledgeBase, p: PersonMention, day: dt.date | None, published: dt.date | None) -> str | None:
    kind = person_role_kind(kb, p, day, published)
    spec = kb.role_kinds.get(kind) if kind else None
    return spec.level if spec else None


def person_role_kind(kb: KnowledgeBase, p: PersonMention, day: dt.date | None, published: dt.date | None) -> str | None:
    if not p.known:
        return p.title_kind
    # roles are fixed once the KB is loaded: cache by person, title and dates
    memo: dict[tuple[str, str | None, dt.date | None, dt.date | None], str | None] = kb.caches.setdefault(
        "role_kind", {}
    )
    key = (p.key, p.title_kind, day, published)
    if key in memo:
        return memo[key]
    if len(memo) > 100_000:
        memo.clear()
    kind = memo[key] = _role_kind_uncached(kb, p, day, published)
    return kind


def _role_kind_uncached(
    kb: KnowledgeBase, p: PersonMention, day: dt.date | None, published: dt.date | None
) -> str | None:
    person = kb.persons[p.key]
    if day is not None:
        role = person.role_at(day)
        if role is not None:
            return role.kind
    if p.title_kind in {r.kind for r in person.roles}:
        return p.title_kind
    for d in (published, kb.undated_reference):
        if d is not None:
            role = person.role_at(d)
            if role is not None:
                return role.kind
    role = person.role_at(None)
    return role.kind if role else None


def mention_countries(kb: KnowledgeBase, m: ScopeMention) -> set[str]:
    out = set(m.countries)
    for p in m.persons:
        if p.known:
            spec = kb.persons[p.key]
            if spec.country and spec.side == "government":
                out.add(spec.country)
        elif p.title_country:
            out.add(p.title_country)
    return out


def participants(kb: KnowledgeBase, m: ScopeMention, published: dt.date | None) -> list[PersonMention]:
    out = []
    for p in m.persons:
        if person_role_kind(kb, p, m.date.lo if m.date else None, published) in NOT_PARTICIPANT_ROLES:
            continue
        out.append(p)
    return out


def level_of(
    kb: KnowledgeBase,
    persons: list[PersonMention],
    pseudo: list[str],
    words: list[str],
    day: dt.date | None,
    published: dt.date | None,
    *,
    final: bool = True,
) -> tuple[str | None, bool]:
    """Level from participants' roles (strong) or from role words (weak); mixed is 'other' only when final."""
    levels = [lv for lv in (person_level(kb, p, day, published) for p in persons) if lv]
    levels += [kb.role_kinds[k].level for k in pseudo if k in kb.role_kinds]
    if levels:
        top = max(set(levels), key=levels.count)
        if len(set(levels)) == 1 or levels.count(top) * 2 > len(levels):
            return top, True
        return ("other", True) if final else (None, False)
    for w in words:
        return kb.role_kinds[w].level, False
    return None, False
