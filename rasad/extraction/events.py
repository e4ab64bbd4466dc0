"""Meetings and calls: who met whom, where, when, at what level, held or only announced.

Per sentence, trigger words (اجتماع، لقاء، التقى، بحث، اتصال هاتفي ...) split the sentence into
scopes; each scope contributes the sides at the table (countries named as nouns, capitals,
government phrases, nationality adjectives of participants, the countries of named people), the
location, the date, role words for the level, status cues and mediation cues. Reporting clauses
(قال ... إن), topic phrases (تطبيع العلاقات بين ...) and source attributions are kept out of the
sides. Mentions of the same meeting across the article are then merged: compatible kind, status,
sides, place, date and level; mentions without sides of their own ("الاجتماع") attach to the
meeting last spoken of, and so do attendees ("وحضر اللقاء …") whatever their rank. A visit makes
the visited country a side; a meeting "with" one side in reported speech takes the speaker's
government as the other side; dates after "منذ" are not the event's.
"""

from __future__ import annotations

import datetime as dt
import re
from bisect import bisect_left, bisect_right
from dataclasses import dataclass, field
from itertools import pairwise

from rasad.extraction.dates import DateMention
from rasad.extraction.kb import KnowledgeBase, PlaceSpec
from rasad.extraction.matcher import Match, PersonMention, Scan
from rasad.extraction.model import Event, Evidence
from rasad.text.arabic import normalize_arabic

_SENTENCE_END = re.compile(r"\n|[.!?؟](?=\s|$|[\"”»])")
_CLAUSE = re.compile(r"[،,:؛;]")
_QUOTE_OPEN = re.compile(r"[\"“«:]")
_PRONOUN_COMPS = frozenset({"انه", "انها", "بانه", "بانها", "انهم", "انهما", "انني", "اننا", "بانهم"})
_STATUS_RANK = {"proposed": 3, "planned": 2, "held": 1}
_PLACE_RANK = {
    "air_base": 5,
    "naval_base": 5,
    "border_crossing": 5,
    "city": 4,
    "region": 3,
    "governorate": 3,
    "capital": 3,
    "country": 1,
}
_NOT_PARTICIPANT_ROLES = frozenset({"spokesperson", "communications_director"})
_PLACE_HEADS = ("العاصمه", "مدينه", "قاعده", "محافظه", "منطقه", "بلده")  # a place after these is where
_TIME_CLAUSE = frozenset({"عقب", "اثر"})  # with بعد/قبل: a later trigger's clause starts there


@dataclass
class _Mention:
    """What one trigger scope says about an event."""

    start: int
    end: int
    sentence: tuple[int, int]
    kinds: set[str]
    status: str | None
    countries: set[str] = field(default_factory=set)
    persons: list[PersonMention] = field(default_factory=list)
    pseudo_roles: list[str] = field(default_factory=list)  # unnamed role titles in scope
    level_words: list[str] = field(default_factory=list)
    location: tuple[int, str] | None = None  # (rank, place id)
    date: DateMention | None = None
    mediator: str | None = None
    sides: bool = False
    counterpart: bool = False
    setting: bool = False
    heading: bool = False
    anchor: tuple[int, int] | None = None  # (sign, days) relative to the previous trigger in the sentence
    side_event: bool = False  # "على هامش الجولة": held beside the event last spoken of, not the same one
    attendance: bool = False  # "وحضر اللقاء ...": who else attended the meeting last spoken of
    previous: _Mention | None = None


@dataclass
class _Event:
    kinds: set[str]
    status: str | None
    countries: set[str]
    persons: dict[str, PersonMention]
    pseudo_roles: list[str]
    level_words: list[str]
    location: tuple[int, str] | None
    lo: dt.date | None
    hi: dt.date | None
    precision: str | None
    mediator: str | None
    evidence: list[tuple[int, int]]
    last: int
    count: int = 1
    setting: bool = False
    anchors: list[tuple[_Mention, tuple[int, int]]] = field(default_factory=list)
    mentions: list[_Mention] = field(default_factory=list)
    # (state the level was computed from, (level, strong)): merging only ever adds, so sizes and date tell
    level_memo: tuple[tuple[int, int, int, dt.date | None], tuple[str | None, bool]] | None = None


@dataclass(slots=True)
class _Dates:
    """The article's dates in text order, with their start offsets for bisection."""

    items: list[DateMention]
    starts: list[int]


def _sentences(text: str) -> list[tuple[int, int, bool]]:
    out = []
    pos = 0
    for m in _SENTENCE_END.finditer(text):
        end = m.end()
        seg = text[pos:end].strip()
        if seg:
            heading = m.group() == "\n" and len(seg.split()) < 12 and not seg.endswith((".", "،", ":"))
            out.append((pos, end, heading))
        pos = end
    if text[pos:].strip():
        out.append((pos, len(text), False))
    return out


