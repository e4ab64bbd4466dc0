"""The knowledge base's schema and files: the pydantic models of every entry, the `KnowledgeBase` type,
and reading and validating the YAML files (errors name the file, the entry and the field).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Literal

import yaml
from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator

from rasad.text.clitics import ProcliticRules

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
    # False where the country's government did not hold the place (the Turkish-held north of Syria):
    # a visit there does not put that government at the table
    government_host: bool = True


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
    weak_group_words: list[str] = Field(default_factory=list)  # give a level only when no other level word does


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
    conduct_purpose: list[str]
    place_qualifiers: list[str]
    reception_words: list[str]
    tour_words: list[str]
    present_triggers: list[str]
    inclusion_words: list[str]
    addition_words: list[str]
    definite_prefixes: list[str]
    before_only_cues: list[str]
    first_person_words: list[str]


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


def read_yaml(path: Path) -> dict[str, Any]:
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


def format_error(path: Path, where: str, exc: ValidationError) -> str:
    parts = []
    for err in exc.errors():
        loc = ".".join(str(p) for p in err["loc"]) or "(entry)"
        parts.append(f"{loc}: {err['msg']}")
    return f"{path}: {where}: " + "; ".join(parts)


def validate_list(path: Path, data: dict[str, Any], key: str, model: type[BaseModel]) -> list[Any]:
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
            errors.append(format_error(path, where, exc))
            continue
        key_id: str = getattr(item, "id", None) or getattr(item, "code", None) or ""
        if key_id in seen:
            errors.append(f"{path}: {where}: duplicate id {key_id!r}")
        seen.add(key_id)
        out.append(item)
    if errors:
        raise KnowledgeBaseError("\n".join(errors))
    return out


def validate_one(path: Path, data: dict[str, Any], model: type[BaseModel]) -> Any:
    try:
        return model.model_validate(data)
    except ValidationError as exc:
        raise KnowledgeBaseError(format_error(path, "lexicon", exc)) from exc


def load_split(directory: Path, key: str, model: type[BaseModel]) -> list[Any]:
    """Entries of `<key>.yaml` and of every `<key>/*.yaml` beside it, ids unique across the files."""
    paths = [directory / f"{key}.yaml", *sorted((directory / key).glob("*.yaml"))]
    out: list[Any] = []
    first_seen: dict[str, Path] = {}
    errors: list[str] = []
    for path in paths:
        for item in validate_list(path, read_yaml(path), key, model):
            ident: str = getattr(item, "id", "")
            if ident in first_seen:
                errors.append(f"{path}: {key} id {ident!r} is already defined in {first_seen[ident]}")
                continue
            first_seen[ident] = path
            out.append(item)
    if errors:
        raise KnowledgeBaseError("\n".join(errors))
    return out
