"""Dates in Arabic news text: a small grammar over the normalized text, vocabulary from data.

Finds Levantine, Egyptian/Gulf and Maghrebi month names (alone or paired: "حزيران /يونيو"),
day ranges ("يومي 3 و4 أبريل"), numeric dates ("2023.03.02", Arabic-Indic digits are already
folded), Hijri dates, weekdays, day words (أمس، اليوم) and relative periods (الشهر الماضي، نهاية
العام الفائت، مطلع شهر شباط). Relative expressions resolve against the publication date; without
one they are dropped. Each date is an interval [lo, hi] plus the value reported at its precision.
"""

from __future__ import annotations

import calendar
import datetime as dt
import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from itertools import compress

from hijridate import Hijri

from rasad.extraction.kb import KnowledgeBase
from rasad.text.arabic import normalize_arabic


@dataclass(frozen=True, slots=True)
class DateMention:
    """A date expression at [start, end) of the normalized text, resolved to an interval."""

    start: int
    end: int
    lo: dt.date
    hi: dt.date
    precision: str  # day | month | year
    relative: bool

    @property
    def value(self) -> str:
        """ISO date, YYYY-MM or YYYY, by precision."""
        if self.precision == "day":
            return self.lo.isoformat()
        if self.precision == "month":
            return f"{self.lo.year:04d}-{self.lo.month:02d}"
        return f"{self.lo.year:04d}"


def date_interval(value: str | None) -> tuple[dt.date, dt.date] | None:
    """The first and last day a `DateMention.value` can mean (YYYY-MM-DD, YYYY-MM, YYYY); None when unknown."""
    if not value:
        return None
    try:
        if len(value) == 4:
            year = int(value)
            return dt.date(year, 1, 1), dt.date(year, 12, 31)
        if len(value) == 7:
            start = dt.date.fromisoformat(value + "-01")
            return start, start.replace(day=calendar.monthrange(start.year, start.month)[1])
        day = dt.date.fromisoformat(value[:10])
        return day, day
    except ValueError:
        return None


def _alt(words: list[str]) -> str:
    keys = sorted({normalize_arabic(w) for w in words if w}, key=len, reverse=True)
    return "|".join(re.escape(k) for k in keys)


@dataclass(frozen=True)
class _Grammar:
    regex: re.Pattern[str]
    months: dict[str, int]
    hijri: dict[str, int]
    weekdays: dict[str, int]
    past: frozenset[str]
    future: frozenset[str]
    current: frozenset[str]
    day_words: dict[str, int]
    periods: Mapping[str, str]
    parts: Mapping[str, tuple[str, int, int]]
    ambiguous_months: frozenset[str]
    month_anchors: frozenset[str]
    keywords: frozenset[str]
    word_starts: tuple[str, ...] = ()  # every date word, for telling a clitic from a word's first letter
    first_words: frozenset[str] = frozenset()  # words a date expression can begin with (after clitics)
    anchor_memo: dict[str, bool] = field(default_factory=dict)  # word -> opens a date window
    starter_memo: dict[str, bool] = field(default_factory=dict)  # word -> a date can begin with it