def _in(regions: list[tuple[int, int]], pos: int) -> bool:
    for s, e in regions:  # noqa: SIM110 - a plain loop: called per entity, any() costs a generator
        if s <= pos < e:
            return True
    return False


_CLAUSE_GAPS: dict[str, bool] = {}  # separator text -> contains a clause break (few distinct values)


def _clause_gap(gap: str) -> bool:
    flag = _CLAUSE_GAPS.get(gap)
    if flag is None:
        flag = _CLAUSE.search(gap) is not None
        if len(_CLAUSE_GAPS) > 10_000:
            _CLAUSE_GAPS.clear()
        _CLAUSE_GAPS[gap] = flag
    return flag


class _Sentence:
    """Indexes of one sentence's matches."""

    def __init__(self, kb: KnowledgeBase, scan: Scan, s: int, e: int):
        self.s, self.e = s, e
        self.kb, self.scan = kb, scan

        def pick(layer: str) -> list[Match]:
            matches = scan.layers.get(layer, [])
            starts = scan.starts(layer)
            return matches[bisect_left(starts, s) : bisect_left(starts, e)]

        self.triggers = pick("trigger")
        self.status = pick("status")
        self.misc = pick("misc")
        self.levels = pick("level")
        self.titles = pick("role")
        self.entities = pick("entity")
        self.nonparty = pick("nonparty")
        pstarts = scan.starts("persons")
        self.persons = scan.persons[bisect_left(pstarts, s) : bisect_left(pstarts, e)]
        self.t0 = scan.tix.at_or_after(s)
        self.t1 = scan.tix.at_or_after(e)
        self.words = scan.words
        self.gaps = scan.gaps
        self._entity_info: list[tuple[Match, str, bool, PlaceSpec | None, bool]] | None = None
        flags = scan.memo.get("clause_gaps")
        if flags is None:  # per article: whether a clause break precedes each token
            known = list(map(_CLAUSE_GAPS.get, scan.gaps))  # separators repeat: mostly a dict hit
            flags = scan.memo["clause_gaps"] = [
                _clause_gap(g) if f is None else f for f, g in zip(known, scan.gaps, strict=True)
            ]
            if flags:
                flags[0] = False
        self.clause_flags = flags

    def tok(self, i: int) -> str:
        return self.words[i]

    def entity_info(self) -> list[tuple[Match, str, bool, PlaceSpec | None, bool]]:
        """Per entity, what does not depend on the trigger: (entity, previous word, after a place
        preposition or head, the place, an adjective that is not a side). Built once per sentence."""
        if self._entity_info is not None:
            return self._entity_info
        kb, words, t0 = self.kb, self.words, self.t0
        text, toks = self.scan.text, self.scan.tokens
        preps = kb.token_sets["location_preps"]
        nonparty_toks = {n.token_end for n in self.nonparty}
        title_end_toks = {t.token_end for t in self.titles}
        adjective_toks = {e.token for e in self.entities if e.category == "adjective"}
        place_end_toks = {
            e.token_end for e in self.entities if e.category == "place" and kb.places[e.refs[0]].kind != "country"
        }
        heads = _PLACE_HEADS
        out = []
        for ent in self.entities:
            prev_tok = ent.token - 1
            prev = words[prev_tok] if prev_tok >= t0 else ""
            prefix = text[toks[ent.token][0] : ent.start]
            prev2 = words[prev_tok - 1] if prev_tok - 1 >= t0 else ""
            after_adjective = prev_tok in adjective_toks and (prev2 in preps or prev2 in heads or prev2[1:] in heads)
            prepped = (
                prev in preps
                or "ب" in prefix
                or prefix == "في"
                or prev in heads
                or prev[1:] in heads
                or after_adjective
            )
            place = kb.places[ent.refs[0]] if ent.category == "place" else None
            not_a_side = ent.category == "adjective" and (
                (prev_tok in nonparty_toks and prev_tok not in title_end_toks)
                or prev_tok in place_end_toks  # "هاتاي التركية", "قاعدة حميميم الروسية": whose place
                or prev == "العاصمه"
            )
            out.append((ent, prev, prepped, place, not_a_side))
        self._entity_info = out
        return out

    def between(self, i: int) -> str:
        """Characters between token i-1 and token i."""
        return self.gaps[i] if i > 0 else ""

    def clause_before(self, i: int) -> bool:
        """Whether a clause break (comma, colon, semicolon) stands between token i-1 and token i."""
        return i > 0 and self.clause_flags[i]

    def reporting_regions(self) -> tuple[list[tuple[int, int]], list[tuple[int, int]]]:
        """Spans from a reporting verb to its complementizer: (speaker hidden, speaker kept)."""
        hide: list[tuple[int, int]] = []
        keep: list[tuple[int, int]] = []
        comps = self.kb.token_sets["complementizers"]
        for m in self.misc:
            if m.category != "reporting":
                continue
            for k in range(m.token_end + 1, min(self.t1, m.token_end + 22)):
                if _QUOTE_OPEN.search(self.between(k)) and self._real_quote(k):
                    hide.append((m.start, self.scan.tokens[k][0]))
                    break
                tok = self.tok(k)
                bare = tok[1:] if tok[:1] in "وف" and tok[1:] in comps else tok
                if bare in comps:
                    (keep if bare in _PRONOUN_COMPS else hide).append((m.start, self.scan.tokens[k][1]))
                    break
        return hide, keep

    def _real_quote(self, k: int) -> bool:
        """A ':' or a quotation of three words or more (not a quoted name such as “تاس”)."""
        gap = self.between(k)
        if ":" in gap:
            return True
        text = self.scan.text
        start = self.scan.tokens[k][0]
        close = min((i for i in (text.find(c, start) for c in '"”»') if i >= 0), default=-1)
        return close < 0 or len(text[start:close].split()) >= 3

    def topic_regions(self, trigger_starts: list[int]) -> list[tuple[int, int]]:
        out = []
        toks = self.scan.tokens
        for m in self.misc:
            if m.category not in ("topic", "source"):
                continue
            end_tok = min(self.t1, m.token_end + 11)
            stop = toks[end_tok - 1][1] if end_tok > 0 else m.end
            for k in range(m.token_end + 1, end_tok):
                if self.clause_before(k):
                    stop = toks[k - 1][1]
                    break
            for ts in trigger_starts:
                if m.end <= ts < stop:
                    stop = ts
            out.append((m.start, max(stop, m.end)))
        return out


