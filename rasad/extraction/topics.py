"""Topics as data: relevance of an article to each topic under `rasad/data/topics/*.yaml`.

A topic names the countries that must be present, cue phrases (counted only in sentences that
refer to those countries), a weight for meetings with those countries at the table, key people,
and excluding conditions. Fired signals combine as 1 - Π(1 - weight); the reasons are kept.
Adding a topic is adding a YAML file.
"""

from __future__ import annotations

import datetime as dt
import re
from bisect import bisect_left, bisect_right
from dataclasses import dataclass, replace
from functools import lru_cache
from pathlib import Path

import ahocorasick
import yaml
from pydantic import BaseModel, ConfigDict, Field, ValidationError

from rasad.extraction.dates import DateMention, date_interval
from rasad.extraction.kb import KnowledgeBase, KnowledgeBaseError
from rasad.extraction.kb_specs import format_error
from rasad.extraction.kb_user import files_signature
from rasad.extraction.matcher import Scan
from rasad.extraction.model import Event, TopicScore
from rasad.settings import get_settings
from rasad.text.arabic import normalize_arabic
from rasad.text.sentences import sentence_spans

DEFAULT_TOPICS_DIR = Path(__file__).resolve().parent.parent / "data" / "topics"
EXCLUDED_FACTOR = 0.3  # what an exclusion leaves of a score: enough to show how close it came


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class CuePhrase(_Strict):
    phrase: str
    weight: float = Field(gt=0, le=1)


class CueSpec(_Strict):
    requires_countries: list[str] = Field(default_factory=list)
    max_counted: int = 3
    phrases: list[CuePhrase]


class EventSignal(_Strict):
    countries_all: list[str]
    weight: float = Field(gt=0, le=1)
    format_weight: float = Field(default=0.0, ge=0, le=1)  # a round of a named format with those sides


class PersonSignal(_Strict):
    weight_each: float = Field(gt=0, le=1)
    max: float = Field(gt=0, le=1)
    names: list[str]


class Excluding(_Strict):
    phrases: list[str] = Field(default_factory=list)
    event_persons: list[str] = Field(default_factory=list)


class UndatedEvidence(_Strict):
    """What an undated article must name to belong to a topic that follows an earlier story of the same sides."""

    phrases: list[str] = Field(default_factory=list)
    persons: list[str] = Field(default_factory=list)


class Period(_Strict):
    """When the topic's story runs: articles and meetings outside it belong to another story."""

    start: dt.date | None = None
    end: dt.date | None = None

    def contains(self, lo: dt.date, hi: dt.date | None = None) -> bool:
        """Whether the interval [lo, hi] overlaps the period."""
        hi = hi or lo
        return (self.start is None or hi >= self.start) and (self.end is None or lo <= self.end)


class TopicSpec(_Strict):
    """One topic file."""

    version: int
    id: str
    name: str
    threshold: float = Field(default=0.5, gt=0, le=1)
    required_countries: list[str] = Field(default_factory=list)
    required_any: list[str] = Field(default_factory=list)
    cues: CueSpec
    events: EventSignal | None = None
    persons: PersonSignal | None = None
    title_weight: float = 0.0
    excluding: Excluding = Field(default_factory=Excluding)
    period: Period | None = None
    # Without a publication date or a meeting dated in the period, the article must name one of these.
    undated_evidence: UndatedEvidence | None = None


@dataclass
class _CompiledTopic:
    spec: TopicSpec
    automaton: ahocorasick.Automaton
    followed_by: str | None = None  # the topic that continues this story after its period (`_successors`)
    # people whose presence at a meeting puts it out of this story: its own `excluding.event_persons` and
    # the people who name the continuing story's time (its `undated_evidence.persons`)
    excluded_people: frozenset[str] = frozenset()


