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
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Any, Literal

import ahocorasick
import yaml
from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator

from rasad.text.arabic import normalize_arabic
from rasad.text.clitics import ProcliticRules, build_rules

_ONE_WORD = re.compile(r"\w+")
DEFAULT_KB_DIR = Path(__file__).resolve().parent.parent / "data" / "kb"
SUPPORTED_VERSION = 1

Level = Literal[
    "heads_of_state",
    "foreign_ministers",
    "defence_ministers",
    "deputy_foreign_ministers",
    "intelligence",
    "military",
    "other",
]
PlaceKind = Literal["capital", "city", "air_base", "naval_base", "region", "governorate", "border_crossing", "country"]

try:  # the C loader is several times faster on the KB
    _Loader: Any = yaml.CSafeLoader
except AttributeError:  # pragma: no cover
    _Loader = yaml.SafeLoader


class KnowledgeBaseError(ValueError):
    """The knowledge base files are missing or invalid; the message names file and entry."""


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class RoleSpan(_Strict):
    """One office a person held, with its dates (open ends allowed)."""

    kind: str
    label: str
    country: str | None = None
    start: dt.date | None = None
    end: dt.date | None = None

    def covers(self, day: dt.date) -> bool:
        """Whether the person held this office on `day` (start inclusive, end exclusive)."""
        return (self.start is None or self.start <= day) and (self.end is None or day < self.end)


class PersonSpec(_Strict):
    """A person: canonical name, spellings, offices."""

    id: str
    name: str
    wikidata: str | None = Field(default=None, pattern=r"^Q\d+$")
    country: str | None = Field(default=None, pattern=r"^[A-Z]{2}$")
    org: str | None = None
    side: Literal["government", "opposition"] = "government"
    names: list[str] = Field(min_length=1)
    short: list[str] = Field(default_factory=list)
    short_standalone: bool = False
    roles: list[RoleSpan] = Field(default_factory=list)

    def role_at(self, day: dt.date | None) -> RoleSpan | None:
        """The office held on `day`; without a day, the latest office."""
        if not self.roles:
            return None
        if day is not None:
            for role in reversed(self.roles):
                if role.covers(day):
                    return role
            return None
        return self.roles[-1]


class OrganizationSpec(_Strict):
    """An organization: media outlet, armed group, diplomatic format, international body ..."""

    id: str
    name: str
    kind: str
    country: str | None = None
    wikidata: str | None = Field(default=None, pattern=r"^Q\d+$")
    names: list[str] = Field(min_length=1)


class PlaceSpec(_Strict):
    """A place with its country and kind."""

    id: str
    name: str
    country: str | None = Field(default=None, pattern=r"^[A-Z]{2}$")
    kind: PlaceKind
    wikidata: str | None = Field(default=None, pattern=r"^Q\d+$")
    names: list[str] = Field(min_length=1)


class CountrySpec(_Strict):
    """A country: ISO code, names, adjectives/demonyms and phrases that stand for its government."""

    code: str = Field(pattern=r"^[A-Z]{2}$")
    name: str
    demonym: str
    wikidata: str | None = Field(default=None, pattern=r"^Q\d+$")
    names: list[str] = Field(min_length=1)
    adjectives: list[str] = Field(default_factory=list)
    actors: list[str] = Field(default_factory=list)
    capital: str | None = None


class RoleKindSpec(_Strict):
    """A kind of office: the event level it implies and its Arabic titles."""

    level: Level
    label: str
    titles: list[str] = Field(default_factory=list)
    group_words: list[str] = Field(default_factory=list)


class CliticsSpec(_Strict):
    version: int
    conjunctions: list[str]
    prepositions: list[str]
    article: str
    noun_suffixes: list[str]


class DatePartSpec(_Strict):
    words: list[str]
    day: int = Field(ge=1, le=31)
    month: int = Field(ge=1, le=12)


class DatesLexicon(_Strict):
    """Month, weekday and relative-date vocabulary."""

    version: int
    gregorian_months: dict[int, list[str]]
    hijri_months: dict[int, list[str]]
    hijri_markers: list[str]
    weekdays: dict[int, list[str]]
    past: list[str]
    future: list[str]
    current: list[str]
    day_words: dict[str, int]
    periods: dict[Literal["week", "month", "year"], list[str]]
    parts: dict[Literal["early", "mid", "late"], DatePartSpec]
    day_prefix: list[str]
    year_words: list[str]
    not_event_date_before: list[str]

    @field_validator("gregorian_months", "hijri_months")
    @classmethod
    def _twelve(cls, value: dict[int, list[str]]) -> dict[int, list[str]]:
        if sorted(value) != list(range(1, 13)):
            raise ValueError("needs exactly the months 1..12")
        return value


class RelativeAnchorSpec(_Strict):
    after: list[str]
    before: list[str]
    units: dict[str, int]
    day_after: list[str] = Field(default_factory=list)
    day_before: list[str] = Field(default_factory=list)