def extract_events(kb: KnowledgeBase, scan: Scan, dates: list[DateMention], published: dt.date | None) -> list[Event]:
    """All meetings and calls of the article, merged across mentions."""
    mentions: list[_Mention] = []
    trigger_starts = scan.starts("trigger")
    if not trigger_starts:
        return []
    in_text = _Dates(dates, [d.start for d in dates])  # in text order: scopes take theirs by bisection
    for s, e, heading in _sentences(scan.text):
        k = bisect_left(trigger_starts, s)
        if k == len(trigger_starts) or trigger_starts[k] >= e:
            continue  # no trigger word: nothing to report
        sent = _Sentence(kb, scan, s, e)
        if sent.triggers:
            mentions.extend(_sentence_mentions(kb, scan, sent, in_text, heading, bool(mentions)))
    events = _merge(mentions, kb, published)
    return [ev for ev in (_finalize(kb, scan, e, published) for e in events) if ev is not None]


def _sentence_mentions(
    kb: KnowledgeBase, scan: Scan, sent: _Sentence, dates: _Dates, heading: bool, reported_before: bool = True
) -> list[_Mention]:
    text = scan.text
    toks = scan.tokens
    words = scan.words
    settings_end = {m.token_end for m in sent.misc if m.category == "setting"}
    groups: list[list[Match]] = []
    setting_flags: list[bool] = []
    for t in sent.triggers:
        prefix = text[toks[t.token][0] : t.start]
        if t.category == "discussion" and "ل" in prefix:
            continue  # لبحث: a purpose clause, not a report of talks
        is_setting = (t.token - 1) in settings_end or (t.token - 2) in settings_end
        gap = t.token - groups[-1][-1].token_end if groups else 99
        manner = (
            t.token - 1 >= sent.t0
            and words[t.token - 1] in kb.token_sets["manner_words"]
            and groups
            and gap <= 6
            and not _CLAUSE.search(text[groups[-1][-1].end : t.start])
            and any(g.category == "discussion" for g in groups[-1])
        )
        if manner:
            groups[-1].append(t)  # "بحث ... في اتصال هاتفي مع ...": one event
            continue
        if (gap == 1 and not _CLAUSE.search(text[groups[-1][-1].end : t.start])) or (
            gap == 2 and words[t.token - 1] in ("و", "او")
        ):
            groups[-1].append(t)
            continue
        if is_setting and groups:
            groups[-1].append(t)
            setting_flags[-1] = True
            continue
        groups.append([t])
        setting_flags.append(is_setting)
    if not groups:
        return []
    # scope boundaries: at the last clause break or complementizer before the next trigger
    comps = kb.token_sets["complementizers"]
    anchors = kb.caches.get("scope_anchors")
    if anchors is None:
        anchors = kb.token_sets["anchor_after"] | kb.token_sets["anchor_before"] | _TIME_CLAUSE
        kb.caches["scope_anchors"] = anchors
    clause_flags = sent.clause_flags
    bounds = [sent.s]
    for a, b in pairwise(groups):
        cut = b[0].start
        for k in range(a[-1].token_end + 1, b[0].token):
            w = words[k]
            if clause_flags[k] or w in comps or w in anchors or (w[:1] in "وف" and w[1:] in anchors):
                cut = toks[k][0]
        bounds.append(cut)
    bounds.append(sent.e)
    hide, keep = sent.reporting_regions()
    starts = [g[0].start for g in groups]
    topic = sent.topic_regions(starts)
    out: list[_Mention] = []
    clause_marks = [c.start for c in sent.misc if c.category == "clause"]
    for gi, group in enumerate(groups):
        lo, hi = bounds[gi], bounds[gi + 1]
        # a new clause with its own subject ("فيما أكد ...") ends the scope
        lo = max([lo, *[c for c in clause_marks if c < group[0].start]])
        hi = min([hi, *[c for c in clause_marks if c > group[-1].end]])
        m = _Mention(
            group[0].start,
            group[-1].end,
            (sent.s, sent.e),
            {t.category for t in group},
            None,
            heading=heading,
            setting=setting_flags[gi],
        )
        if setting_flags[gi] and len(group) == 1 and (reported_before or out):
            # "خلال اللقاء": a reference to a meeting already reported; the clause names speakers
            m.kinds = {t.category for t in group}
            out.append(m)
            continue
        margin_before = [
            x
            for x in sent.misc
            if x.category == "setting"
            and lo <= x.start < group[0].start
            and not any(x.end <= t.start < group[0].start for t in sent.triggers)
        ]
        m.side_event = any("هامش" in text[x.start : x.end] for x in margin_before)
        m.attendance = _attendance(kb, scan, sent, group)
        _fill(kb, scan, sent, m, lo, hi, hide, keep, topic, dates, groups, gi)
        if gi > 0:
            m.previous = out[-1]
        out.append(m)
    return out