def load_topics(directory: Path | None = None) -> list[_CompiledTopic]:
    """Every topic: of `directory`, or by default the bundled ones and the user's (`RASAD_TOPICS_DIR`).

    A user's topic file adds a topic; one with the id of a bundled topic replaces it. Cached, and
    read again when a user's file changes, so running workers follow it from their next article.
    """
    if directory is not None:
        return _load_topics((str(directory),), ())
    user_dir = get_settings().topics_dir
    signature = files_signature(sorted(user_dir.glob("*.yaml"))) if user_dir else ()
    return _load_topics(topic_directories(user_dir), signature)


def topic_directories(user_dir: Path | None = None) -> tuple[str, ...]:
    """Where topics are read: the bundled folder, then the user's (`RASAD_TOPICS_DIR`, or `user_dir`) when set."""
    user_dir = user_dir or get_settings().topics_dir
    return (str(DEFAULT_TOPICS_DIR), *([str(user_dir)] if user_dir else []))


@dataclass(frozen=True)
class TopicFile:
    """A topic as read from its file."""

    path: Path
    spec: TopicSpec


def topic_files(directories: tuple[str, ...]) -> dict[str, TopicFile]:
    """Each topic id with its file, read once: later directories win (the user's over the bundled)."""
    chosen: dict[str, TopicFile] = {}
    for directory in directories:
        for path in sorted(Path(directory).glob("*.yaml")):
            spec = read_topic(path)
            chosen[spec.id] = TopicFile(path, spec)
    return chosen


def read_topic(path: Path) -> TopicSpec:
    """Read and validate one topic file; `KnowledgeBaseError` names the file and the field."""
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
        return TopicSpec.model_validate(data)
    except ValidationError as exc:
        raise KnowledgeBaseError(format_error(path, "topic", exc)) from exc
    except (OSError, yaml.YAMLError) as exc:
        raise KnowledgeBaseError(f"{path}: invalid topic: {' '.join(str(exc).split())}") from exc


@lru_cache(maxsize=4)
def _load_topics(directories: tuple[str, ...], _files: tuple[tuple[str, int, int], ...]) -> list[_CompiledTopic]:
    return _successors([_compile(topic.spec) for topic in topic_files(directories).values()])


def _successors(topics: list[_CompiledTopic]) -> list[_CompiledTopic]:
    """Each topic with the topic that continues its story: the same required countries, a period that
    starts on or after the day this one ends (Turkey and Damascus before and after December 2024)."""

    def continues(later: TopicSpec, earlier: TopicSpec) -> bool:
        end = earlier.period.end if earlier.period else None
        start = later.period.start if later.period else None
        same_sides = set(later.required_countries) == set(earlier.required_countries)
        return end is not None and start is not None and start >= end and same_sides

    def with_successor(topic: _CompiledTopic) -> _CompiledTopic:
        later = next((o.spec for o in topics if continues(o.spec, topic.spec)), None)
        era_people = later.undated_evidence.persons if later and later.undated_evidence else []
        people = topic.excluded_people | frozenset(era_people)
        return replace(topic, followed_by=later.id if later else None, excluded_people=people)

    return [with_successor(topic) for topic in topics]


def _spellings(phrase: str) -> list[str]:
    """The folded phrase, and after ل its article merges ("للحكومة السورية الجديدة": ل + لحكومة)."""
    key = normalize_arabic(phrase)
    return [key, key[1:]] if key.startswith("ال") and len(key) > 4 else [key]


def _compile(spec: TopicSpec) -> _CompiledTopic:
    automaton = ahocorasick.Automaton()
    for cue in spec.cues.phrases:
        for key in _spellings(cue.phrase):
            automaton.add_word(key, ("cue", key, cue.weight))
    for phrase in spec.excluding.phrases:
        for key in _spellings(phrase):
            if key in automaton:
                continue
            automaton.add_word(key, ("exclude", key, 0.0))
    automaton.make_automaton()
    return _CompiledTopic(spec, automaton, excluded_people=frozenset(spec.excluding.event_persons))


