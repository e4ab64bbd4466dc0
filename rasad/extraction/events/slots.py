"""The slots of one mention: participants, sides, mediator, location, date and relative anchor.

`fill_slots` runs one small step per slot over a `Scope`: the sentence, the trigger group and the
character range [lo, hi) it governs, and the regions whose entities are not participants
(reporting clauses, topic phrases, source attributions).
"""

from __future__ import annotations

from bisect import bisect_left, bisect_right
from dataclasses import dataclass, field

from rasad.extraction.dates import DateMention
from rasad.extraction.events.modality import before_only, mention_status
from rasad.extraction.events.model import DatesIndex, ScopeMention
from rasad.extraction.events.scope import CLAUSE, Sentence, in_regions
from rasad.extraction.kb import KnowledgeBase, PlaceSpec
from rasad.extraction.matcher import Match, Scan
from rasad.text.arabic import normalize_arabic

_GENERIC_TITLES = frozenset({"minister", "other"})  # role kinds whose title fits any office of the kind
_DUAL_SUFFIX = "هما"  # the dual pronoun on a meeting noun: "لقائهما", "قمتهما"
PLACE_RANK = {
    "air_base": 5,
    "naval_base": 5,
    "border_crossing": 5,
    "city": 4,
    "region": 3,
    "governorate": 3,
    "capital": 3,
    "country": 1,
}


@dataclass
class Scope:
    """One trigger group of a sentence and the range of text it governs."""

    kb: KnowledgeBase
    scan: Scan
    sent: Sentence
    lo: int
    hi: int
    hide: list[tuple[int, int]]  # reporting clauses whose speaker is not a participant
    keep: list[tuple[int, int]]  # reporting clauses whose speaker is ("قال إنه مستعد للقاء")
    topic: list[tuple[int, int]]  # what was discussed, and source attributions
    groups: list[list[Match]]
    gi: int
    own: list[tuple[int, int]] = field(default_factory=list)  # the reporting clause the trigger stands in

    @property
    def first_tok(self) -> int:
        return self.groups[self.gi][0].token

    @property
    def last_tok(self) -> int:
        return self.groups[self.gi][-1].token_end

    def within(self, pos: int) -> bool:
        return self.lo <= pos < self.hi

    def excluded(self, pos: int) -> bool:
        return in_regions(self.hide, pos) or in_regions(self.topic, pos)


def fill_slots(scope: Scope, m: ScopeMention, dates: DatesIndex) -> None:
    """Fill every slot of mention `m` from its scope."""
    m.status = mention_status(scope.sent, scope.groups, scope.gi, setting=m.setting)
    named_title_toks = _participants(scope, m)
    _side_flags(scope, m)
    _pronoun_speakers(scope, m)
    _own_speaker(scope, m)
    _counterpart_speaker(scope, m)
    _first_person_side(scope, m)
    _mediation_subjects(scope, m)
    _mediation_objects(scope, m)
    _roles_and_levels(scope, m, named_title_toks)
    candidates = _sides_and_location(scope, m)
    _assign_sides(scope, m, candidates)
    _format_sides(scope, m)
    _side_of_the_speaker(scope, m, candidates)
    m.date = _nearest_date(scope, dates)
    m.report_day = _reporting_day(scope, dates) if m.date is None else None
    m.anchor = _relative_anchor(scope)


def _participants(scope: Scope, m: ScopeMention) -> set[int]:
    """Named people in scope; returns the tokens of the titles that name them."""
    kb, sent, words = scope.kb, scope.sent, scope.scan.words
    not_before = kb.token_sets["non_participant_before"]
    title_ends = {t.token_end: t for t in sent.titles}
    named_title_toks: set[int] = set()
    for p in sent.persons:
        if not scope.within(p.start) or p.nested:
            continue
        if scope.excluded(p.start) and not in_regions(scope.keep, p.start):
            continue
        prev = words[p.token - 1] if p.token > sent.t0 else ""
        bare_prev = prev[1:] if prev[:1] in "وفل" and prev[1:] in not_before else prev
        spec = kb.persons.get(p.key) if p.known else None
        genitive = (
            spec is not None
            and p.title_kind is not None
            and p.title_kind not in _GENERIC_TITLES  # "الوزير فلان": any minister
            and (p.token - 1) in title_ends
            and p.title_kind not in {r.kind for r in spec.roles}
        )
        if bare_prev in not_before or genitive:
            # "وفد الأسد", "تصريحات بوغدانوف", "وزير خارجية أسد": the person's side, not the person
            if spec is not None and spec.country and spec.side == "government":
                m.countries.add(spec.country)
            continue
        m.persons.append(p)
        for k in range(p.token - 1, max(sent.t0, p.token - 5) - 1, -1):
            if k in title_ends:
                named_title_toks.add(k)
                break
    return named_title_toks