def _attendance(kb: KnowledgeBase, scan: Scan, sent: _Sentence, group: list[Match]) -> bool:
    """A definite trigger right after an attendance verb: "وحضر اللقاء", "شارك في الاجتماع"."""
    if len(group) != 1:
        return False
    t = group[0]
    prefix = scan.text[scan.tokens[t.token][0] : t.start]
    if not prefix.endswith(("ال", "لل")):
        return False
    attend = kb.token_sets["attendance_words"]
    words = scan.words
    for k in (t.token - 1, t.token - 2):
        if k < sent.t0:
            return False
        w = words[k]
        if w in attend or (w[:1] in "وف" and w[1:] in attend):
            return True
        if w != "في":
            return False
    return False


def _fill(
    kb: KnowledgeBase,
    scan: Scan,
    sent: _Sentence,
    m: _Mention,
    lo: int,
    hi: int,
    hide: list[tuple[int, int]],
    keep: list[tuple[int, int]],
    topic: list[tuple[int, int]],
    dates: _Dates,
    groups: list[list[Match]],
    gi: int,
) -> None:
    text = scan.text
    toks = scan.tokens
    words = scan.words
    first_tok = groups[gi][0].token
    last_tok = groups[gi][-1].token_end
    first_tok_start = groups[gi][0].start

    def excluded(pos: int) -> bool:
        return _in(hide, pos) or _in(topic, pos)

    # status: cues nearest to this group (ties: the stronger cue); in "اقترح ... خلال قمتهما" the cue
    # before the setting word is not the summit's
    setting_start = (
        min(
            (x.token for x in sent.misc if x.category == "setting" and first_tok - 2 <= x.token_end < first_tok),
            default=None,
        )
        if m.setting
        else None
    )
    best: tuple[int, int, str] | None = None
    for c in sent.status:
        if setting_start is not None and c.token_end < setting_start:
            continue
        dist = first_tok - c.token_end if c.token_end < first_tok else c.token - last_tok if c.token > last_tok else 0
        limit_after = 10  # within the clause (checked below): "اجتماعاً ... يضم مسؤولين من ... سيعقد"
        if (c.token_end < first_tok and dist > 7) or (c.token > last_tok and dist > limit_after):
            continue
        if c.token > last_tok and _CLAUSE.search(text[groups[gi][-1].end : c.start]):
            continue
        if len(groups) > 1:
            nearest = min(range(len(groups)), key=lambda j: abs(groups[j][0].token - c.token))
            if nearest != gi and abs(groups[nearest][0].token - c.token) < abs(first_tok - c.token):
                continue
        cand = (dist, -_STATUS_RANK[c.category], c.category)
        if best is None or (cand[0] <= 1 and best[0] <= 1 and cand[1] < best[1]) or cand < best:
            best = cand
    m.status = best[2] if best else None
    # people
    title_ends = {t.token_end: t for t in sent.titles}
    named_title_toks: set[int] = set()
    for p in sent.persons:
        if not lo <= p.start < hi or p.nested:
            continue
        if excluded(p.start) and not _in(keep, p.start):
            continue
        prev = words[p.token - 1] if p.token > sent.t0 else ""
        bare_prev = prev[1:] if prev[:1] in "وفل" and prev[1:] in kb.token_sets["non_participant_before"] else prev
        spec = kb.persons.get(p.key) if p.known else None
        genitive = (
            spec is not None
            and p.title_kind is not None
            and (p.token - 1) in title_ends
            and p.title_kind not in {r.kind for r in spec.roles}
        )
        if bare_prev in kb.token_sets["non_participant_before"] or genitive:
            # "وفد الأسد", "تصريحات بوغدانوف", "وزير خارجية أسد": the person's side, not the person
            if spec is not None and spec.country and spec.side == "government":
                m.countries.add(spec.country)
            continue
        m.persons.append(p)
        for k in range(p.token - 1, max(sent.t0, p.token - 5) - 1, -1):
            if k in title_ends:
                named_title_toks.add(k)
                break
    for ks, ke in keep:
        if not lo <= ke <= hi or any(ks <= p.start < ke for p in sent.persons):
            continue
        # "قال أردوغان ... مضيفاً أنه مستعد للقاء": the pronoun is the earlier speaker
        speakers = [p for p in sent.persons if p.start < ks and _in(hide, p.start) and not p.nested]
        if speakers and speakers[-1] not in m.persons:
            m.persons.append(speakers[-1])
    # subjects of mediation verbs ("بوتين والسوداني يعملان على تسهيل اللقاء") are not at the table
    for c in sent.misc:
        if c.category != "mediation" or not lo <= c.start < hi:
            continue
        clause_start = lo
        for k in range(sent.t0 + 1, c.token + 1):
            breaks = sent.clause_before(k) or words[k - 1] in kb.token_sets["complementizers"]
            if breaks and toks[k][0] <= c.start:
                clause_start = toks[k][0]
        movers = [p for p in m.persons if clause_start <= p.start < c.start]
        for p in movers:
            m.persons.remove(p)
            spec = kb.persons.get(p.key) if p.known else None
            if spec and spec.country and not m.mediator:
                m.mediator = spec.country
    for t in sent.titles:
        if lo <= t.start < hi and t.token_end not in named_title_toks and not excluded(t.start):
            m.pseudo_roles.append(t.refs[0])
    for lv in sent.levels:
        if lo <= lv.start < hi and not _in(hide, lv.start):
            m.level_words.append(lv.refs[0])
    # sides, location, mediator
    mediation = [c for c in sent.misc if c.category == "mediation" and lo <= c.start < hi]
    hosting = [c for c in sent.misc if c.category == "hosting" and lo <= c.start < hi]
    mediator_tokens: list[int] = [c.token for c in mediation]
    visit = any(t.refs[0] in _visit_refs(kb) for t in groups[gi])
    candidates: list[tuple[str, int]] = []  # (country, token)
    for ent, prev, prepped, place, not_a_side in sent.entity_info():
        if not lo <= ent.start < hi or excluded(ent.start):
            continue
        right_after_trigger = last_tok < ent.token <= last_tok + 3
        if place is not None:
            if place.kind == "country":
                if prev not in ("الي",) or visit:
                    candidates.append((place.country or "", ent.token))
                if prepped and right_after_trigger:
                    _offer_location(m, 1, place.id)
            elif place.kind == "capital" and visit and prev == "الي":
                _offer_location(m, 4, place.id)  # "زيارة إلى دمشق": where, and whose side
                candidates.append((place.country or "", ent.token))
            elif place.kind == "capital" and ent.token == last_tok + 1:
                _offer_location(m, 4, place.id)  # construct state: "اجتماع موسكو"
            elif place.kind == "capital" and not prepped:
                if any(h.token == ent.token_end + 1 for h in hosting):
                    _offer_location(m, 3, place.id)
                else:
                    candidates.append((place.country or "", ent.token))
            else:
                rank = _PLACE_RANK.get(place.kind, 2) + (1 if prepped else 0)
                if prepped or place.kind != "capital" or ent.token == last_tok + 1:
                    _offer_location(m, rank, place.id)
        elif ent.category == "actor":
            candidates.append((ent.refs[0], ent.token))
        elif ent.category == "adjective":
            if not_a_side:
                continue
            candidates.append((ent.refs[0], ent.token))
    mediators: set[int] = set()
    for mt in mediator_tokens:
        near = [
            (abs(tok - mt), i)
            for i, (country, tok) in enumerate(candidates)
            if country
            and abs(tok - mt) <= 4
            and not _CLAUSE.search(text[toks[min(tok, mt)][1] : toks[max(tok, mt)][0]])
        ]
        if near:
            mediators.add(min(near)[1])
    for i, (country, _tok) in enumerate(candidates):
        if not country:
            continue
        if i in mediators:
            m.mediator = m.mediator or country
        else:
            m.countries.add(country)
    # "وأضاف أن أي لقاء ... مع الجانب السوري": a meeting "with" one side, in reported speech, has the
    # speaker's government as the other side
    with_country = [c for c, tok in candidates if c and tok - 1 >= sent.t0 and words[tok - 1] in ("مع", "ومع")]
    if with_country and len(m.countries) == 1 and not m.persons:
        # the reporting clause ("وأضاف أن") that the trigger's clause is the object of
        region = max((r for r in hide if r[1] <= first_tok_start), default=None, key=lambda r: r[1])
        if region is not None:
            speaker = _speaker_country(kb, scan, region[0])
            if speaker and speaker not in m.countries:
                m.countries.add(speaker)
    for c in sent.misc:
        if not lo <= c.start < hi:
            continue
        if c.category == "side" and not excluded(c.start):
            m.sides = True
        elif c.category == "counterpart":
            m.counterpart = True
    # date: nearest usable date in scope
    not_before = kb.token_sets["not_date_before"]
    best_date: tuple[int, DateMention] | None = None
    date_starts = dates.starts
    for d in dates.items[bisect_left(date_starts, lo) : bisect_left(date_starts, hi)]:
        if _in(hide, d.start) or _in(keep, d.start) or _in(topic, d.start):
            continue
        dt_tok = scan.tix.at_or_after(d.start)
        if dt_tok > sent.t0 and words[dt_tok - 1] in not_before:
            continue
        if _since(words, sent, dt_tok):
            continue  # "منذ تعليق عضوية سوريا في الجامعة عام 2011": a since-date, not the event's
        dist = abs(dt_tok - first_tok)
        if best_date is None or dist < best_date[0]:
            best_date = (dist, d)
    m.date = best_date[1] if best_date else None
    # "بعد يوم من اجتماع ...": dated from the previous trigger of the sentence
    if gi > 0 and first_tok - 3 >= sent.t0:
        w = [words[first_tok - 3], words[first_tok - 2], words[first_tok - 1]]
        units = kb.caches["anchor_units"]
        if w[2] == "من" and w[1] in units:
            if w[0] in kb.token_sets["anchor_after"]:
                m.anchor = (-1, units[w[1]])
            elif w[0] in kb.token_sets["anchor_before"]:
                m.anchor = (1, units[w[1]])