def _grammar(kb: KnowledgeBase) -> _Grammar:
    cached = kb.caches.get("date_grammar")
    if cached is not None:
        return cached
    lex = kb.dates
    months = {normalize_arabic(w): m for m, ws in lex.gregorian_months.items() for w in ws}
    hijri = {normalize_arabic(w): m for m, ws in lex.hijri_months.items() for w in ws}
    weekdays = {normalize_arabic(w): d for d, ws in lex.weekdays.items() for w in ws}
    day_words = {normalize_arabic(w): off for w, off in lex.day_words.items()}
    periods = {normalize_arabic(w): p for p, ws in lex.periods.items() for w in ws}
    parts = {normalize_arabic(w): (name, spec.day, spec.month) for name, spec in lex.parts.items() for w in spec.words}
    M = _alt(list(months))
    H = _alt(list(hijri))
    WD = _alt(list(weekdays))
    REL = _alt(lex.past + lex.future + lex.current)
    PART = _alt(list(parts))
    PER = _alt(list(periods))
    DW = _alt(list(day_words))
    HM = _alt(lex.hijri_markers)
    pre = r"(?<![\w])(?:[وفبل]{0,2})"
    pattern = (
        "(?<!\\w)(?:"
        + "|".join(
            [
                # 2023.03.02 / 2023-03-02
                r"(?P<iso>(?<!\d)(?P<iy>\d{4})[./-](?P<im>\d{1,2})[./-](?P<id>\d{1,2})(?!\d))",
                # 02/03/2023 (day first)
                r"(?P<dmy>(?<!\d)(?P<nd>\d{1,2})[./-](?P<nm>\d{1,2})[./-](?P<ny>\d{4})(?!\d))",
                # 15 رمضان 1444 هـ
                rf"(?P<hij>(?<!\d)(?P<hd>\d{{1,2}})\s+(?:من\s+)?(?:شهر\s+)?(?P<hm>{H})\s+(?:(?:عام|سنه)\s+)?(?P<hy>1[34]\d\d)(?:\s*(?:{HM})(?!\w))?)",
                # [weekday] [day [و day]] [من] [part] [شهر] month [/ month] [year] [past|future|current]
                rf"(?P<greg>{pre}(?:(?P<gwd>{WD})\s+)?(?:(?P<d1>\d{{1,2}})\s*(?:(?:و|-|–|الى|حتى)\s*(?P<d2>\d{{1,2}})\s*)?(?:من\s+)?)?"
                rf"(?:(?P<gpart>{PART})\s+)?(?:(?:شهر)\s+)?(?P<m1>{M})(?!\w)(?:\s*[/(،-]?\s*(?P<m2>{M})(?!\w)(?:\s*\))?)?"
                rf"(?:\s*(?:من\s+)?(?:(?:عام|العام|سنه)\s+)?(?P<gy>(?:19|20)\d\d)(?!\d))?(?:\s+(?P<grel>{REL})(?!\w))?)",
                # أمس الأربعاء / اليوم الثلاثاء / أول أمس
                rf"(?P<dw>{pre}(?P<dword>{DW})(?!\w)(?:\s+(?P<dwwd>{WD})(?!\w))?)",
                # [part] الأسبوع/الشهر/العام الماضي / هذا الشهر
                rf"(?P<per>{pre}(?:(?P<ppart>{PART})\s+)?(?:(?P<pcur>هذا|هذه)\s+)?(?P<pname>{PER})(?!\w)(?:\s+(?P<prel>{REL})(?!\w))?)",
                # [part] عام 2023 / [part] 2023
                rf"(?P<yr>{pre}(?:(?P<ypart>{PART})\s+)?(?:(?:عام|العام|سنه)\s+)(?P<yy>(?:19|20)\d\d)(?!\d))",
                # weekday alone: [يوم] الثلاثاء [الماضي]
                rf"(?P<wd>{pre}(?:يوم\s+)?(?P<wname>{WD})(?!\w)(?:\s+(?P<wrel>{REL})(?!\w))?)",
            ]
        )
        + ")"
    )
    grammar = _Grammar(
        regex=re.compile(pattern),
        months=months,
        hijri=hijri,
        weekdays=weekdays,
        past=frozenset(normalize_arabic(w) for w in lex.past),
        future=frozenset(normalize_arabic(w) for w in lex.future),
        current=frozenset(normalize_arabic(w) for w in lex.current),
        day_words=day_words,
        periods=periods,
        parts=parts,
        ambiguous_months=frozenset({"اب", "ماي", "اوت", "مارس"}),
        keywords=frozenset(
            word for phrase in [*months, *hijri, *weekdays, *day_words, *periods] for word in phrase.split()
        ),
        month_anchors=frozenset(
            normalize_arabic(w)
            for w in [
                "في",
                "خلال",
                "منذ",
                "شهر",
                "حتى",
                "بداية",
                "مطلع",
                "منتصف",
                "نهاية",
                "اواخر",
                "اوائل",
                "قبل",
                "بعد",
            ]
        ),
        word_starts=tuple(day_words) + tuple(weekdays) + tuple(months) + tuple(periods) + tuple(parts),
        first_words=frozenset(
            phrase.split()[0]
            for phrase in [
                *months,
                *weekdays,
                *day_words,
                *periods,
                *parts,
                "شهر",
                "عام",
                "العام",
                "سنه",
                "هذا",
                "هذه",
                "يوم",
            ]
            if phrase.split()
        ),
    )
    kb.caches["date_grammar"] = grammar
    return grammar