def _pronoun_speakers(scope: Scope, m: ScopeMention) -> None:
    """ "قال أردوغان ... مضيفاً أنه مستعد للقاء": the pronoun is the earlier speaker."""
    persons = scope.sent.persons
    for ks, ke in scope.keep:
        if not scope.lo <= ke <= scope.hi or any(ks <= p.start < ke for p in persons):
            continue
        speakers = [p for p in persons if p.start < ks and in_regions(scope.hide, p.start) and not p.nested]
        if speakers and speakers[-1] not in m.persons:
            m.persons.append(speakers[-1])


def _own_speaker(scope: Scope, m: ScopeMention) -> None:
    """ "وقال لافروف خلال مؤتمر صحفي عقب محادثات مع ...": the speaker took part in the talks he speaks after."""
    trigger_start = scope.groups[scope.gi][0].start
    for start, _ in scope.own:
        speaker = next((p for p in scope.sent.persons if start < p.start < trigger_start and not p.nested), None)
        if speaker is not None and speaker not in m.persons:
            m.persons.insert(0, speaker)


def _counterpart_speaker(scope: Scope, m: ScopeMention) -> None:
    """ "كشف شكري أن المباحثات التي جمعته مع نظيره التركي ...": the speaker is the counterpart's other side."""
    dual = any(scope.scan.words[t.token].endswith(_DUAL_SUFFIX) for t in scope.groups[scope.gi])
    if not (m.counterpart or dual) or len(m.persons) != 1:
        return  # "خلال قمتهما": the two of them, the speaker and the one named
    trigger_start = scope.groups[scope.gi][0].start
    speakers = [
        p
        for p in scope.sent.persons
        if p.start < trigger_start and in_regions(scope.hide, p.start) and not p.nested and p.known
    ]
    if speakers and speakers[-1].key != m.persons[0].key:
        m.persons.insert(0, speakers[-1])
    elif not speakers and m.counterpart:
        _elided_speaker_side(scope, m)


def _first_person_side(scope: Scope, m: ScopeMention) -> None:
    """ "وأضاف: يمكننا عقد قمة رباعية مع سوريا وروسيا وإيران": a speaker who says "we" or "I" of a
    meeting is at its table; his government joins the sides."""
    trigger_start = scope.groups[scope.gi][0].start
    region = max((r for r in [*scope.hide, *scope.keep] if r[1] <= trigger_start), default=None, key=lambda r: r[1])
    if region is None:
        return
    words, first = scope.kb.token_sets["fw:first_person_words"], scope.scan.tix.at_or_after(region[1])
    if not any(w in words for w in scope.scan.words[first : scope.first_tok]):
        return
    speaker = speaker_country(scope.kb, scope.scan, region[0])
    if speaker and speaker not in m.countries:
        m.countries.add(speaker)


def _elided_speaker_side(scope: Scope, m: ScopeMention) -> None:
    """ "وكشف أنه سيجري اتصالاً مع نظيره الأوكراني": the speaker, named in an earlier sentence, is the
    counterpart's other side; his government joins the sides."""
    trigger_start = scope.groups[scope.gi][0].start
    region = max((r for r in scope.keep if r[1] <= trigger_start), default=None, key=lambda r: r[1])
    if region is None or any(region[0] <= p.start < region[1] for p in scope.sent.persons):
        return
    speaker = speaker_country(scope.kb, scope.scan, region[0])
    if speaker and speaker not in m.countries:
        m.countries.add(speaker)


def _mediation_objects(scope: Scope, m: ScopeMention) -> None:
    """People named right after a mediation cue ("وساطة يقوم بها رئيس الوزراء العراقي ...") mediate."""
    kb, words = scope.kb, scope.scan.words
    nouns = kb.token_sets["fw:mediation_nouns"]
    trigger_toks = [t.token for t in scope.sent.triggers]
    for c in scope.sent.misc:
        if c.category != "mediation" or not scope.within(c.start):
            continue
        if words[c.token] not in nouns and words[c.token][1:] not in nouns:
            continue
        for p in [p for p in m.persons if c.token_end < p.token <= c.token_end + 7]:
            if any(c.token_end < t < p.token for t in trigger_toks):
                continue  # "وساطة لعقد لقاء بين أردوغان والأسد": the meeting's people
            m.persons.remove(p)
            spec = kb.persons.get(p.key) if p.known else None
            if spec and spec.country and not m.mediator:
                m.mediator = spec.country