def _speaker_country(kb: KnowledgeBase, scan: Scan, verb_start: int) -> str | None:
    """Country of the government person who says what the reporting verb at `verb_start` introduces.

    The speaker is the first person within six words after the verb; a bare "وأضاف" continues the
    last named speaker before it. Computed once per article.
    """
    speakers = scan.memo.get("speakers")
    if speakers is None:
        speakers = []
        persons = scan.persons
        tokens = [p.token for p in persons]
        for verb in scan.layers.get("misc", []):
            if verb.category != "reporting":
                continue
            who: str | None = None
            for p in persons[bisect_right(tokens, verb.token_end) :]:
                if p.token > verb.token_end + 6:
                    break
                if not p.nested and "\n" not in scan.text[verb.end : p.start]:
                    who = p.key if p.known else ""
                    break
            speakers.append((verb.start, who))
        scan.memo["speakers"] = speakers
    who = None
    for start, key in speakers:
        if start > verb_start:
            break
        if key is not None:
            who = key
        if start == verb_start:
            break
    spec = kb.persons.get(who) if who else None
    return spec.country if spec is not None and spec.side == "government" else None


def _visit_refs(kb: KnowledgeBase) -> frozenset[str]:
    """Trigger refs (lexicon spellings) that are visit words, built once per KB."""
    got = kb.caches.get("visit_refs")
    if got is None:
        visit = kb.token_sets["visit_words"]
        words = [w for ws in kb.events.triggers.values() for w in ws]
        got = kb.caches["visit_refs"] = frozenset(w for w in words if normalize_arabic(w) in visit)
    return got


