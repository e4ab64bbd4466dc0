"""Load and validate the per-language boilerplate rules kept as data in `rasad/data/cleaning/<lang>.yaml`."""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field
from enum import StrEnum
from functools import lru_cache
from pathlib import Path

import yaml
from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator, model_validator

from rasad.text.arabic import normalize_arabic

RULES_DIR = Path(__file__).resolve().parent.parent / "data" / "cleaning"

_ARABIC_RUN = re.compile(r"[\u0600-\u06FF\u0750-\u077F]+")
_NON_WORD = re.compile(r"[^\w\s]|_", re.UNICODE)
_NON_WORD_RUN = re.compile(r"(?:[^\w\s]|_)+", re.UNICODE)
_SPACES = re.compile(r"\s+")
_UNNAMED_GROUP = re.compile(r"\(\?P<\w+>")
_DATE_GROUPS = {"year", "month", "month_name", "day", "hour", "minute"}


class RulesError(ValueError):
    """A rules file that cannot be used; the message names the file and the offending entry."""


class RuleKind(StrEnum):
    """What happens to a line a rule matches (see the header of ar.yaml)."""

    CUT_AFTER = "cut_after"
    DROP_LINE = "drop_line"
    DROP_BLOCK = "drop_block"
    DROP_INLINE_LINK = "drop_inline_link"
    COMMENT_TIMESTAMP = "comment_timestamp"
    DATELINE = "dateline"
    DROP_VOCABULARY = "drop_vocabulary"


_NUMBER = re.compile(r"\d+(st|nd|rd|th)?")


def line_key(text: str) -> str:
    """The comparison form of a line for markers: normalized, without punctuation, symbols or emoji."""
    return key_of_normalized(normalize_arabic(text))


def date_from_match(match: re.Match[str], months: dict[str, int]) -> dt.datetime | None:
    """The date of a match with named groups year, day and month (a number) or month_name (a `months` key)."""
    groups = match.groupdict()
    try:
        year, day = int(groups["year"]), int(groups["day"])
        if groups.get("month"):
            month = int(groups["month"])
        else:
            name = line_key(groups.get("month_name") or "")
            month = months.get(name) or months.get(name.split(" ")[0], 0)
        # Datelines rarely say their time zone: keep the day, at midnight UTC.
        return dt.datetime(year, month, day, tzinfo=dt.UTC)
    except (KeyError, TypeError, ValueError):
        return None


def key_of_normalized(normalized: str) -> str:
    """`line_key` of text that already went through `normalize_arabic`."""
    # == _SPACES.sub(" ", _NON_WORD.sub(" ", normalized)).strip(), without a substitution per space
    return " ".join(_NON_WORD_RUN.sub(" ", normalized).split())


def fold_pattern(pattern: str) -> str:
    """Fold the Arabic letters of a regex the way `normalize_arabic` folds text, leaving syntax alone."""
    return _ARABIC_RUN.sub(lambda m: normalize_arabic(m.group()), pattern)


class RuleSettings(BaseModel):
    """Thresholds of the line classifier."""

    model_config = ConfigDict(extra="forbid")

    min_prose_chars: int = Field(default=220, ge=0)
    prose_min_words: int = Field(default=9, ge=1)
    headline_max_words: int = Field(default=24, ge=1)
    title_min_words: int = Field(default=3, ge=1)
    opening_title_min_words: int = Field(default=6, ge=1)
    head_line_min_words: int = Field(default=4, ge=1)
    block_line_max_words: int = Field(default=14, ge=1)
    title_similarity: float = Field(default=0.72, gt=0, le=1)
    caption_max_length_ratio: float = Field(default=1.7, ge=1)
    title_similarity_sentence: float = Field(default=0.9, gt=0, le=1)
    headline_echo: float = Field(default=0.3, ge=0, le=1)
    teaser_marks: str = ":"