def _month_end(year: int, month: int) -> dt.date:
    return dt.date(year, month, calendar.monthrange(year, month)[1])


def _safe_date(y: int, m: int, d: int) -> dt.date | None:
    try:
        return dt.date(y, m, d)
    except ValueError:
        return None


def _pick_year(month: int, day: int, rel: str | None, g: _Grammar, pub: dt.date) -> int:
    """Year of a day/month given without one: by past/future word, else nearest to publication."""
    options = []
    for y in (pub.year - 1, pub.year, pub.year + 1):
        d = _safe_date(y, month, min(day, calendar.monthrange(y, month)[1]))
        if d is not None:
            options.append((y, d))
    if not options:  # no such day in any year ("0 يناير"): the caller drops the date
        return pub.year
    if rel in g.past:
        past = [o for o in options if o[1] <= pub]
        return past[-1][0] if past else pub.year
    if rel in g.future:
        future = [o for o in options if o[1] >= pub]
        return future[0][0] if future else pub.year
    if rel in g.current:
        return pub.year
    return min(options, key=lambda o: abs((o[1] - pub).days))[0]


_TOKEN = re.compile(r"\w+")


def find_dates(
    kb: KnowledgeBase,
    text: str,
    published: dt.date | None,
    tokens: list[tuple[int, int]] | None = None,
    words: list[str] | None = None,
) -> list[DateMention]:
    """All date expressions of the normalized `text`, resolved where possible, in text order.

    `tokens` (word spans) and `words` (their text) may be passed when the caller already has them
    (the matcher's scan), so the text is not tokenized twice.
    """
    g = _grammar(kb)
    if tokens is None or words is None:
        tokens = [m.span() for m in _TOKEN.finditer(text)]
        words = [text[s:e] for s, e in tokens]
    if not words:
        return []
    out: list[DateMention] = []
    last_end = -1
    for a, b in _windows(g, words):
        last_end = _dates_in_window(g, text, tokens, words, (a, b), published, last_end, out)
    return out


def _windows(g: _Grammar, words: list[str]) -> list[list[int]]:
    """Token ranges around anchor words (digits, month/day/period words), merged where they overlap.

    The grammar only runs in these windows: scanning whole articles with it is several times slower.
    """
    anchors = g.anchor_memo
    flags = list(map(anchors.get, words))
    if None in flags:
        for i, tok in enumerate(words):
            if flags[i] is None:
                flags[i] = _memo_word(anchors, tok, _is_anchor(g, tok))
    windows: list[list[int]] = []
    last = len(words) - 1
    for i in compress(range(len(words)), flags):
        a, b = (i - 4 if i >= 4 else 0), (i + 6 if i + 6 < last else last)
        if windows and a <= windows[-1][1]:
            if b > windows[-1][1]:
                windows[-1][1] = b
        else:
            windows.append([a, b])
    return windows