def _since(words: list[str], sent: _Sentence, dt_tok: int) -> bool:
    """Whether "منذ" opens the phrase that ends in the date (up to five words back, same clause)."""
    for k in range(dt_tok - 1, max(sent.t0, dt_tok - 6) - 1, -1):
        if words[k] == "منذ":
            return True
        if sent.clause_before(k):
            return False
    return False


def _offer_location(m: _Mention, rank: int, place_id: str) -> None:
    if m.location is None or rank > m.location[0]:
        m.location = (rank, place_id)


def _person_level(kb: KnowledgeBase, p: PersonMention, day: dt.date | None, published: dt.date | None) -> str | None:
    kind = _person_role_kind(kb, p, day, published)
    spec = kb.role_kinds.get(kind) if kind else None
    return spec.level if spec else None


def _person_role_kind(
    kb: KnowledgeBase, p: PersonMention, day: dt.date | None, published: dt.date | None
) -> str | None:
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


def _mention_countries(kb: KnowledgeBase, m: _Mention) -> set[str]:
    out = set(m.countries)
    for p in m.persons:
        if p.known:
            spec = kb.persons[p.key]
            if spec.country and spec.side == "government":
                out.add(spec.country)
        elif p.title_country:
            out.add(p.title_country)
    return out


def _participants(kb: KnowledgeBase, m: _Mention, published: dt.date | None) -> list[PersonMention]:
    out = []
    for p in m.persons:
        if _person_role_kind(kb, p, m.date.lo if m.date else None, published) in _NOT_PARTICIPANT_ROLES:
            continue
        out.append(p)
    return out