class FunctionWords(_Strict):
    """Small closed classes of words that event rules look for, by grammatical role."""

    pronoun_complementizers: list[str]
    place_heads: list[str]
    time_clause: list[str]
    margin_words: list[str]
    in_words: list[str]
    coordinators: list[str]
    toward_words: list[str]
    with_words: list[str]
    since_words: list[str]
    of_words: list[str]
    capital_heads: list[str]
    report_about: list[str]
    bilateral_words: list[str]
    new_meeting_words: list[str]
    mediation_nouns: list[str]
    report_about_verbs: list[str]
    purpose_words: list[str]
    place_qualifiers: list[str]
    reception_words: list[str]
    tour_words: list[str]
    present_triggers: list[str]
    inclusion_words: list[str]
    addition_words: list[str]


class MeetingFormat(_Strict):
    """A named format of talks whose sides are known ("محادثات أستانا": the guarantors and Damascus)."""

    phrases: list[str]
    countries: list[str]
    usual_place: str | None = None  # where its rounds are held when a report names no place (a place id)


class EventsLexicon(_Strict):
    """Triggers, status cues and the other word lists of event extraction."""

    version: int
    triggers: dict[Literal["meeting", "call", "discussion"], list[str]]
    setting_words: list[str]
    visit_words: list[str]
    status_cues: dict[Literal["proposed", "planned", "held"], list[str]]
    mediation_cues: list[str]
    hosting_cues: list[str]
    location_preps: list[str]
    side_anaphora: list[str]
    counterpart_words: list[str]
    topic_markers: list[str]
    non_party_heads: list[str]
    reporting_verbs: list[str]
    complementizers: list[str]
    source_markers: list[str]
    relative_anchor: RelativeAnchorSpec
    contact_words: list[str] = Field(default_factory=lambda: ["اتصال", "اتصالات", "تواصل"])
    manner_words: list[str] = Field(default_factory=list)
    clause_markers: list[str] = Field(default_factory=list)
    attendance_words: list[str] = Field(default_factory=list)
    function_words: FunctionWords
    formats: dict[str, MeetingFormat] = Field(default_factory=dict)
    clause_status_cues: dict[Literal["proposed", "planned"], list[str]] = Field(default_factory=dict)


class NamesLexicon(_Strict):
    """Vocabulary for finding people the KB does not know."""

    version: int
    honorifics: list[str]
    title_fillers: list[str]
    stopwords: list[str]
    min_token_letters: int = 2
    max_name_tokens: int = 4
    non_participant_before: list[str] = Field(default_factory=list)
    given_names: list[str] = Field(default_factory=list)
    not_title_after: list[str] = Field(default_factory=list)


# One automaton entry: (layer, category, ref, noun, dropped_alef, key_length, bound_form); an automaton
# value is (key_length, entries, bucket_id). A bound form is a noun in ة written with ت before a
# pronoun or dual suffix ("قمتهما", "زيارته"): it only matches with such a suffix.
AutomatonEntry = tuple[str, str, str, bool, bool, int, bool]


@dataclass
class KnowledgeBase:
    """The loaded, validated knowledge base with its lookup structures."""

    persons: dict[str, PersonSpec]
    organizations: dict[str, OrganizationSpec]
    places: dict[str, PlaceSpec]
    countries: dict[str, CountrySpec]
    role_kinds: dict[str, RoleKindSpec]
    dates: DatesLexicon
    events: EventsLexicon
    names: NamesLexicon
    clitics: ProcliticRules
    source_dir: Path
    undated_reference: dt.date | None = None
    automaton: Any = None
    word_automaton: Any = None  # keys that are one word (\w+)
    phrase_automaton: Any = None  # keys of several words or with punctuation
    # Derived word sets (normalized), filled by `_index`.
    token_sets: dict[str, frozenset[str]] = field(default_factory=dict)
    person_full_names: dict[str, list[str]] = field(default_factory=dict)  # normalized full name -> ids
    caches: dict[str, Any] = field(default_factory=dict)

    def person(self, person_id: str) -> PersonSpec:
        """The person with this KB id."""
        return self.persons[person_id]

    def country_place_id(self, code: str) -> str:
        """The place id under which a country is listed among places."""
        return f"country:{code}"

    def adjective_of(self, code: str | None) -> str:
        """English demonym of a country code ('Turkish'), or '' if unknown."""
        if code and code in self.countries:
            return self.countries[code].demonym
        return ""

    def role_label(self, kind: str, country: str | None) -> str:
        """English label for an office of `kind` in `country` (for people the KB does not know)."""
        spec = self.role_kinds.get(kind)
        if spec is None:
            return kind
        name = self.countries[country].name if country and country in self.countries else ""
        label = spec.label.format(adjective=self.adjective_of(country), country=name or "?")
        return label.strip()


def _read_yaml(path: Path) -> dict[str, Any]:
    try:
        with path.open(encoding="utf-8") as fh:
            data = yaml.load(fh, Loader=_Loader)
    except FileNotFoundError as exc:
        raise KnowledgeBaseError(f"{path}: file not found") from exc
    except yaml.YAMLError as exc:
        raise KnowledgeBaseError(f"{path}: invalid YAML: {exc}") from exc
    if not isinstance(data, dict):
        raise KnowledgeBaseError(f"{path}: expected a mapping at the top level")
    version = data.get("version")
    if version != SUPPORTED_VERSION:
        raise KnowledgeBaseError(f"{path}: unsupported version {version!r} (expected {SUPPORTED_VERSION})")
    return data