def _dates_in_window(
    g: _Grammar,
    text: str,
    tokens: list[tuple[int, int]],
    words: list[str],
    window: tuple[int, int],
    published: dt.date | None,
    last_end: int,
    out: list[DateMention],
) -> int:
    """Dates of one window appended to `out`; returns where the last match ended.

    The grammar is tried only at words that can open a date: every alternative starts at a word
    boundary with a digit or a date word (after at most two clitic letters).
    """
    a, b = window
    starters = g.starter_memo
    match = g.regex.match
    we = tokens[b][1]
    for k in range(a, b + 1):
        pos = tokens[k][0]
        if pos < last_end:
            continue
        tok = words[k]
        ok = starters.get(tok)
        if ok is None:
            ok = _memo_word(starters, tok, _is_starter(g, tok))
        if not ok:
            continue
        m = match(text, pos, we)
        if m is None:
            continue
        mention = _resolve(m, g, published, text)
        if mention is not None:
            out.append(mention)
        last_end = m.end()
    return last_end


def _memo_word(memo: dict[str, bool], word: str, value: bool) -> bool:
    if len(memo) < 100_000:
        memo[word] = value
    return value


def _is_anchor(g: _Grammar, tok: str) -> bool:
    keywords = g.keywords
    return tok[0].isdigit() or tok in keywords or tok[1:] in keywords or tok[2:] in keywords


def _is_starter(g: _Grammar, tok: str) -> bool:
    """Whether a date expression can begin with this word (a digit, or a first word after clitics)."""
    first = g.first_words
    for n in range(min(3, len(tok))):
        if n and tok[n - 1] not in "وفبل":
            return False
        if tok[n].isdecimal() or tok[n:] in first:
            return True
    return False


def _resolve(m: re.Match[str], g: _Grammar, pub: dt.date | None, text: str) -> DateMention | None:
    s, e = m.span()
    # leading clitics belong to the word, not to the date; skip them in the span
    while s < e and text[s] in "وفبل" and text[s : s + 2] not in ("ال",) and not text[s:e].startswith(g.word_starts):
        s += 1
    for group, reader in _READERS:
        if m.group(group):
            return reader(m, g, pub, text, s, e)
    return None


def _iso(m: re.Match[str], g: _Grammar, pub: dt.date | None, text: str, s: int, e: int) -> DateMention | None:
    d = _safe_date(int(m.group("iy")), int(m.group("im")), int(m.group("id")))
    return DateMention(s, e, d, d, "day", False) if d else None


def _dmy(m: re.Match[str], g: _Grammar, pub: dt.date | None, text: str, s: int, e: int) -> DateMention | None:
    d = _safe_date(int(m.group("ny")), int(m.group("nm")), int(m.group("nd")))
    return DateMention(s, e, d, d, "day", False) if d else None


def _hijri(m: re.Match[str], g: _Grammar, pub: dt.date | None, text: str, s: int, e: int) -> DateMention | None:
    try:
        d = Hijri(int(m.group("hy")), g.hijri[m.group("hm")], int(m.group("hd"))).to_gregorian()
    except (ValueError, OverflowError):
        return None
    day = dt.date(d.year, d.month, d.day)
    return DateMention(s, e, day, day, "day", False)


def _day_word(m: re.Match[str], g: _Grammar, pub: dt.date | None, text: str, s: int, e: int) -> DateMention | None:
    if pub is None:
        return None
    day = pub + dt.timedelta(days=g.day_words[m.group("dword")])
    return DateMention(s, e, day, day, "day", True)


def _period_of(m: re.Match[str], g: _Grammar, pub: dt.date | None, text: str, s: int, e: int) -> DateMention | None:
    return _period(m, g, pub, s, e)


def _year(m: re.Match[str], g: _Grammar, pub: dt.date | None, text: str, s: int, e: int) -> DateMention | None:
    year = int(m.group("yy"))
    part = m.group("ypart")
    if part:
        _, _, month = g.parts[part]
        lo = dt.date(year, month, 1)
        return DateMention(s, e, lo, _month_end(year, month), "month", False)
    return DateMention(s, e, dt.date(year, 1, 1), dt.date(year, 12, 31), "year", False)


def _weekday(m: re.Match[str], g: _Grammar, pub: dt.date | None, text: str, s: int, e: int) -> DateMention | None:
    if pub is None:
        return None
    target = g.weekdays[m.group("wname")]
    rel = m.group("wrel")
    back = (pub.weekday() - target) % 7
    if rel in g.future:
        ahead = (target - pub.weekday()) % 7 or 7
        day = pub + dt.timedelta(days=ahead)
    else:
        if rel in g.past and back == 0:
            back = 7
        day = pub - dt.timedelta(days=back)
    return DateMention(s, e, day, day, "day", True)