def _dates_compatible(ev: _Event, d: DateMention | None) -> bool:
    if d is None or ev.lo is None or ev.hi is None:
        return True
    return d.lo <= ev.hi and ev.lo <= d.hi


def _status_ok(ev: _Event, m: _Mention, anaphoric: bool) -> bool:
    """No status and "held" agree (reports are of past meetings by default); plans must match."""
    a, b = m.status or "held", ev.status or "held"
    if a == b or (m.status is None and anaphoric):
        return True
    if anaphoric and {a, b} <= {"planned", "proposed"}:
        return True
    return m.status is None and ev.status is None


def _kind_of(kinds: set[str]) -> str | None:
    if "call" in kinds:
        return "call"
    if "meeting" in kinds:
        return "meeting"
    return None


def _merge(mentions: list[_Mention], kb: KnowledgeBase, published: dt.date | None) -> list[_Event]:
    events: list[_Event] = []
    owner: dict[int, _Event] = {}
    for m in mentions:
        if m.anchor and m.previous is not None and m.date is None:
            base = owner.get(id(m.previous))
            if base is not None and base.lo is not None and base.precision == "day":
                day = base.lo + dt.timedelta(days=m.anchor[0] * m.anchor[1])
                m.date = DateMention(m.start, m.start, day, day, "day", True)
        m.persons = _participants(kb, m, published)
        countries = _mention_countries(kb, m)
        if m.sides and len(countries) < 2:
            antecedent = _salient(events) or (max(events, key=lambda e: e.last) if events else None)
            if antecedent is not None:
                countries |= antecedent.countries - {antecedent.mediator}
                if not m.level_words and not m.persons:
                    m.level_words = list(antecedent.level_words)
        anaphoric = not countries and not m.persons
        if anaphoric and m.heading:
            continue
        target = _find_target(events, m, countries, anaphoric, kb, published)
        if target is None:
            ev = _Event(
                set(m.kinds),
                m.status,
                countries,
                {p.key: p for p in m.persons},
                list(m.pseudo_roles),
                list(m.level_words),
                m.location,
                m.date.lo if m.date else None,
                m.date.hi if m.date else None,
                m.date.precision if m.date else None,
                m.mediator,
                [m.sentence],
                m.start,
                setting=m.setting,
            )
            if m.anchor and m.previous is not None:
                ev.anchors.append((m.previous, m.anchor))
            ev.mentions.append(m)
            events.append(ev)
            owner[id(m)] = ev
            continue
        ev = target
        ev.kinds |= m.kinds
        if ev.status is None and not anaphoric:
            ev.status = m.status
        ev.countries |= countries
        for p in m.persons:
            ev.persons.setdefault(p.key, p)
        ev.pseudo_roles.extend(m.pseudo_roles)
        ev.level_words.extend(m.level_words)
        if m.location and (ev.location is None or m.location[0] > ev.location[0]):
            ev.location = m.location
        if m.date is not None and (ev.lo is None or ev.hi is None or (m.date.hi - m.date.lo) < (ev.hi - ev.lo)):
            ev.lo, ev.hi, ev.precision = m.date.lo, m.date.hi, m.date.precision
        ev.mediator = ev.mediator or m.mediator
        if m.sentence not in ev.evidence:
            ev.evidence.append(m.sentence)
        ev.last = m.start
        ev.count += 1
        ev.setting = ev.setting or m.setting
        if m.anchor and m.previous is not None:
            ev.anchors.append((m.previous, m.anchor))
        ev.mentions.append(m)
        owner[id(m)] = ev
    return events


def _salient(events: list[_Event]) -> _Event | None:
    pairs = [e for e in events if len(e.countries) >= 2]
    if not pairs:
        return None
    return max(pairs, key=lambda e: (e.count, e.last))