def _country_refs(kb: KnowledgeBase, scan: Scan) -> list[tuple[int, str]]:
    refs: list[tuple[int, str]] = []
    for m in scan.layers.get("entity", []):
        if m.category in ("actor", "adjective"):
            refs.append((m.start, m.refs[0]))
        elif m.category == "place":
            country = kb.places[m.refs[0]].country
            if country:
                refs.append((m.start, country))
    for p in scan.persons:
        if p.known:
            c = kb.persons[p.key].country
            if c:
                refs.append((p.start, c))
        elif p.title_country:
            refs.append((p.start, p.title_country))
    return refs


def _present(
    sentences: list[tuple[int, int]],
    sentence_starts: list[int],
    refs: list[tuple[int, str]],
    ref_starts: list[int],
    pos: int,
    memo: dict[int, set[str]],
) -> set[str]:
    """Countries referred to in the sentence around `pos` (spans are contiguous from 0), memoized."""
    k = bisect_right(sentence_starts, pos) - 1
    if k < 0 or pos >= sentences[k][1]:
        k = -1  # not inside any sentence: the whole text
    got = memo.get(k)
    if got is None:
        s, e = sentences[k] if k >= 0 else (0, 1 << 62)
        got = memo[k] = {c for _, c in refs[bisect_left(ref_starts, s) : bisect_left(ref_starts, e)]}
    return got


_QUOTE_MARKS = re.compile('["«»“”„]')


@dataclass(frozen=True)
class _Unquoted:
    """A text without its quotation marks, so that a mark inside a phrase does not break it
    (إلى "مصالحة" بين الحكومة السورية والمعارضة), and where the marks were."""

    text: str
    marks: list[int]  # position of each removed mark, counted in `text`

    @classmethod
    def of(cls, text: str) -> _Unquoted:
        removed = [m.start() for m in _QUOTE_MARKS.finditer(text)]
        if not removed:
            return cls(text, [])
        return cls(_QUOTE_MARKS.sub("", text), [at - i for i, at in enumerate(removed)])

    def original(self, position: int) -> int:
        """Where a position of `text` is in the text the marks were removed from."""
        return position + bisect_right(self.marks, position)


def _word_hits(automaton: ahocorasick.Automaton, unquoted: _Unquoted) -> list[tuple[int, str, str, float]]:
    """Cue and exclusion phrases, at their start in the original text."""
    text = unquoted.text
    hits = []
    for end, (kind, key, weight) in automaton.iter(text):
        start = end - len(key) + 1
        before = text[start - 1] if start > 0 else " "
        after = text[end + 1] if end + 1 < len(text) else " "
        if (before.isalnum() and before not in "وفبلك") or (after.isalnum() and after not in "اهي"):
            continue
        hits.append((unquoted.original(start), kind, key, weight))
    return hits


def _event_interval(event: Event) -> tuple[dt.date, dt.date] | None:
    return date_interval(event.date)


def _meeting_dated_in(period: Period, events: list[Event]) -> bool:
    """A meeting the article reports is dated inside `period`."""
    return any(period.contains(*iv) for iv in map(_event_interval, events) if iv is not None)


def _reference_date(text: str, date: DateMention, words: frozenset[str]) -> bool:
    """A date after "منذ", "قبل" ... is a point of reference ("since 2011"), not what the article reports."""
    before = text[max(0, date.start - 30) : date.start].split()[-3:]
    return any(w in words or w[1:] in words for w in before)