def _format_error(path: Path, where: str, exc: ValidationError) -> str:
    parts = []
    for err in exc.errors():
        loc = ".".join(str(p) for p in err["loc"]) or "(entry)"
        parts.append(f"{loc}: {err['msg']}")
    return f"{path}: {where}: " + "; ".join(parts)


def _validate_list(path: Path, data: dict[str, Any], key: str, model: type[BaseModel]) -> list[Any]:
    items = data.get(key)
    if not isinstance(items, list):
        raise KnowledgeBaseError(f"{path}: expected a list under '{key}'")
    out: list[Any] = []
    errors: list[str] = []
    seen: set[str] = set()
    for i, raw in enumerate(items):
        ident = raw.get("id") or raw.get("code") if isinstance(raw, dict) else None
        where = f"{key}[{i}]" + (f" (id={ident})" if ident else "")
        try:
            item = model.model_validate(raw)
        except ValidationError as exc:
            errors.append(_format_error(path, where, exc))
            continue
        key_id: str = getattr(item, "id", None) or getattr(item, "code", None) or ""
        if key_id in seen:
            errors.append(f"{path}: {where}: duplicate id {key_id!r}")
        seen.add(key_id)
        out.append(item)
    if errors:
        raise KnowledgeBaseError("\n".join(errors))
    return out


def _validate_one(path: Path, data: dict[str, Any], model: type[BaseModel]) -> Any:
    try:
        return model.model_validate(data)
    except ValidationError as exc:
        raise KnowledgeBaseError(_format_error(path, "lexicon", exc)) from exc


def _load_split(directory: Path, key: str, model: type[BaseModel]) -> list[Any]:
    """Entries of `<key>.yaml` and of every `<key>/*.yaml` beside it, ids unique across the files."""
    paths = [directory / f"{key}.yaml", *sorted((directory / key).glob("*.yaml"))]
    out: list[Any] = []
    first_seen: dict[str, Path] = {}
    errors: list[str] = []
    for path in paths:
        for item in _validate_list(path, _read_yaml(path), key, model):
            ident: str = getattr(item, "id", "")
            if ident in first_seen:
                errors.append(f"{path}: {key} id {ident!r} is already defined in {first_seen[ident]}")
                continue
            first_seen[ident] = path
            out.append(item)
    if errors:
        raise KnowledgeBaseError("\n".join(errors))
    return out


def load_knowledge_base(path: Path | None = None) -> KnowledgeBase:
    """Load and validate the KB under `path` (default: the packaged `rasad/data/kb`), cached."""
    return _load_cached(str(Path(path).resolve()) if path else str(DEFAULT_KB_DIR))


@lru_cache(maxsize=4)
def _load_cached(directory: str) -> KnowledgeBase:
    return build_knowledge_base(Path(directory))


def build_knowledge_base(directory: Path) -> KnowledgeBase:
    """Load the KB from `directory` without caching (tests, `rasad kb check`)."""
    kb_files = {
        name: directory / f"{name}.yaml" for name in ("persons", "organizations", "places", "countries", "roles")
    }
    lex = directory / "lexicon"
    persons = _load_split(directory, "persons", PersonSpec)
    orgs = _validate_list(
        kb_files["organizations"], _read_yaml(kb_files["organizations"]), "organizations", OrganizationSpec
    )
    places = _load_split(directory, "places", PlaceSpec)
    countries = _validate_list(kb_files["countries"], _read_yaml(kb_files["countries"]), "countries", CountrySpec)
    roles_data = _read_yaml(kb_files["roles"])
    role_kinds: dict[str, RoleKindSpec] = {}
    role_errors = []
    for kind, raw in (roles_data.get("roles") or {}).items():
        try:
            role_kinds[kind] = RoleKindSpec.model_validate(raw)
        except ValidationError as exc:
            role_errors.append(_format_error(kb_files["roles"], f"roles.{kind}", exc))
    if role_errors:
        raise KnowledgeBaseError("\n".join(role_errors))
    clitics_spec = _validate_one(lex / "clitics.yaml", _read_yaml(lex / "clitics.yaml"), CliticsSpec)
    kb = KnowledgeBase(
        persons={p.id: p for p in persons},
        organizations={o.id: o for o in orgs},
        places={p.id: p for p in places},
        countries={c.code: c for c in countries},
        role_kinds=role_kinds,
        dates=_validate_one(lex / "dates.yaml", _read_yaml(lex / "dates.yaml"), DatesLexicon),
        events=_validate_one(lex / "events.yaml", _read_yaml(lex / "events.yaml"), EventsLexicon),
        names=_validate_one(lex / "names.yaml", _read_yaml(lex / "names.yaml"), NamesLexicon),
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
