"""The extraction entry point: body text in, entities, events, quotes and topics out."""

from __future__ import annotations

import datetime as dt

from rasad.extraction.dates import find_dates
from rasad.extraction.events import extract_events
from rasad.extraction.events.roles import person_role_kind
from rasad.extraction.kb import KnowledgeBase, load_knowledge_base
from rasad.extraction.limits import DEFAULT_LIMITS, ExtractionLimits, Truncations
from rasad.extraction.matcher import PersonMention, Scan, scan_text
from rasad.extraction.model import Extraction, Mention, OrganizationEntity, PersonEntity, PlaceEntity
from rasad.extraction.quotes import extract_quotes
from rasad.extraction.topics import score_topics


def extract(
    *,
    title: str | None,
    body: str,
    published_at: dt.date | None,
    language: str = "ar",
    kb: KnowledgeBase | None = None,
    limits: ExtractionLimits = DEFAULT_LIMITS,
) -> Extraction:
    """Extract persons, organizations, places, events, quotes and topic relevance from one article.

    Offsets in mentions, evidence and quotes index the ORIGINAL `body`. Relative dates resolve
    against `published_at`; without it they are left out. Beyond the caps of `limits` less is read,
    and `Extraction.truncated` says what was cut. `language` other than Arabic still
    runs (the KB is Arabic, so little is found).
    """
    kb = kb or load_knowledge_base()
    if isinstance(published_at, dt.datetime):
        published_at = published_at.date()
    truncations = Truncations()
    scan = scan_text(kb, _read_part(body or "", limits, truncations))
    title_scan = scan_text(kb, title[: limits.sentence_chars]) if title else None
    dates = find_dates(kb, scan.text, published_at, scan.tokens, scan.words)
    events = extract_events(kb, scan, dates, published_at, limits, truncations)
    result = Extraction(
        persons=_with_headline_people(kb, _persons(kb, scan, published_at), title_scan, published_at),
        organizations=_organizations(kb, scan),
        places=_places(kb, scan),
        events=events,
        quotes=extract_quotes(kb, scan),
    )
    result.topics = score_topics(
        kb, scan, title_scan, events, [p.name for p in result.persons], published=published_at, dates=dates
    )
    if result.topics:
        best = max(result.topics, key=lambda t: t.score)
        result.relevance = best.score
        result.relevant = any(t.relevant for t in result.topics)
    result.truncated = truncations.notes
    del language
    return result


def _read_part(body: str, limits: ExtractionLimits, truncations: Truncations) -> str:
    """The body up to the cap, cut at the last paragraph (or space) break before it; offsets still index `body`."""
    if len(body) <= limits.body_chars:
        return body
    cut = body.rfind("\n", 0, limits.body_chars)
    if cut < limits.body_chars // 2:
        cut = body.rfind(" ", 0, limits.body_chars)
    cut = cut if cut > 0 else limits.body_chars
    truncations.note("body", f"{len(body)} characters, the first {cut} read")
    return body[:cut]


def _mention(scan: Scan, start: int, end: int) -> Mention:
    s, e = scan.nt.to_original(start, end)
    return Mention(scan.nt.original[s:e], s, e)


def _role_label(
    kb: KnowledgeBase, mentions: list[PersonMention], published: dt.date | None
) -> tuple[str | None, str | None]:
    first = mentions[0]
    if not first.known:
        titled = next((m for m in mentions if m.title_kind), first)
        if titled.title_kind is None:
            return None, None
        return kb.role_label(titled.title_kind, titled.title_country), titled.title_kind
    person = kb.persons[first.key]
    kinds = [m.title_kind for m in mentions if m.title_kind]
    role = next((r for k in kinds for r in reversed(person.roles) if r.kind == k), None)
    if role is None and published is not None:
        role = person.role_at(published)
    if role is None and published is None and kb.undated_reference is not None:
        role = person.role_at(kb.undated_reference)
    if role is None and published is not None:
        earlier = [r for r in person.roles if r.start is None or r.start <= published]
        role = earlier[-1] if earlier else None
    if role is None:
        role = person.role_at(None)
    kind = person_role_kind(kb, first, None, published)
    return (role.label if role else None), (role.kind if role else kind)


def _persons(kb: KnowledgeBase, scan: Scan, published: dt.date | None) -> list[PersonEntity]:
    groups: dict[str, list[PersonMention]] = {}
    for p in scan.persons:
        groups.setdefault(p.key, []).append(p)
    out = []
    for key, mentions in groups.items():
        if all(m.nested for m in mentions):
            continue  # only ever inside "نظام الأسد": the government is meant, not the person
        label, kind = _role_label(kb, mentions, published)
        if mentions[0].known:
            spec = kb.persons[key]
            entity = PersonEntity(spec.name, label, spec.wikidata, True, key, spec.country, kind)
        else:
            titled = next((m for m in mentions if m.title_kind), mentions[0])
            entity = PersonEntity(
                scan.unknown_names.get(key, mentions[0].surface), label, None, False, None, titled.title_country, kind
            )
        entity.mentions = [_mention(scan, m.start, m.end) for m in mentions]
        out.append(entity)
    return out


def _with_headline_people(
    kb: KnowledgeBase, persons: list[PersonEntity], title_scan: Scan | None, published: dt.date | None
) -> list[PersonEntity]:
    """People the headline names and the body does not ("الأسد: إيجابيون تجاه أي مبادرة"), known ones only.

    Their mentions are left empty: offsets index the body, and the headline is not part of it.
    """
    if title_scan is None:
        return persons
    named = {p.kb_id for p in persons if p.kb_id}
    for entity in _persons(kb, title_scan, published):
        if entity.known and entity.kb_id not in named:
            entity.mentions = []
            persons.append(entity)
    return persons


def _organizations(kb: KnowledgeBase, scan: Scan) -> list[OrganizationEntity]:
    out: dict[str, OrganizationEntity] = {}
    titles = [(t.start, t.end) for t in scan.layers.get("role", [])]
    for m in scan.layers.get("entity", []):
        if m.category != "org":
            continue
        if any(s < m.end and m.start < e for s, e in titles):
            continue  # "رئيس جهاز الاستخبارات التركية": part of a title
        org_id = m.refs[0]
        spec = kb.organizations[org_id]
        ent = out.setdefault(org_id, OrganizationEntity(spec.name, org_id, spec.kind))
        ent.mentions.append(_mention(scan, m.start, m.end))
    return list(out.values())


def _places(kb: KnowledgeBase, scan: Scan) -> list[PlaceEntity]:
    out: dict[str, PlaceEntity] = {}
    for m in scan.layers.get("entity", []):
        if m.category != "place":
            continue
        place_id = m.refs[0]
        spec = kb.places[place_id]
        ent = out.setdefault(place_id, PlaceEntity(spec.name, place_id, spec.country, spec.kind))
        ent.mentions.append(_mention(scan, m.start, m.end))
    return list(out.values())