class RuleSpec(BaseModel):
    """One entry of `rules:` as written in the file."""

    model_config = ConfigDict(extra="forbid")

    id: str = Field(pattern=r"^[a-z][a-z0-9_]*$")
    kind: RuleKind
    markers: list[str] = Field(default_factory=list)
    prefixes: list[str] = Field(default_factory=list)
    patterns: list[str] = Field(default_factory=list)
    max_words: int | None = Field(default=None, ge=1)
    ends_article: bool = False
    harvest_date: bool = False
    allow_numbers: bool = False  # drop_vocabulary: numbers count as vocabulary, and one is required
    description: str | None = None

    @field_validator("markers", "prefixes")
    @classmethod
    def _markers_have_words(cls, values: list[str]) -> list[str]:
        for value in values:
            if not isinstance(value, str) or not line_key(value):
                raise ValueError(f"marker {value!r} has no letters or digits")
        return values

    @field_validator("patterns")
    @classmethod
    def _patterns_compile(cls, values: list[str]) -> list[str]:
        for value in values:
            try:
                re.compile(fold_pattern(value))
            except re.error as exc:
                raise ValueError(f"pattern {value!r} does not compile: {exc}") from exc
        return values

    @model_validator(mode="after")
    def _has_a_matcher(self) -> RuleSpec:
        if not (self.markers or self.prefixes or self.patterns):
            raise ValueError("a rule needs at least one of markers, prefixes, patterns")
        if self.kind is RuleKind.DROP_VOCABULARY and (self.prefixes or self.patterns):
            raise ValueError("drop_vocabulary rules take markers (the vocabulary) only")
        if self.harvest_date:
            if self.kind is not RuleKind.DATELINE:
                raise ValueError("harvest_date is only meaningful for kind 'dateline'")
            for pattern in self.patterns:
                names = set(re.compile(fold_pattern(pattern)).groupindex)
                if not {"year", "day"} <= names or not names & {"month", "month_name"}:
                    raise ValueError(f"pattern {pattern!r} harvests dates but lacks year/month/day groups")
                if names - _DATE_GROUPS:
                    raise ValueError(f"pattern {pattern!r} has unknown named groups {sorted(names - _DATE_GROUPS)}")
        return self


class RulesFile(BaseModel):
    """The whole file."""

    model_config = ConfigDict(extra="forbid")

    language: str = Field(pattern=r"^[a-z]{2}$")
    settings: RuleSettings = Field(default_factory=RuleSettings)
    months: dict[str, int] = Field(default_factory=dict)
    continuation_openers: list[str] = Field(default_factory=list)
    rules: list[RuleSpec]

    @field_validator("months")
    @classmethod
    def _months_in_range(cls, values: dict[str, int]) -> dict[str, int]:
        for name, number in values.items():
            if not 1 <= number <= 12:
                raise ValueError(f"month {name!r} -> {number} is not 1..12")
        return values

    @model_validator(mode="after")
    def _unique_ids(self) -> RulesFile:
        seen: set[str] = set()
        for rule in self.rules:
            if rule.id in seen:
                raise ValueError(f"duplicate rule id {rule.id!r}")
            seen.add(rule.id)
        return self


@dataclass(frozen=True)
class Rule:
    """A rule ready to match: marker keys, prefix keys and compiled patterns."""

    id: str
    kind: RuleKind
    markers: frozenset[str]
    prefixes: tuple[str, ...]
    patterns: tuple[re.Pattern[str], ...]
    max_words: int | None
    ends_article: bool
    harvest_date: bool
    allow_numbers: bool = False

    def vocabulary_line(self, words: list[str]) -> bool:
        """Whether every word is of this rule's vocabulary (numbers too, and then one is needed)."""
        if not words:
            return False
        if not self.allow_numbers:
            return all(word in self.markers for word in words)
        numbers = [word for word in words if _NUMBER.fullmatch(word)]
        return bool(numbers) and all(word in self.markers or _NUMBER.fullmatch(word) for word in words)


@dataclass(frozen=True)
class RuleSet:
    """All rules of one language, in file order."""

    language: str
    settings: RuleSettings
    rules: tuple[Rule, ...]
    months: dict[str, int] = field(default_factory=dict)
    continuation_openers: frozenset[str] = frozenset()
    source: str = ""
    # Pre-filter: most lines are prose that no rule touches; these answer "could any rule fire?"
    # with one set lookup, one startswith and one regex search instead of a loop over the rules.
    any_marker: frozenset[str] = frozenset()
    any_prefix: tuple[str, ...] = ()
    # (max_words or None, combined regex of the rules with that limit, all of them anchored at "^"):
    # anchored groups run with `match`, one attempt instead of one per character of the line.
    any_pattern: tuple[tuple[int | None, re.Pattern[str], bool], ...] = ()
    vocabularies: tuple[Rule, ...] = ()

    def of_kind(self, kind: RuleKind) -> tuple[Rule, ...]:
        """The rules of one kind."""
        return tuple(rule for rule in self.rules if rule.kind is kind)

    def may_fire(self, key: str, normalized: str) -> bool:
        """False when no rule can match the line (cheap); True means: ask the rules one by one."""
        if key in self.any_marker or (self.any_prefix and key.startswith(self.any_prefix)):
            return True
        words = key.split()
        count = len(words)
        for max_words, pattern, anchored in self.any_pattern:
            if max_words is not None and count > max_words:
                continue
            if (pattern.match(normalized) if anchored else pattern.search(normalized)) is not None:
                return True
        return any(rule.vocabulary_line(words) for rule in self.vocabularies)


