"""Trigger groups of a sentence, each with the scope it governs, turned into mentions."""

from __future__ import annotations

from dataclasses import replace
from itertools import pairwise

from rasad.extraction.events.model import DatesIndex, ScopeMention
from rasad.extraction.events.scope import CLAUSE, Sentence
from rasad.extraction.events.slots import Scope, fill_slots
from rasad.extraction.kb import KnowledgeBase
from rasad.extraction.matcher import Match, Scan


def sentence_mentions(
    kb: KnowledgeBase, scan: Scan, sent: Sentence, dates: DatesIndex, heading: bool, reported_before: bool = True
) -> list[ScopeMention]:
    text = scan.text
    toks = scan.tokens
    words = scan.words
    settings_end = {m.token_end for m in sent.misc if m.category == "setting"}
    groups: list[list[Match]] = []
    setting_flags: list[bool] = []
    for t in sent.triggers:
        if _purpose_of_meeting(kb, scan, sent, t, after_trigger=bool(groups)):
            continue
        is_setting = (t.token - 1) in settings_end or (t.token - 2) in settings_end
        gap = t.token - groups[-1][-1].token_end if groups else 99
        manner = (
            t.token - 1 >= sent.t0
            and words[t.token - 1] in kb.token_sets["manner_words"]
            and groups
            and gap <= 6
            and not CLAUSE.search(text[groups[-1][-1].end : t.start])
            and any(g.category == "discussion" for g in groups[-1])
        )
        if manner:
            groups[-1].append(t)  # "بحث ... في اتصال هاتفي مع ...": one event
            continue
        if (gap == 1 and not CLAUSE.search(text[groups[-1][-1].end : t.start])) or (
            gap == 2 and words[t.token - 1] in kb.token_sets["fw:coordinators"]
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
        anchors = kb.token_sets["anchor_after"] | kb.token_sets["anchor_before"] | kb.token_sets["fw:time_clause"]
        kb.caches["scope_anchors"] = anchors
    clause_flags = sent.clause_flags
    purpose = kb.token_sets["fw:purpose_words"]
    bounds = [sent.s]
    for a, b in pairwise(groups):
        cut = b[0].start
        for k in range(a[-1].token_end + 1, b[0].token):
            w = words[k]
            if clause_flags[k] or w in comps or w in anchors or w in purpose or (w[:1] in "وف" and w[1:] in anchors):
                cut = toks[k][0]
        bounds.append(cut)
    bounds.append(sent.e)
    hide, keep = sent.reporting_regions()
    starts = [g[0].start for g in groups]
    topic = sent.topic_regions(starts)
    out: list[ScopeMention] = []
    clause_marks = [c.start for c in sent.misc if c.category == "clause"]
    for gi, group in enumerate(groups):
        lo, hi = bounds[gi], bounds[gi + 1]
        # a new clause with its own subject ("فيما أكد ...") ends the scope
        lo = max([lo, *[c for c in clause_marks if c < group[0].start]])
        hi = min([hi, *[c for c in clause_marks if c > group[-1].end]])
        # "وقال لافروف خلال مؤتمر صحفي عقب محادثات مع ...، إنه": talks inside the reporting clause are the
        # speaker's own, and what he says after the complementizer is not about them
        own = [r for r in (*hide, *keep) if r[0] < group[0].start < r[1]]
        if own:
            hi = min(hi, own[0][1])
        m = ScopeMention(
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
        margin = kb.token_sets["fw:margin_words"]
        m.side_event = any(w in margin for x in margin_before for w in words[x.token : x.token_end + 1]) or (
            gi > 0 and setting_flags[gi - 1] and _after_margin(kb, words, groups[gi - 1][0].token, sent.t0)
        )  # "وعلى هامش الاجتماع الرباعي، التقى ...": bilateral talks beside the round
        new_words = kb.token_sets["fw:new_meeting_words"]
        after = range(group[-1].token_end + 1, min(group[-1].token_end + 3, sent.t1))
        nominal = group[-1].category in ("meeting", "call")  # "بحث آخر المستجدات": the object of a verb
        m.new_meeting = nominal and any(words[k] in new_words for k in after)
        m.bilateral = any(words[k] in kb.token_sets["fw:bilateral_words"] for k in after)
        m.attendance = is_attendance(kb, scan, sent, group)
        present = kb.token_sets["fw:present_triggers"]
        m.present = not heading and any(words[t.token] in present or words[t.token][1:] in present for t in group)
        m.definite = nominal and _definite(kb, words[group[0].token])
        scope = Scope(kb, scan, sent, lo, hi, [r for r in hide if r not in own], keep, topic, groups, gi, own)
        fill_slots(scope, m, dates)
        if gi > 0:
            m.previous = out[-1]
            # "يبحث الوزراء ... في الاجتماع": the meeting noun takes the tense of the verb that governs it
            m.present = m.present or (m.status is None and out[-1].present)
        out.extend(m2 for m1 in _split_bilateral(sent, m, lo) for m2 in _split_tour(sent, m1, lo))
    return out


def _purpose_of_meeting(kb: KnowledgeBase, scan: Scan, sent: Sentence, t: Match, *, after_trigger: bool) -> bool:
    """A trigger that says what a meeting is for, not that one took place: "لبحث", and "لإجراء محادثات"
    after a meeting already named in the sentence ("التقى ... لإجراء محادثات")."""
    if t.category == "discussion" and "ل" in scan.text[scan.tokens[t.token][0] : t.start]:
        return True
    before = t.token - 1
    return after_trigger and before >= sent.t0 and scan.words[before] in kb.token_sets["fw:conduct_purpose"]


def _split_tour(sent: Sentence, m: ScopeMention, lo: int) -> list[ScopeMention]:
    """ "وصل أردوغان إلى جدة ... ضمن جولة خليجية تشمل الإمارات وقطر": each stop of a tour is a visit
    of its own, between the visitor and the country toured; the first stop keeps the place named."""
    borrowed = _visitor_of_previous_visit(sent, m)
    if len(m.countries) < 3 and borrowed is None:
        return [m]
    kb, words = sent.kb, sent.words
    tour = kb.token_sets["fw:tour_words"]
    inclusion = kb.token_sets["fw:inclusion_words"]
    span = range(max(sent.t0, _token_at(sent, lo)), sent.t1)
    tour_tok = next((k for k in span if words[k] in tour or words[k][1:] in tour), None)
    incl_tok = next((k for k in span if tour_tok is not None and k > tour_tok and words[k] in inclusion), None)
    if incl_tok is None or incl_tok - (tour_tok or 0) > 3:
        return [m]
    entities = [ent for ent, *_ in sent.entity_info() if lo <= ent.start]
    named = {_country_of(sent, e) for e in entities if incl_tok < e.token <= incl_tok + _TOUR_REACH}
    visitor = borrowed or next((_country_of(sent, e) for e in entities if _country_of(sent, e) in m.countries), None)
    stops: set[str] = {c for c in named if c is not None and c in m.countries and c != visitor}
    if borrowed is not None and stops:
        status = m.status or (m.previous.status if m.previous else None) or "planned"
        return [replace(m, countries={borrowed, c}, location=None, status=status) for c in sorted(stops)]
    if visitor is None or not stops or len(m.countries - stops) < 2:
        return [m]
    status = m.status or "planned"
    first = replace(m, countries=m.countries - stops)
    return [first, *(replace(m, countries={visitor, c}, location=None, status=status) for c in sorted(stops))]


def _visitor_of_previous_visit(sent: Sentence, m: ScopeMention) -> str | None:
    """ "وصل أردوغان إلى جدة في مستهل زيارة إلى السعودية ضمن جولة خليجية تشمل الإمارات وقطر": a tour named
    after a visit in its sentence is the visitor's; he is the side of that visit that is not the host."""
    prev = m.previous
    if prev is None or m.status == "held" or len(prev.countries) != 2 or prev.countries & m.countries:
        return None
    hosts = {sent.kb.places[prev.location[1]].country} if prev.location else set()
    visitor = prev.countries - hosts
    return next(iter(visitor)) if len(visitor) == 1 and hosts else None


def _token_at(sent: Sentence, pos: int) -> int:
    return sent.scan.tix.at_or_after(pos)


_TOUR_REACH = 8  # "تشمل إلى جانب المملكة كلا من قطر والإمارات": the stops follow "تشمل"
_WITH_REACH = 6  # "مع الوفدين الإيراني والروسي": the sides met are named right after "مع"


def _split_bilateral(sent: Sentence, m: ScopeMention, lo: int) -> list[ScopeMention]:
    """ "أجرى الوفد التركي مباحثات ثنائية مع الوفدين الإيراني والروسي": one side met each of the
    others apart, so each pair is a meeting of its own."""
    if not m.bilateral or len(m.countries) < 3:
        return [m]
    with_words = sent.kb.token_sets["fw:with_words"]
    first_tok = next((ent.token for ent in sent.triggers if ent.start == m.start), sent.t0)
    with_tok = next((k for k in range(first_tok, sent.t1) if sent.words[k] in with_words), None)
    if with_tok is None:
        return [m]
    after = {
        _country_of(sent, ent)
        for ent, *_ in sent.entity_info()
        if lo <= ent.start and with_tok < ent.token <= with_tok + _WITH_REACH
    }
    others = {c for c in after if c in m.countries}
    subject = m.countries - others
    if len(subject) != 1 or len(others) < 2:
        return [m]
    return [replace(m, countries=subject | {other}) for other in sorted(others)]


def _country_of(sent: Sentence, ent: Match) -> str | None:
    if ent.category == "place":
        return sent.kb.places[ent.refs[0]].country
    return ent.refs[0] if ent.category in ("actor", "adjective") else None


def _after_margin(kb: KnowledgeBase, words: list[str], token: int, first: int) -> bool:
    """Whether "هامش" stands within the two words before `token` ("على هامش الاجتماع")."""
    margin = kb.token_sets["fw:margin_words"]
    return any(words[k] in margin for k in (token - 1, token - 2) if k >= first)


def _definite(kb: KnowledgeBase, word: str) -> bool:
    """A word with the article, after any proclitic ("اللقاء", "واللقاء", "باللقاء", "للقاء" is not: purpose)."""
    return any(word.startswith(prefix) for prefix in kb.token_sets["fw:definite_prefixes"])


def is_attendance(kb: KnowledgeBase, scan: Scan, sent: Sentence, group: list[Match]) -> bool:
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
        if w not in kb.token_sets["fw:in_words"]:
            return False
    return False