def out_of_period(
    period: Period,
    published: dt.date | None,
    events: list[Event],
    dates: list[DateMention],
    reference_words: frozenset[str] = frozenset(),
    text: str = "",
    *,
    era_named: bool = False,
    continued_by: str | None = None,
) -> str | None:
    """Why the article falls outside the topic's period, or None.

    In: a dated meeting inside the period (a retrospective still reports the story), or a
    publication date inside it. Out: published before the period starts; or meetings dated outside
    the period only; or, with neither a publication date nor dated meetings, absolute dates (not
    "since 2011") all outside it. A publication date after the period does not by itself put the
    article out: a late report is judged by what it reports and by the topic's exclusions (the next
    government's names and phrases), since losing a real article costs more than keeping a late one,
    unless another topic continues the story (`continued_by`): a report of the same sides published in
    its time is that topic's, when no meeting it reports is dated in this period.
    An undated article that names the story's own time (`era_named`: the topic's undated evidence, such
    as the new government's people) is not put out by older years it recalls ("closed in 2012").
    """

    if _meeting_dated_in(period, events):
        return None
    if published is not None and period.contains(published):
        return None  # news within the story, also when it reveals an older meeting
    if published is not None and period.start is not None and published < period.start:
        return f"published {published.isoformat()}"
    dated = next((iv for iv in map(_event_interval, events) if iv is not None), None)
    if dated is not None:
        return f"meetings dated {dated[0].isoformat()}"
    if published is not None:
        late = continued_by is not None and period.end is not None and published > period.end
        return f"published {published.isoformat()}, in the time of {continued_by}" if late else None
    absolute = [d for d in dates if not d.relative and not _reference_date(text, d, reference_words)]
    if absolute and not era_named and not any(period.contains(d.lo, d.hi) for d in absolute):
        return f"dates {absolute[0].value}"
    return None


def _titled_before(article: _Article, period: Period) -> str | None:
    """Undated, and a known person is titled with an office he left before the period ("رئيس الوزراء
    التركي رجب طيب أردوغان": prime minister until 2014), so the article tells an older story."""
    if article.published is not None or period.start is None or any(e.date for e in article.events):
        return None
    for person in article.scan.persons:
        spec = article.kb.persons.get(person.key) if person.known and person.title_kind else None
        roles = [r for r in spec.roles if r.kind == person.title_kind] if spec else []
        ended = [r.end for r in roles if r.end is not None]
        if spec and roles and len(ended) == len(roles) and max(ended) < period.start:
            return f"{spec.name} titled {person.title_kind}, an office held until {max(ended).isoformat()}"
    return None


def _events_in_period(spec: TopicSpec, events: list[Event]) -> list[Event]:
    if spec.period is None:
        return events
    period = spec.period
    return [ev for ev in events if (iv := _event_interval(ev)) is None or period.contains(*iv)]


def event_signal(signal: EventSignal, events: list[Event]) -> tuple[float, str] | None:
    """The strongest meeting with the topic's countries named at the table: (weight, reason).

    A round of a named format (the Astana talks) weighs `format_weight`: its own story unless the
    article's cues tie it to this one.
    """
    want = set(signal.countries_all)
    rounds = [ev for ev in events if ev.format is not None]
    best: tuple[float, str] | None = None
    for ev in events:
        if not want <= set(ev.countries) - set(ev.implied_sides):
            continue
        weight = signal.format_weight if ev.format is not None or _within_round(ev, rounds) else signal.weight
        if weight and (best is None or weight > best[0]):
            best = (weight, f"event:{ev.kind} {ev.status} {'+'.join(ev.countries)}")
    return best


def _within_round(event: Event, rounds: list[Event]) -> bool:
    """ "وستعقد اجتماعات مع وفود نظام الأسد": a meeting among a reported round's own sides, at its place
    or none, is part of that round (the Astana talks' side meetings), not a story of its own."""
    return any(set(event.countries) <= set(r.countries) and event.location in (None, r.location) for r in rounds)