def _gregorian(m: re.Match[str], g: _Grammar, pub: dt.date | None, text: str, s: int, e: int) -> DateMention | None:
    month = g.months[m.group("m1")]
    d1 = m.group("d1")
    year_s = m.group("gy")
    rel = m.group("grel")
    part = m.group("gpart")
    m1 = m.group("m1")
    anchored = bool(d1 or year_s or m.group("m2") or rel or part)
    before = text[max(0, s - 12) : s].split()
    after_anchor = bool(before) and before[-1] in g.month_anchors
    if not anchored and not after_anchor:
        return None
    # "آب"/"مارس" are also common words: they need a day, a year, a paired name, or an anchor
    # word before and a past/future word after ("خلال آب المقبل")
    if m1 in g.ambiguous_months and not (d1 or year_s or m.group("m2") or (rel and after_anchor)):
        return None
    if m.group("m2") and g.months[m.group("m2")] != month:
        return None  # two different months: not a paired form
    if year_s:
        year = int(year_s)
    elif pub is not None:
        year = _pick_year(month, int(d1) if d1 else 15, rel, g, pub)
    else:
        return None
    if d1:
        lo = _safe_date(year, month, int(d1))
        if lo is None:
            return None
        hi = _safe_date(year, month, int(m.group("d2"))) if m.group("d2") else None
        return DateMention(s, e, lo, hi if hi and hi >= lo else lo, "day", not year_s)
    lo = dt.date(year, month, 1)
    hi = _month_end(year, month)
    if part:
        name, _, _ = g.parts[part]
        lo, hi = {
            "early": (lo, lo.replace(day=10)),
            "mid": (lo.replace(day=10), lo.replace(day=20)),
            "late": (lo.replace(day=20), hi),
        }[name]
    return DateMention(s, e, lo, hi, "month", not year_s)


def _period(m: re.Match[str], g: _Grammar, pub: dt.date | None, s: int, e: int) -> DateMention | None:
    if pub is None:
        return None
    name = g.periods[m.group("pname")]
    rel = m.group("prel")
    if m.group("pcur"):
        rel = m.group("pcur")
    if rel is None:
        return None
    step = -1 if rel in g.past else 1 if rel in g.future else 0
    part = m.group("ppart")
    if name == "week":
        start = pub - dt.timedelta(days=pub.weekday()) + dt.timedelta(weeks=step)
        hi = min(start + dt.timedelta(days=6), pub) if step <= 0 else start + dt.timedelta(days=6)
        return DateMention(s, e, start, hi, "month", True)
    if name == "month":
        y, mo = pub.year, pub.month + step
        if mo < 1:
            y, mo = y - 1, 12
        elif mo > 12:
            y, mo = y + 1, 1
        lo, hi = dt.date(y, mo, 1), _month_end(y, mo)
        if part:
            pname, _, _ = g.parts[part]
            lo, hi = {
                "early": (lo, lo.replace(day=10)),
                "mid": (lo.replace(day=10), lo.replace(day=20)),
                "late": (lo.replace(day=20), hi),
            }[pname]
        return DateMention(s, e, lo, hi, "month", True)
    year = pub.year + step
    if part:
        _, _, month = g.parts[part]
        return DateMention(s, e, dt.date(year, month, 1), _month_end(year, month), "month", True)
    return DateMention(s, e, dt.date(year, 1, 1), dt.date(year, 12, 31), "year", True)


# The grammar's alternatives, in the order they are tried, and the reading of each.
_READERS = (
    ("iso", _iso),
    ("dmy", _dmy),
    ("hij", _hijri),
    ("greg", _gregorian),
    ("dw", _day_word),
    ("per", _period_of),
    ("yr", _year),
    ("wd", _weekday),
)
