"""Sentences, their indexes of matches, and trigger groups with the scope each one governs."""

from __future__ import annotations

import re
from bisect import bisect_left

from rasad.extraction.kb import KnowledgeBase, PlaceSpec
from rasad.extraction.matcher import Match, Scan
from rasad.text.sentences import SENTENCE_END

_CLAUSE_MARKS = "،,:؛;"
CLAUSE = re.compile(f"[{_CLAUSE_MARKS}]")


QUOTE_OPEN = re.compile(r"[\"“«:]")


def split_sentences(text: str, max_chars: int = 0) -> list[tuple[int, int, bool]]:
    """(start, end, is_heading) of each sentence; with `max_chars`, longer ones are cut into pieces."""
    out = []
    pos = 0
    for m in SENTENCE_END.finditer(text):
        end = m.end()
        seg = text[pos:end].strip()
        if seg:
            heading = m.group() == "\n" and len(seg.split()) < 12 and not seg.endswith((".", "،", ":"))
            out.extend(_pieces(text, pos, end, heading, max_chars))
        pos = end
    if text[pos:].strip():
        out.extend(_pieces(text, pos, len(text), False, max_chars))
    return out


def _pieces(text: str, start: int, end: int, heading: bool, max_chars: int) -> list[tuple[int, int, bool]]:
    """A sentence, or pieces of at most `max_chars` cut after its last clause break (or space) in reach."""
    if not max_chars or end - start <= max_chars:
        return [(start, end, heading)]
    out = []
    while end - start > max_chars:
        window = text[start : start + max_chars]
        cut = max(window.rfind(c) for c in _CLAUSE_MARKS)
        if cut < max_chars // 2:
            cut = window.rfind(" ")
        cut = start + (cut + 1 if cut >= max_chars // 2 else max_chars)
        out.append((start, cut, False))
        start = cut
    out.append((start, end, False))
    return out


def with_conjunction(word: str, words: frozenset[str]) -> bool:
    """Whether `word`, or `word` after a prefixed و or ف, is one of `words`."""
    return word in words or (word[:1] in "وف" and word[1:] in words)


def in_regions(regions: list[tuple[int, int]], pos: int) -> bool:
    for s, e in regions:  # noqa: SIM110 - a plain loop: called per entity, any() costs a generator
        if s <= pos < e:
            return True
    return False


_CLAUSE_GAPS: dict[str, bool] = {}  # separator text -> contains a clause break (few distinct values)


def _clause_gap(gap: str) -> bool:
    flag = _CLAUSE_GAPS.get(gap)
    if flag is None:
        flag = CLAUSE.search(gap) is not None
        if len(_CLAUSE_GAPS) > 10_000:
            _CLAUSE_GAPS.clear()
        _CLAUSE_GAPS[gap] = flag
    return flag


class Sentence:
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
        self.governed: set[int] | None = None  # held cues under a modal word (modality.py), per sentence
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
        country_end_toks = {
            e.token_end for e in self.entities if e.category == "place" and kb.places[e.refs[0]].kind == "country"
        }
        heads = kb.token_sets["fw:place_heads"]
        capital_heads = kb.token_sets["fw:capital_heads"]
        out = []
        for ent in self.entities:
            prev_tok = ent.token - 1
            prev = words[prev_tok] if prev_tok >= t0 else ""
            prefix = text[toks[ent.token][0] : ent.start]
            prev2 = words[prev_tok - 1] if prev_tok - 1 >= t0 else ""
            after_adjective = prev_tok in adjective_toks and (prev2 in preps or prev2 in heads or prev2[1:] in heads)
            # "في عاصمة كازاخستان أستانا": the city after "the capital of X" is where
            after_capital_of = prev_tok in country_end_toks and prev2 in capital_heads
            addition = prev in kb.token_sets["fw:toward_words"] and prev2 in kb.token_sets["fw:addition_words"]
            prepped = not addition and (
                prev in preps
                or "ب" in prefix
                or prefix in kb.token_sets["fw:in_words"]
                or prev in heads
                or prev[1:] in heads
                or after_adjective
                or after_capital_of
            )
            place = kb.places[ent.refs[0]] if ent.category == "place" else None
            not_a_side = ent.category == "adjective" and (
                (prev_tok in nonparty_toks and prev_tok not in title_end_toks)
                or prev_tok in place_end_toks  # "هاتاي التركية", "قاعدة حميميم الروسية": whose place
                or (prev in kb.token_sets["fw:place_qualifiers"] and prev_tok - 1 in place_end_toks)
                or prev in capital_heads
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
                if QUOTE_OPEN.search(self.between(k)) and self._real_quote(k):
                    hide.append((m.start, self.scan.tokens[k][0]))
                    break
                tok = self.tok(k)
                if tok in self.kb.token_sets["fw:report_about"] and self._discloses(m):
                    hide.append((m.start, self.scan.tokens[k][1]))  # "كشف الوزير عن قرب عقد اجتماع"
                    break
                bare = tok[1:] if tok[:1] in "وف" and tok[1:] in comps else tok
                if bare in comps:
                    (keep if bare in self.kb.token_sets["fw:pronoun_complementizers"] else hide).append(
                        (m.start, self.scan.tokens[k][1])
                    )
                    break
        return hide, keep

    def _discloses(self, verb: Match) -> bool:
        """A verb of disclosure ("كشف عن", "أعلن عن"), whose "عن" opens what is reported, not a source."""
        return with_conjunction(self.words[verb.token_end], self.kb.token_sets["fw:report_about_verbs"])

    def _real_quote(self, k: int) -> bool:
        """A ':' or a quotation of three words or more (not a quoted name such as “تاس”, nor the title of
        what a meeting word names: توقيع "مذكرة التفاهم المشتركة للتدريب")."""
        gap = self.between(k)
        if ":" in gap:
            return True
        if any(t.token_end == k - 1 for t in self.triggers):
            return False
        if '"' in gap and self.scan.text.count('"', self.s, self.scan.tokens[k][0] - len(gap)) % 2:
            return False  # the straight quote that closes one opened earlier in the sentence
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
            comps = self.kb.token_sets["complementizers"]
            for k in range(m.token_end + 1, end_tok):
                # a clause break, or "أن" opening what a statement says ("جاء في بيان الوزارة أنه قد انطلقت
                # في 11 تشرين الثاني الجولة"): what follows is the report, not its source
                if self.clause_before(k) or self.tok(k) in comps:
                    stop = toks[k - 1][1]
                    break
            for ts in trigger_starts:
                if m.end <= ts < stop:
                    stop = ts
            out.append((m.start, max(stop, m.end)))
        return out