@dataclass
class _Article:
    """What every topic reads of one article: its country references by sentence, its title, events, people."""

    kb: KnowledgeBase
    scan: Scan
    title_scan: Scan | None
    events: list[Event]
    person_names: list[str]
    published: dt.date | None
    dates: list[DateMention]
    countries: set[str]
    title_countries: set[str]
    sentences: list[tuple[int, int]]
    sentence_starts: list[int]
    refs_sorted: list[tuple[int, str]]
    ref_starts: list[int]
    present_memo: dict[int, set[str]]  # sentence index -> countries referred to in it
    unquoted: _Unquoted  # the body as cue phrases are looked for in it (once for every topic)
    unquoted_title: _Unquoted | None

    def present(self, start: int) -> set[str]:
        """Countries referred to in the sentence around `start`."""
        return _present(
            self.sentences, self.sentence_starts, self.refs_sorted, self.ref_starts, start, self.present_memo
        )


@dataclass
class _Signals:
    """One topic's evidence in one article, accumulated signal by signal."""

    reasons: list[str]
    weights: list[float]
    fired: set[str]
    excluded: list[str]


def score_topics(
    kb: KnowledgeBase,
    scan: Scan,
    title_scan: Scan | None,
    events: list[Event],
    person_names: list[str],
    *,
    published: dt.date | None = None,
    dates: list[DateMention] | None = None,
) -> list[TopicScore]:
    """Score the article against every topic (a topic with a period also weighs the article's dates)."""
    refs = _country_refs(kb, scan)
    sentences = sentence_spans(scan.text)
    refs_sorted = sorted(refs, key=lambda r: r[0])
    article = _Article(
        kb, scan, title_scan, events, person_names, published, dates or [],
        countries={c for _, c in refs},
        title_countries={c for _, c in _country_refs(kb, title_scan)} if title_scan else set(),
        sentences=sentences,
        sentence_starts=[a for a, _ in sentences],
        refs_sorted=refs_sorted,
        ref_starts=[pos for pos, _ in refs_sorted],
        present_memo={},
        unquoted=_Unquoted.of(scan.text),
        unquoted_title=_Unquoted.of(title_scan.text) if title_scan else None,
    )  # fmt: skip
    topics = load_topics()
    scores = {topic.spec.id: _score_topic(topic, article) for topic in topics}
    return [_yield_to_continuation(topic, scores, article) for topic in topics]


def _score_topic(topic: _CompiledTopic, article: _Article) -> TopicScore:
    spec = topic.spec
    signals = _Signals([], [], set(), [])
    countries_ok = set(spec.required_countries) <= (article.countries | article.title_countries)
    if countries_ok and spec.required_countries:
        signals.reasons.append("countries:" + "+".join(spec.required_countries))
    _cue_signals(topic, article, signals)
    _event_and_person_signals(spec, article, signals)
    _exclusions(topic, article, signals)
    score = 1.0
    for w in signals.weights:
        score *= 1.0 - w
    score = 1.0 - score
    required_ok = countries_ok and (not spec.required_any or bool(signals.fired & set(spec.required_any)))
    if not required_ok:
        score *= 0.4
        signals.reasons.append("required conditions not met")
    if signals.excluded:
        score *= EXCLUDED_FACTOR
        signals.reasons.append("excluded:" + signals.excluded[0])
    score = round(min(1.0, max(0.0, score)), 4)
    relevant = required_ok and not signals.excluded and score >= spec.threshold
    return TopicScore(spec.id, score, relevant, signals.reasons)


def _yield_to_continuation(topic: _CompiledTopic, scores: dict[str, TopicScore], article: _Article) -> TopicScore:
    """An undated article that both a story and the topic continuing it claim is the later story's,
    unless it reports a meeting dated in this story's period (a retrospective). The later topic only
    takes an undated article that names its time, so the era the article names decides."""
    own = scores[topic.spec.id]
    later = scores.get(topic.followed_by) if topic.followed_by else None
    if not own.relevant or later is None or not later.relevant or article.published is not None:
        return own
    period = topic.spec.period
    if period is not None and _meeting_dated_in(period, article.events):
        return own
    reason = f"excluded:undated, and it names the time of {topic.followed_by}, which it is relevant to"
    return TopicScore(own.topic, round(own.score * EXCLUDED_FACTOR, 4), False, [*own.reasons, reason])