def _compile(spec: RuleSpec) -> Rule:
    # Longest prefix first, so "اقرأ أيضا في" wins over "اقرأ".
    prefixes = sorted({line_key(p) for p in spec.prefixes}, key=len, reverse=True)
    return Rule(
        id=spec.id,
        kind=spec.kind,
        markers=frozenset(line_key(m) for m in spec.markers),
        prefixes=tuple(prefixes),
        patterns=tuple(re.compile(fold_pattern(p)) for p in spec.patterns),
        max_words=spec.max_words,
        ends_article=spec.ends_article,
        harvest_date=spec.harvest_date,
        allow_numbers=spec.allow_numbers,
    )


def _top_level(pattern: str) -> str:
    """The pattern with escapes, character classes and groups blanked: what is left is its top level."""
    out: list[str] = []
    depth = 0
    in_class = False
    i = 0
    while i < len(pattern):
        char = pattern[i]
        if char == "\\":
            i += 2
            continue
        if in_class:
            in_class = char != "]"
        elif char == "[":
            in_class = True
            if pattern[i + 1 : i + 2] == "]":
                i += 1  # "[]...]" : a literal "]" first in the class
        elif char == "(":
            depth += 1
        elif char == ")":
            depth -= 1
        elif depth == 0:
            out.append(char)
        i += 1
    return "".join(out)


def _describe(error: ValidationError, data: object) -> str:
    parts = []
    for item in error.errors():
        loc = item["loc"]
        where = "".join(f"[{p}]" if isinstance(p, int) else f".{p}" for p in loc).lstrip(".")
        if len(loc) >= 2 and loc[0] == "rules" and isinstance(loc[1], int) and isinstance(data, dict):
            rules = data.get("rules") or []
            if loc[1] < len(rules) and isinstance(rules[loc[1]], dict):
                where += f" (id={rules[loc[1]].get('id')!r})"
        parts.append(f"{where}: {item['msg']}")
    return "; ".join(parts)


def load_rules_file(path: Path) -> RuleSet:
    """Read, validate and compile one rules file; raise `RulesError` naming the file and entry on error."""
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
    except (OSError, yaml.YAMLError) as exc:
        raise RulesError(f"{path.name}: cannot read rules: {exc}") from exc
    try:
        parsed = RulesFile.model_validate(data)
    except ValidationError as exc:
        raise RulesError(f"{path.name}: {_describe(exc, data)}") from exc
    months = {line_key(name): number for name, number in parsed.months.items()}
    rules = tuple(_compile(spec) for spec in parsed.rules)
    plain = [rule for rule in rules if rule.kind is not RuleKind.DROP_VOCABULARY]
    by_limit: dict[tuple[int | None, bool], list[str]] = {}
    for rule in plain:
        for pattern in rule.patterns:
            anchored = pattern.pattern.startswith("^") and "|" not in _top_level(pattern.pattern)
            by_limit.setdefault((rule.max_words, anchored), []).append(_UNNAMED_GROUP.sub("(?:", pattern.pattern))
    return RuleSet(
        any_marker=frozenset(m for rule in plain for m in rule.markers),
        any_prefix=tuple(p for rule in plain for p in rule.prefixes),
        any_pattern=tuple(
            (limit, re.compile("|".join(f"(?:{p})" for p in patterns)), anchored)
            for (limit, anchored), patterns in by_limit.items()
            if patterns
        ),
        vocabularies=tuple(r for r in rules if r.kind is RuleKind.DROP_VOCABULARY),
        language=parsed.language,
        settings=parsed.settings,
        rules=rules,
        months=months,
        continuation_openers=frozenset(line_key(o) for o in parsed.continuation_openers if line_key(o)),
        source=str(path),
    )


@lru_cache(maxsize=16)
def load_rules(language: str = "ar") -> RuleSet:
    """The rule set of a language; languages without a file get the Arabic rules' settings and no rules."""
    path = RULES_DIR / f"{language}.yaml"
    if not path.exists():
        return RuleSet(language=language, settings=RuleSettings(), rules=())
    return load_rules_file(path)
