"""The knowledge base: people, organizations, places, countries, role kinds and the lexicon.

Everything lives in versioned YAML under `rasad/data/kb/` so analysts curate it without code
changes. Each entry is validated with pydantic; errors name the file and the entry. Loading
also builds the Aho-Corasick automata over all normalized aliases and lexicon phrases: one for
keys of a single word (looked up per distinct word, memoized) and one for keys of several words
(run once per article).
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable
from functools import lru_cache
from pathlib import Path
from typing import Any

import ahocorasick
from pydantic import ValidationError

from rasad.extraction.kb_specs import (
    DEFAULT_KB_DIR,
    AutomatonEntry,
    CliticsSpec,
    CountrySpec,
    DatesLexicon,
    EventsLexicon,
    KnowledgeBase,
    KnowledgeBaseError,
    NamesLexicon,
    OrganizationSpec,
    PersonSpec,
    PlaceSpec,
    RoleKindSpec,
    format_error,
    load_split,
    read_yaml,
    validate_list,
    validate_one,
)
from rasad.extraction.kb_user import overlay, signature
from rasad.settings import get_settings
from rasad.text.arabic import normalize_arabic
from rasad.text.clitics import build_rules

_ONE_WORD = re.compile(r"\w+")


def load_knowledge_base(path: Path | None = None) -> KnowledgeBase:
    """The KB under `path`; by default the packaged one with the user's files (`RASAD_KB_DIR`) over it.

    Cached, and loaded again when a user file changes (its time or size), so running workers see
    an added person at their next article.
    """
    if path is not None:
        return _load_cached(str(Path(path).resolve()), None, ())
    user_dir = get_settings().kb_dir
    return _load_cached(str(DEFAULT_KB_DIR), str(user_dir) if user_dir else None, signature(user_dir))


@lru_cache(maxsize=4)
def _load_cached(directory: str, user_dir: str | None, _files: tuple[tuple[str, int, int], ...]) -> KnowledgeBase:
    return build_knowledge_base(Path(directory), user_dir=Path(user_dir) if user_dir else None)


def build_knowledge_base(directory: Path, *, user_dir: Path | None = None) -> KnowledgeBase:
    """Load the KB from `directory`, with the user's entries of `user_dir` over it, without caching."""
    kb_files = {
        name: directory / f"{name}.yaml" for name in ("persons", "organizations", "places", "countries", "roles")
    }
    lex = directory / "lexicon"
    persons = load_split(directory, "persons", PersonSpec)
    orgs = validate_list(
        kb_files["organizations"], read_yaml(kb_files["organizations"]), "organizations", OrganizationSpec
    )
    places = load_split(directory, "places", PlaceSpec)
    if user_dir is not None:
        persons = overlay(persons, user_dir, "persons")
        orgs = overlay(orgs, user_dir, "organizations")
        places = overlay(places, user_dir, "places")
    countries = validate_list(kb_files["countries"], read_yaml(kb_files["countries"]), "countries", CountrySpec)
    roles_data = read_yaml(kb_files["roles"])
    role_kinds: dict[str, RoleKindSpec] = {}
    role_errors = []
    for kind, raw in (roles_data.get("roles") or {}).items():
        try:
            role_kinds[kind] = RoleKindSpec.model_validate(raw)
        except ValidationError as exc:
            role_errors.append(format_error(kb_files["roles"], f"roles.{kind}", exc))
    if role_errors:
        raise KnowledgeBaseError("\n".join(role_errors))
    clitics_spec = validate_one(lex / "clitics.yaml", read_yaml(lex / "clitics.yaml"), CliticsSpec)
    kb = KnowledgeBase(
        persons={p.id: p for p in persons},
        organizations={o.id: o for o in orgs},
        places={p.id: p for p in places},
        countries={c.code: c for c in countries},
        role_kinds=role_kinds,
        dates=validate_one(lex / "dates.yaml", read_yaml(lex / "dates.yaml"), DatesLexicon),
        events=validate_one(lex / "events.yaml", read_yaml(lex / "events.yaml"), EventsLexicon),
        names=validate_one(lex / "names.yaml", read_yaml(lex / "names.yaml"), NamesLexicon),
        clitics=build_rules(
            clitics_spec.conjunctions, clitics_spec.prepositions, clitics_spec.article, clitics_spec.noun_suffixes
        ),
        source_dir=directory,
        undated_reference=_reference_date(kb_files["roles"], roles_data.get("undated_reference")),
    )
    _cross_check(kb, kb_files)
    for c in countries:
        kb.places[kb.country_place_id(c.code)] = PlaceSpec(
            id=kb.country_place_id(c.code),
            name=c.name,
            country=c.code,
            kind="country",
            wikidata=c.wikidata,
            names=c.names,
        )
    _index(kb)
    return kb


