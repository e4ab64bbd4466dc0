"""Normalization that remembers where every character came from.

`normalize_arabic` is lossy (drops diacritics, tatweel, bidi marks; folds letters; collapses
spaces), so positions in its output are not positions in the article. `NormalizedText` applies
the same folding character by character and keeps, for each output character, the offset of
the original character it came from, so matches found in the normalized text can be reported
as offsets into the untouched body.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

from rasad.text.arabic import normalize_arabic

# Characters normalize_arabic deletes (diacritics, tatweel, bidi controls), and whitespace.
_DROP = (
    "\u0610-\u061a\u064b-\u065f\u0670\u06d6-\u06dc\u06df-\u06e8\u06ea-\u06ed"
    "\u0640\u200b-\u200f\u202a-\u202e\u2066-\u2069\ufeff"
)
# Runs of dropped characters or whitespace, except a lone space (by far the commonest gap, kept as is).
_GAP = re.compile(f"(?:[{_DROP}]|\\s){{2,}}|[{_DROP}\\n\\t\\r\\f\\v\\xa0\\u2000-\\u200a\\u2028\\u2029\\u3000]")
# When the only whitespace is " " and "\n" (the usual article, diacritics or not), the same gaps are
# found by a pattern the regex engine scans about twice as fast: a dropped character or a newline,
# or a space before another gap character, then the rest of the run.
_RARE_SPACE = re.compile("[\\t\\r\\f\\v\\x1c-\\x1f\\x85\\xa0\\u1680\\u2000-\\u200a\\u2028\\u2029\\u202f\\u205f\\u3000]")
_PLAIN_GAP = re.compile(f"(?:[{_DROP}\\n]| (?=[{_DROP} \\n]))[{_DROP} \\n]*")
_FOLD_PAIRS = [(c, normalize_arabic(c)) for c in "أإآٱىئؤةیکۀگچپڤ٠١٢٣٤٥٦٧٨٩۰۱۲۳۴۵۶۷۸۹"]

_CHAR_CACHE: dict[str, str] = {}


def _fold_char(ch: str) -> str:
    folded = _CHAR_CACHE.get(ch)
    if folded is None:
        folded = "" if ch.isspace() else normalize_arabic(ch)
        _CHAR_CACHE[ch] = folded
    return folded


@dataclass(frozen=True, slots=True)
class NormalizedText:
    """A folded copy of `original` with a map back to original offsets.

    `text[i]` came from `original[index[i]]`; `index` has one extra entry, `len(original)`,
    so that an exclusive end offset maps cleanly. Whitespace runs become one space, or one
    newline when the run contains a line break (paragraphs and headings matter downstream).
    """

    original: str
    text: str
    index: list[int]

    def to_original(self, start: int, end: int) -> tuple[int, int]:
        """Map a half-open span of the normalized text to a half-open span of the original."""
        if end <= start:
            pos = self.index[start]
            return pos, pos
        return self.index[start], self.index[end - 1] + 1

    def original_slice(self, start: int, end: int) -> str:
        """The original text under a normalized span."""
        s, e = self.to_original(start, end)
        return self.original[s:e]


def normalize_with_offsets(text: str) -> NormalizedText:
    """Fold `text` like `normalize_arabic` (but keep line breaks) and record original offsets."""
    # NBSP is the usual reason a page is not NFKC; it is whitespace here either way.
    folded = text.replace("\xa0", " ") if "\xa0" in text else text
    if unicodedata.is_normalized("NFKC", folded):
        for src, dst in _FOLD_PAIRS:
            if src in folded:
                folded = folded.replace(src, dst)
        folded = folded.lower()
        if len(folded) == len(text):
            return _fast(text, folded)
    return _slow(text)


def _fast(text: str, folded: str) -> NormalizedText:
    # 1:1 character mapping: copy the kept segments and their offset ranges in bulk.
    out: list[str] = []
    index: list[int] = []
    first = len(folded) - len(folded.lstrip())
    last = len(folded.rstrip())
    pos = first
    gaps = _GAP if _RARE_SPACE.search(folded, first, last) else _PLAIN_GAP
    for m in gaps.finditer(folded, first, last):
        a, b = m.span()
        if a > pos:
            out.append(folded[pos:a])
            index.extend(range(pos, a))
        gap = folded[a:b]
        if (b < last and not gap.isprintable()) or " " in gap:
            ws = next((i for i, ch in enumerate(gap) if ch.isspace()), -1)
            if ws >= 0 and b < last:
                out.append("\n" if "\n" in gap else " ")
                index.append(a + ws)
        pos = b
    if pos < last:
        out.append(folded[pos:last])
        index.extend(range(pos, last))
    index.append(len(text))
    return NormalizedText(text, "".join(out), index)


def _slow(text: str) -> NormalizedText:
    out: list[str] = []
    index: list[int] = []
    pending_space = -1
    pending_newline = False
    for i, ch in enumerate(text):
        if ch.isspace():
            if pending_space < 0:
                pending_space = i
            if ch == "\n":
                pending_newline = True
            continue
        folded = _fold_char(ch)
        if not folded:
            continue
        if pending_space >= 0:
            if out:
                out.append("\n" if pending_newline else " ")
                index.append(pending_space)
            pending_space = -1
            pending_newline = False
        for f in folded:
            out.append(f)
            index.append(i)
    index.append(len(text))
    return NormalizedText(text, "".join(out), index)