def _mediation_subjects(scope: Scope, m: ScopeMention) -> None:
    """Subjects of mediation verbs ("بوتين والسوداني يعملان على تسهيل اللقاء") are not at the table."""
    kb, sent, words, toks = scope.kb, scope.sent, scope.scan.words, scope.scan.tokens
    for c in sent.misc:
        if c.category != "mediation" or not scope.within(c.start):
            continue
        clause_start = scope.lo
        for k in range(sent.t0 + 1, c.token + 1):
            breaks = sent.clause_before(k) or words[k - 1] in kb.token_sets["complementizers"]
            if breaks and toks[k][0] <= c.start:
                clause_start = toks[k][0]
        for p in [p for p in m.persons if clause_start <= p.start < c.start]:
            m.persons.remove(p)
            spec = kb.persons.get(p.key) if p.known else None
            if spec and spec.country and not m.mediator:
                m.mediator = spec.country


def _roles_and_levels(scope: Scope, m: ScopeMention, named_title_toks: set[int]) -> None:
    """Unnamed role titles ("وزير الخارجية السوري") and level words ("وزراء الدفاع") in scope."""
    for t in scope.sent.titles:
        if scope.within(t.start) and t.token_end not in named_title_toks and not scope.excluded(t.start):
            m.pseudo_roles.append(t.refs[0])
    weak: list[str] = []
    for lv in scope.sent.levels:
        if scope.within(lv.start) and not in_regions(scope.hide, lv.start):
            (weak if lv.category == "weak_group" else m.level_words).append(lv.refs[0])
    m.level_words.extend(weak)  # "قمة" says leaders only when nothing names who met


def _sides_and_location(scope: Scope, m: ScopeMention) -> list[tuple[str, int]]:
    """Offer places to the location slot; return the countries named as possible sides, with their token."""
    kb, sent = scope.kb, scope.sent
    hosting = [c for c in sent.misc if c.category == "hosting" and scope.within(c.start)]
    visit = any(t.refs[0] in visit_refs(kb) for t in scope.groups[scope.gi])
    toward = kb.token_sets["fw:toward_words"]
    candidates: list[tuple[str, int]] = []  # (country, token)
    spoken_of = _spoken_of(scope)
    for ent, prev, prepped, place, not_a_side in sent.entity_info():
        if not scope.within(ent.start) or scope.excluded(ent.start) or in_regions(spoken_of, ent.start):
            continue
        if place is not None:
            if place.kind == "country" and prev in kb.token_sets["fw:capital_heads"]:
                _capital_of(scope, m, place.country or ent.refs[0])  # "في عاصمة كازاخستان": where, not a side
                continue
            side = _place_slot(
                # "إضافة إلى مصر" leaves "إلى" unprepped: a list, no direction
                scope,
                m,
                ent,
                place,
                prepped=prepped,
                toward=prev in toward and prepped,
                visit=visit,
                hosting=hosting,
            )
            if side:
                candidates.append((place.country or "", ent.token))
        elif ent.category == "actor" or (ent.category == "adjective" and not not_a_side):
            candidates.append((ent.refs[0], ent.token))
        elif ent.category == "adjective" and prev in kb.token_sets["fw:capital_heads"]:
            _capital_of(scope, m, ent.refs[0])  # "في العاصمة الروسية": Moscow, not a side
    if m.location is not None and (visit or _reception(scope)):
        _host_side(scope, m, candidates)
    return candidates


def _spoken_of(scope: Scope) -> list[tuple[int, int]]:
    """ "وأشار الوزير العراقي إلى الوساطة بين أنقرة ودمشق، مضيفاً أنه التقى نظيره التركي": in a reporting
    clause whose speaker took part, what follows the speaker is what he spoke of, not who met."""
    regions = []
    for start, end in scope.keep:
        if end > scope.groups[scope.gi][0].start:
            continue
        ents = [e for e in scope.sent.entities if start <= e.start < end]
        if ents:
            regions.append((ents[0].end, end))  # the first is the speaker's ("الوزير العراقي")
    return regions


def _reception(scope: Scope) -> bool:
    """A trigger of receiving a guest ("استقبل في دمشق ...")."""
    words = scope.scan.words
    reception = scope.kb.token_sets["fw:reception_words"]
    return any(words[t.token] in reception or words[t.token][1:] in reception for t in scope.groups[scope.gi])