def _reference_date(path: Path, value: Any) -> dt.date | None:
    if value is None or isinstance(value, dt.date):
        return value
    try:
        return dt.date.fromisoformat(str(value))
    except ValueError as exc:
        raise KnowledgeBaseError(f"{path}: undated_reference: not an ISO date: {value!r}") from exc


def _cross_check(kb: KnowledgeBase, files: dict[str, Path]) -> None:
    errors = [
        f"lexicon events.yaml: formats.{fid}.usual_place: unknown place {fmt.usual_place!r} (see places.yaml)"
        for fid, fmt in kb.events.formats.items()
        if fmt.usual_place and fmt.usual_place not in kb.places
    ]
    for p in kb.persons.values():
        where = f"{files['persons'].parent}: person {p.id!r}"
        if p.country and p.country not in kb.countries:
            errors.append(f"{where}: unknown country {p.country!r}")
        for j, r in enumerate(p.roles):
            if r.kind not in kb.role_kinds:
                errors.append(f"{where}: roles.{j}.kind: unknown role kind {r.kind!r} (see roles.yaml)")
            if r.country and r.country not in kb.countries:
                errors.append(f"{where}: roles.{j}.country: unknown country {r.country!r}")
            if r.start and r.end and r.end < r.start:
                errors.append(f"{where}: roles.{j}: end {r.end} before start {r.start}")
    for c in kb.countries.values():
        if c.capital and c.capital not in kb.places:
            errors.append(f"{files['countries']}: country {c.code}: unknown capital place id {c.capital!r}")
    if errors:
        raise KnowledgeBaseError("\n".join(errors))


def _norm_all(words: Iterable[str]) -> list[str]:
    return [w for w in (normalize_arabic(x) for x in words) if w]


class _Entries:
    """Automaton keys with their entries, and the spelling variants each key brings."""

    def __init__(self) -> None:
        self.table: dict[str, list[AutomatonEntry]] = {}

    def _put(self, key: str, entry: AutomatonEntry) -> None:
        bucket = self.table.setdefault(key, [])
        if entry not in bucket:
            bucket.append(entry)

    def add(self, phrase: str, layer: str, category: str, ref: str, *, noun: bool) -> None:
        """Add a phrase, with "ل" + "ال" written without the alef and a ة written ت before a suffix."""
        key = normalize_arabic(phrase)
        if len(key) < 2:
            return
        self._put(key, (layer, category, ref, noun, False, len(key), False))
        if key.startswith("ال") and len(key) > 3:
            # "للأسد", "للرئيس": ل + ال with the alef dropped.
            self._put(key[1:], (layer, category, ref, noun, True, len(key) - 1, False))
        if noun and key.endswith("ه") and len(key) >= 3 and " " not in key:
            # "قمة" -> "قمتهما", "زيارة" -> "زيارته": ة is written ت before a suffix.
            self._put(key[:-1] + "ت", (layer, category, ref, noun, False, len(key), True))

    def add_all(self, words: Iterable[str], layer: str, category: str, ref: str | None = None, *, noun: bool) -> None:
        """Add each word; its reference is itself unless `ref` is given."""
        for w in words:
            self.add(w, layer, category, w if ref is None else ref, noun=noun)


def _add_entities(kb: KnowledgeBase, entries: _Entries) -> None:
    for p in kb.persons.values():
        for name in p.names:
            entries.add(name, "person", "full", p.id, noun=False)
            kb.person_full_names.setdefault(normalize_arabic(name), []).append(p.id)
        entries.add_all(p.short, "person", "short", p.id, noun=False)
    for o in kb.organizations.values():
        entries.add_all(o.names, "entity", "org", o.id, noun=False)
    for pl in kb.places.values():
        entries.add_all(pl.names, "entity", "place", pl.id, noun=False)
    for c in kb.countries.values():
        entries.add_all(c.adjectives, "entity", "adjective", c.code, noun=False)
        entries.add_all(c.actors, "entity", "actor", c.code, noun=False)
    for kind, spec in kb.role_kinds.items():
        entries.add_all(spec.titles, "role", "title", kind, noun=True)
        entries.add_all(spec.group_words, "level", "group", kind, noun=True)
        entries.add_all(spec.weak_group_words, "level", "weak_group", kind, noun=True)