def _level_of(
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
    levels = [lv for lv in (_person_level(kb, p, day, published) for p in persons) if lv]
    levels += [kb.role_kinds[k].level for k in pseudo if k in kb.role_kinds]
    if levels:
        top = max(set(levels), key=levels.count)
        if len(set(levels)) == 1 or levels.count(top) * 2 > len(levels):
            return top, True
        return ("other", True) if final else (None, False)
    for w in words:
        return kb.role_kinds[w].level, False
    return None, False


def _find_target(
    events: list[_Event],
    m: _Mention,
    countries: set[str],
    anaphoric: bool,
    kb: KnowledgeBase,
    published: dt.date | None,
) -> _Event | None:
    best: tuple[float, _Event] | None = None
    m_kind = _kind_of(m.kinds)
    m_level, m_strong = _level_of(
        kb,
        m.persons,
        m.pseudo_roles if not anaphoric else [],
        m.level_words,
        m.date.lo if m.date else None,
        published,
        final=False,
    )
    contact_only = m.kinds <= {"contact"}
    last_event = max(events, key=lambda e: e.last) if events else None
    for ev in events:
        if not ev.countries and not ev.persons:
            continue
        if m.side_event and ev is last_event:
            continue
        ev_contact_only = ev.kinds <= {"contact"}
        if contact_only and not ev_contact_only:
            continue  # "الاتصالات"/"التواصل" is too vague to add people or sides to a known meeting
        if anaphoric and ev_contact_only:
            continue
        ev_kind = _kind_of(ev.kinds)
        if m_kind and ev_kind and m_kind != ev_kind:
            continue
        if anaphoric and m_kind == "meeting" and ev_kind is None and not ev.setting:
            continue  # "الاجتماع" does not refer back to talks that may have been a call
        if not _status_ok(ev, m, anaphoric):
            continue
        if ev.location and m.location and ev.location[1] != m.location[1]:
            a, b = kb.places[ev.location[1]], kb.places[m.location[1]]
            nested = (a.kind == "country" and b.country == a.country) or (
                b.kind == "country" and a.country == b.country
            )
            if not nested:
                continue
        if not _dates_compatible(ev, m.date):
            continue
        if countries and ev.countries and not (countries <= ev.countries or ev.countries <= countries):
            continue
        if (
            m.persons
            and len(ev.persons) >= 2
            and len(m.persons) >= 2
            and not m.attendance
            and not ({p.key for p in m.persons} & set(ev.persons))
        ):
            continue
        state = (len(ev.persons), len(ev.pseudo_roles), len(ev.level_words), ev.lo)
        if ev.level_memo is None or ev.level_memo[0] != state:
            ev.level_memo = (
                state,
                _level_of(
                    kb, list(ev.persons.values()), ev.pseudo_roles, ev.level_words, ev.lo, published, final=False
                ),
            )
        ev_level, ev_strong = ev.level_memo[1]
        if m_level and ev_level and m_level != ev_level and (m_strong == ev_strong) and not m.attendance:
            continue
        if not countries and not m.persons and not ev.countries and not ev.persons:
            continue
        score = ev.last / 1e7
        if anaphoric or m.attendance:
            score = ev.last
        elif m.status and ev.status == m.status:
            score += 2
        elif m.status is None and ev.status in (None, "held"):
            score += 1
        if m_level and ev_level == m_level:
            score += 3
        if best is None or score >= best[0]:
            best = (score, ev)
    return best[1] if best else None


def _finalize(kb: KnowledgeBase, scan: Scan, ev: _Event, published: dt.date | None) -> Event | None:
    kinds = ev.kinds - {"contact"}
    if not kinds:
        return None
    countries = set(ev.countries)
    persons = list(ev.persons.values())
    if not countries and not persons:
        return None
    status = ev.status or "held"
    # anchored dates ("بعد يوم من اجتماع ..."): from the event of the previous trigger
    if ev.lo is None:
        for prev_mention, (sign, days) in ev.anchors:
            if prev_mention.date is not None:
                base = prev_mention.date.lo
                ev.lo = ev.hi = base + dt.timedelta(days=sign * days)
                ev.precision = prev_mention.date.precision
                break
    lo, hi, precision = ev.lo, ev.hi, ev.precision
    future_held = status == "held" and lo is not None and published is not None and lo > published
    past_plan = status in ("planned", "proposed") and hi is not None and published is not None and hi < published
    if future_held or past_plan:
        lo = hi = precision = None
    date_value = None
    if lo is not None and precision is not None:
        date_value = DateMention(0, 0, lo, hi or lo, precision, False).value
    mediator = ev.mediator
    if mediator:
        person_countries = {kb.persons[p.key].country for p in persons if p.known}
        if mediator not in person_countries:
            countries.discard(mediator)
    if not countries and not persons:
        return None
    kind = _kind_of(kinds)
    if kind is None:
        kind = "meeting" if ev.location or ev.setting else "call"
    level, _ = _level_of(kb, persons, ev.pseudo_roles, ev.level_words, lo, published)
    if not countries and persons and all(not p.known for p in persons) and not ev.pseudo_roles:
        return None
    names = []
    for p in persons:
        name = kb.persons[p.key].name if p.known else scan.unknown_names.get(p.key, p.surface)
        if name not in names:
            names.append(name)
    evidence = []
    for s, e in sorted(ev.evidence):
        os_, oe = scan.nt.to_original(s, e)
        raw = scan.nt.original[os_:oe]
        lead = len(raw) - len(raw.lstrip())
        trail = len(raw.rstrip())
        evidence.append(Evidence(raw.strip(), os_ + lead, os_ + trail))
    location = kb.places[ev.location[1]].name if ev.location else None
    return Event(
        kind=kind,
        status=status,
        level=level or "other",
        countries=sorted(countries),
        persons=names,
        location=location,
        date=date_value,
        mediator=mediator,
        evidence=evidence,
    )