def _host_side(scope: Scope, m: ScopeMention, candidates: list[tuple[str, int]]) -> None:
    """A visit to a country's capital or a reception there has that country at the table ("وصل ... العاصمة
    السورية دمشق في زيارة", "استقبل في دمشق ...")."""
    place = scope.kb.places[m.location[1]] if m.location else None
    if place is None or place.kind not in ("capital", "city", "country") or not place.country:
        return
    if not place.government_host:
        return  # "زار صويلو مدينة تل أبيض": the Turkish-held north, not a meeting with Damascus
    if all(country != place.country for country, _ in candidates):
        candidates.append((place.country, scope.first_tok))


def _capital_of(scope: Scope, m: ScopeMention, country: str) -> None:
    spec = scope.kb.countries.get(country)
    if spec is not None and spec.capital and spec.capital in scope.kb.places:
        offer_location(m, 4, spec.capital)


def _place_slot(
    scope: Scope,
    m: ScopeMention,
    ent: Match,
    place: PlaceSpec,
    *,
    prepped: bool,
    toward: bool,
    visit: bool,
    hosting: list[Match],
) -> bool:
    """Offer the place as the location where it reads as one; return whether its country is a side."""
    last_tok = scope.last_tok
    if not place.government_host:
        offer_location(m, PLACE_RANK.get(place.kind, 2) + (1 if prepped else 0), place.id)
        return False  # where, and never whose side
    if place.kind == "country":
        if prepped and last_tok < ent.token <= last_tok + 8:
            offer_location(m, 1, place.id)  # "التقى أردوغان والسيسي في قطر"
        return not toward or visit
    if place.kind == "capital" and visit and toward:
        offer_location(m, 4, place.id)  # "زيارة إلى دمشق": where, and whose side
        return True
    if place.kind in ("capital", "city") and toward and prepped:
        # "وصل إلى جدة للمشاركة في القمة": the host of the place travelled to is at the table
        offer_location(m, PLACE_RANK[place.kind] + 1, place.id)
        return True
    if place.kind == "capital" and ent.token == last_tok + 1:
        offer_location(m, 4, place.id)  # construct state: "اجتماع موسكو"
        return False
    if place.kind == "capital" and not prepped:
        if any(h.token == ent.token_end + 1 or h.token_end + 1 == ent.token for h in hosting):
            # "موسكو تستضيف ..." and "استضافت موسكو ...": the city is where, not a side
            offer_location(m, 3, place.id)
            return False
        return True
    if prepped or place.kind != "capital":
        offer_location(m, PLACE_RANK.get(place.kind, 2) + (1 if prepped else 0), place.id)
    return False