def _add_event_words(ev: EventsLexicon, entries: _Entries) -> None:
    for kind, words in ev.triggers.items():
        entries.add_all(words, "trigger", kind, noun=True)
    entries.add_all(ev.contact_words, "trigger", "contact", noun=True)
    for status, words in ev.status_cues.items():
        entries.add_all(words, "status", status, noun=True)
    for status, words in ev.clause_status_cues.items():
        entries.add_all(words, "misc", "conditional", status, noun=True)
    for category, words in (
        ("mediation", ev.mediation_cues),
        ("hosting", ev.hosting_cues),
        ("side", ev.side_anaphora),
        ("counterpart", ev.counterpart_words),
        ("topic", ev.topic_markers),
        ("setting", ev.setting_words),
        ("reporting", ev.reporting_verbs),
    ):
        entries.add_all(words, "misc", category, noun=True)
    entries.add_all((w for w in ev.source_markers if len(normalize_arabic(w)) >= 3), "misc", "source", noun=True)
    entries.add_all(ev.clause_markers, "misc", "clause", noun=False)
    for format_id, fmt in ev.formats.items():
        entries.add_all(fmt.phrases, "misc", "format", format_id, noun=True)
    entries.add_all(ev.non_party_heads, "nonparty", "head", noun=True)


def _build_automata(kb: KnowledgeBase, table: dict[str, list[AutomatonEntry]]) -> None:
    """One automaton over every key, and the same keys split in two for the matcher.

    Keys of one word are looked up per distinct word (memoized); keys of several words or with
    punctuation are run over the article. The bucket id lets the matcher memoize what a
    prefix/suffix keeps.
    """
    automaton = ahocorasick.Automaton()
    word_automaton = ahocorasick.Automaton()
    phrase_automaton = ahocorasick.Automaton()
    for bucket_id, (key, bucket) in enumerate(table.items()):
        value = (len(key), tuple(bucket), bucket_id)
        automaton.add_word(key, value)
        (word_automaton if _ONE_WORD.fullmatch(key) else phrase_automaton).add_word(key, value)
    for a in (automaton, word_automaton, phrase_automaton):
        a.make_automaton()
    kb.automaton = automaton
    kb.word_automaton = word_automaton
    kb.phrase_automaton = phrase_automaton


def _index(kb: KnowledgeBase) -> None:
    """Build the automaton over every alias and phrase, and the token sets."""
    entries = _Entries()
    _add_entities(kb, entries)
    _add_event_words(kb.events, entries)
    _build_automata(kb, entries.table)
    ev = kb.events
    names = kb.names
    kb.token_sets = {
        "complementizers": frozenset(_norm_all(ev.complementizers)),
        "location_preps": frozenset(_norm_all(ev.location_preps)),
        "source_markers": frozenset(_norm_all(ev.source_markers)),
        "stopwords": frozenset(_norm_all(names.stopwords)),
        "honorifics": frozenset(_norm_all(names.honorifics)),
        "title_fillers": frozenset(_norm_all(names.title_fillers)),
        "anchor_after": frozenset(_norm_all(ev.relative_anchor.after)),
        "anchor_before": frozenset(_norm_all(ev.relative_anchor.before)),
        "anchor_day_after": frozenset(_norm_all(ev.relative_anchor.day_after)),
        "anchor_day_before": frozenset(_norm_all(ev.relative_anchor.day_before)),
        "visit_words": frozenset(_norm_all(ev.visit_words)),
        "not_date_before": frozenset(_norm_all(kb.dates.not_event_date_before)),
        "non_participant_before": frozenset(_norm_all(names.non_participant_before)),
        "given_names": frozenset(_norm_all(names.given_names)),
        "not_title_after": frozenset(_norm_all(names.not_title_after)),
        "manner_words": frozenset(_norm_all(ev.manner_words)),
        "attendance_words": frozenset(_norm_all(ev.attendance_words)),
        **{f"fw:{role}": frozenset(_norm_all(words)) for role, words in ev.function_words.model_dump().items()},
    }
    kb.caches["anchor_units"] = {normalize_arabic(k): v for k, v in ev.relative_anchor.units.items()}
