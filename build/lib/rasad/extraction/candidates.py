"""People the knowledge base lacks, gathered across articles: what `rasad kb candidates` lists.

Each candidate is a name found after a role title ("وزير الخارجية الإيراني ..."), with how often and
in how many articles it was seen, the roles it was given, and a context snippet, so a curator can
add it to `rasad/data/kb/persons.yaml`.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass, field

from rasad.extraction.kb import KnowledgeBase, load_knowledge_base
from rasad.extraction.pipeline import extract


@dataclass
class Candidate:
    """An unknown person seen in one or more articles."""

    name: str
    mentions: int = 0
    articles: int = 0
    roles: dict[str, int] = field(default_factory=dict)
    countries: dict[str, int] = field(default_factory=dict)
    example: str = ""

    def as_dict(self) -> dict[str, object]:
        """JSON-friendly form."""
        return {
            "name": self.name,
            "mentions": self.mentions,
            "articles": self.articles,
            "roles": dict(sorted(self.roles.items(), key=lambda kv: -kv[1])),
            "countries": dict(sorted(self.countries.items(), key=lambda kv: -kv[1])),
            "example": self.example,
        }


def kb_candidates(
    articles: Iterable[tuple[str | None, str, dt.date | None]],
    *,
    kb: KnowledgeBase | None = None,
    min_articles: int = 1,
) -> list[Candidate]:
    """Unknown people across `(title, body, published_at)` articles, most frequent first."""
    kb = kb or load_knowledge_base()
    found: dict[str, Candidate] = {}
    for title, body, published in articles:
        result = extract(title=title, body=body, published_at=published, kb=kb)
        for person in result.persons:
            if person.known:
                continue
            cand = found.setdefault(person.name, Candidate(person.name))
            cand.mentions += len(person.mentions)
            cand.articles += 1
            if person.role:
                cand.roles[person.role] = cand.roles.get(person.role, 0) + 1
            if person.country:
                cand.countries[person.country] = cand.countries.get(person.country, 0) + 1
            if not cand.example and person.mentions:
                m = person.mentions[0]
                cand.example = body[max(0, m.start - 60) : m.end + 40].replace("\n", " ").strip()
    out = [c for c in found.values() if c.articles >= min_articles]
    out.sort(key=lambda c: (-c.articles, -c.mentions, c.name))
    return out