def _assign_sides(scope: Scope, m: ScopeMention, candidates: list[tuple[str, int]]) -> None:
    """The country nearest a mediation cue (same clause, four words) mediates; the others are sides."""
    text, toks = scope.scan.text, scope.scan.tokens
    mediators: set[int] = set()
    for c in scope.sent.misc:
        if c.category != "mediation" or not scope.within(c.start):
            continue
        mt = c.token
        near = [
            (abs(tok - mt), i)
            for i, (country, tok) in enumerate(candidates)
            if country and abs(tok - mt) <= 4 and not CLAUSE.search(text[toks[min(tok, mt)][1] : toks[max(tok, mt)][0]])
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


def _side_of_the_speaker(scope: Scope, m: ScopeMention, candidates: list[tuple[str, int]]) -> None:
    """ "وأضاف أن أي لقاء ... مع الجانب السوري": a meeting "with" one side, in reported speech, has the
    speaker's government as the other side."""
    kb, sent, words = scope.kb, scope.sent, scope.scan.words
    with_words = kb.token_sets["fw:with_words"]
    with_country = [c for c, tok in candidates if c and tok - 1 >= sent.t0 and words[tok - 1] in with_words]
    if not with_country or len(m.countries) != 1 or m.persons:
        return
    trigger_start = scope.groups[scope.gi][0].start
    region = max((r for r in scope.hide if r[1] <= trigger_start), default=None, key=lambda r: r[1])
    if region is not None:
        speaker = speaker_country(kb, scope.scan, region[0])
        if speaker and speaker not in m.countries:
            m.countries.add(speaker)


def _format_sides(scope: Scope, m: ScopeMention) -> None:
    """A named format in scope brings its sides ("جولة محادثات أستانا": Turkey, Russia, Iran and Damascus)."""
    for c in scope.sent.misc:
        if c.category == "format" and scope.within(c.start) and not in_regions(scope.hide, c.start):
            m.implied.update(scope.kb.events.formats[c.refs[0]].countries)
            m.format = c.refs[0]


def _side_flags(scope: Scope, m: ScopeMention) -> None:
    """ "الجانبين" (the two sides already named) and "نظيره" (a counterpart of the same rank)."""
    for c in scope.sent.misc:
        if not scope.within(c.start):
            continue
        if c.category == "side" and not scope.excluded(c.start):
            m.sides = True
        elif c.category == "counterpart":
            m.counterpart = True


def _nearest_date(scope: Scope, dates: DatesIndex) -> DateMention | None:
    """The usable date in scope nearest the trigger (not a since-date or a point of reference)."""
    kb, sent, scan, words = scope.kb, scope.sent, scope.scan, scope.scan.words
    not_before = kb.token_sets["not_date_before"]
    best: tuple[int, DateMention] | None = None
    starts = dates.starts
    for d in dates.items[bisect_left(starts, scope.lo) : bisect_left(starts, scope.hi)]:
        if scope.excluded(d.start) or in_regions(scope.keep, d.start):
            continue
        dt_tok = scan.tix.at_or_after(d.start)
        if dt_tok > sent.t0 and words[dt_tok - 1] in not_before:
            continue
        if since_date(words, sent, dt_tok):
            continue  # "منذ تعليق عضوية سوريا في الجامعة عام 2011": a since-date, not the event's
        if any(scope.last_tok < c.token < dt_tok and before_only(sent, c) for c in sent.status):
            continue  # "الاجتماع بين الرئيسين الذي وصل أحدهما مساء الثلاثاء": the day of the arrival
        dist = abs(dt_tok - scope.first_tok)
        if best is None or dist < best[0]:
            best = (dist, d)
    return best[1] if best else None


REPORT_HEAD_TOKENS = 3  # "كشف اليوم", "أعلن أمس الخميس": a day word right after the sentence's opening verb


def _reporting_day(scope: Scope, dates: DatesIndex) -> DateMention | None:
    """A relative day at the head of the sentence, before the trigger: the day the talks were reported.

    Used only for talks reported as held with no date of their own ("كشف اليوم وزير الخارجية ... أن
    المباحثات التي جمعته ..."): news reports talks the day they end.
    """
    sent, scan = scope.sent, scope.scan
    starts = dates.starts
    for d in dates.items[bisect_left(starts, sent.s) : bisect_left(starts, scope.lo)]:
        if d.relative and d.precision == "day" and scan.tix.at_or_after(d.start) - sent.t0 < REPORT_HEAD_TOKENS:
            return d
    return None


def _relative_anchor(scope: Scope) -> tuple[int, int] | None:
    """ "بعد يوم من اجتماع ...", "غداة لقاء ...": (sign, days) from the previous trigger of the sentence."""
    kb, words, first_tok = scope.kb, scope.scan.words, scope.first_tok
    if scope.gi == 0 or first_tok - 1 < scope.sent.t0:
        return None
    if words[first_tok - 1] in kb.token_sets["anchor_day_after"]:
        return (-1, 1)  # the earlier trigger's meeting came the day after this one
    if words[first_tok - 1] in kb.token_sets["anchor_day_before"]:
        return (1, 1)
    if first_tok - 3 < scope.sent.t0:
        return None
    w = [words[first_tok - 3], words[first_tok - 2], words[first_tok - 1]]
    units = kb.caches["anchor_units"]
    if w[2] not in kb.token_sets["fw:of_words"] or w[1] not in units:
        return None
    if w[0] in kb.token_sets["anchor_after"]:
        return (-1, units[w[1]])
    if w[0] in kb.token_sets["anchor_before"]:
        return (1, units[w[1]])
    return None


def speaker_country(kb: KnowledgeBase, scan: Scan, verb_start: int) -> str | None:
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


def visit_refs(kb: KnowledgeBase) -> frozenset[str]:
    """Trigger refs (lexicon spellings) that are visit words, built once per KB."""
    got = kb.caches.get("visit_refs")
    if got is None:
        visit = kb.token_sets["visit_words"]
        words = [w for ws in kb.events.triggers.values() for w in ws]
        got = kb.caches["visit_refs"] = frozenset(w for w in words if normalize_arabic(w) in visit)
    return got


def since_date(words: list[str], sent: Sentence, dt_tok: int) -> bool:
    """Whether "منذ" opens the phrase that ends in the date (up to five words back, same clause)."""
    since = sent.kb.token_sets["fw:since_words"]
    for k in range(dt_tok - 1, max(sent.t0, dt_tok - 6) - 1, -1):
        if words[k] in since:
            return True
        if sent.clause_before(k):
            return False
    return False


def offer_location(m: ScopeMention, rank: int, place_id: str) -> None:
    if m.location is None or rank > m.location[0]:
        m.location = (rank, place_id)