def _cue_signals(topic: _CompiledTopic, article: _Article, signals: _Signals) -> None:
    """Cue phrases of the body (in a sentence naming the required countries) and of the headline."""
    spec = topic.spec
    need = set(spec.cues.requires_countries)
    cue_weights: dict[str, float] = {}
    for start, kind, key, weight in _word_hits(topic.automaton, article.unquoted):
        if kind == "exclude":
            signals.excluded.append(key)
        elif need <= article.present(start):
            cue_weights[key] = max(cue_weights.get(key, 0.0), weight)
    if article.unquoted_title is not None:
        for _start, kind, key, weight in _word_hits(topic.automaton, article.unquoted_title):
            if kind == "exclude":
                signals.excluded.append(key)
            elif need <= article.title_countries:
                cue_weights[key] = max(cue_weights.get(key, 0.0), weight)
                if spec.title_weight and "title" not in signals.fired:
                    signals.weights.append(spec.title_weight)
                    signals.fired.add("title")
                    signals.reasons.append(f"title cue:{key}")
    for key, w in sorted(cue_weights.items(), key=lambda kv: -kv[1])[: spec.cues.max_counted]:
        signals.weights.append(w)
        signals.reasons.append(f"cue:{key}")
        signals.fired.add("cue")


def _event_and_person_signals(spec: TopicSpec, article: _Article, signals: _Signals) -> None:
    if spec.events:
        events = article.events if article.published is not None else _events_in_period(spec, article.events)
        signal = event_signal(spec.events, events)
        if signal is not None:
            signals.weights.append(signal[0])
            signals.fired.add("event")
            signals.reasons.append(signal[1])
    if spec.persons:
        key_people = [n for n in article.person_names if n in set(spec.persons.names)]
        if key_people:
            signals.weights.append(min(spec.persons.max, spec.persons.weight_each * len(key_people)))
            signals.reasons.append("persons:" + ", ".join(key_people[:4]))
            signals.fired.add("persons")


def _exclusions(topic: _CompiledTopic, article: _Article, signals: _Signals) -> None:
    spec = topic.spec
    for ev in article.events:
        bad = [p for p in ev.persons if p in topic.excluded_people]
        if bad:
            signals.excluded.append("event person " + bad[0])
    evidence = spec.undated_evidence
    era_named = evidence is not None and _names_any(evidence, article)
    if spec.period is not None:
        reference_words = article.kb.token_sets["not_date_before"]
        outside = out_of_period(
            spec.period, article.published, article.events, article.dates, reference_words, article.scan.text,
            era_named=era_named, continued_by=topic.followed_by,
        ) or _titled_before(article, spec.period)  # fmt: skip
        if outside:
            signals.excluded.append("outside the period: " + outside)
    if evidence is not None and not _dated_in_period(spec, article) and not era_named:
        signals.excluded.append("undated, and nothing in it names this story's time")


def _dated_in_period(spec: TopicSpec, article: _Article) -> bool:
    """Published in the period, or a meeting or a day, month or date written out in it (not a bare year)."""
    if spec.period is None:
        return article.published is not None
    period = spec.period
    if article.published is not None and period.contains(article.published):
        return True
    if _meeting_dated_in(period, article.events):
        return True
    return any(period.contains(d.lo, d.hi) for d in article.dates if not d.relative and d.precision != "year")


def _names_any(evidence: UndatedEvidence, article: _Article) -> bool:
    if set(evidence.persons) & set(article.person_names):
        return True
    return any(phrase in article.scan.text for phrase in _folded(tuple(evidence.phrases)))


@lru_cache(maxsize=16)
def _folded(phrases: tuple[str, ...]) -> tuple[str, ...]:
    """The phrases as the scanned text spells them (folded once per topic, not once per article)."""
    return tuple(key for phrase in phrases for key in _spellings(phrase))
