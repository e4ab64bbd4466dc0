"""Highlighted snippets: the original text around the matches, matched words in `<mark>`.

Matching is done word by word on the folded form, so "وموسكو" in the article is marked for the
query "موسكو", whatever the hamza, diacritics or clitics of the original.
"""

from __future__ import annotations

import re
from functools import lru_cache
from html import escape

from rasad.search.terms import MIN_STEM, index_words, stems

_WORD = re.compile(r"\S+")
SNIPPET_WORDS = 36


@lru_cache(maxsize=200_000)
def _folded(word: str) -> tuple[tuple[str, tuple[str, ...]], ...]:
    """The index forms of an original word, each with its stems (cached: news reuses its words)."""
    return tuple((w, tuple(stems(w))) for w in index_words(word))


class _Matcher:
    """Decides, with a memo, whether words match the searched forms of one query."""

    def __init__(self, targets: frozenset[str]) -> None:
        self.targets = targets
        inner = sorted((t for t in targets if len(t) > MIN_STEM), key=len, reverse=True)
        self.inner = re.compile("|".join(map(re.escape, inner))) if inner else None
        self.memo: dict[str, bool] = {}

    def __call__(self, word: str) -> bool:
        hit = self.memo.get(word)
        if hit is None:
            if len(self.memo) > 50_000:
                self.memo.clear()
            hit = self.memo[word] = self._match(word)
        return hit

    def _match(self, word: str) -> bool:
        for folded, folded_stems in _folded(word):
            if folded in self.targets or any(s in self.targets for s in folded_stems):
                return True
            # SQLite's trigram index matches inside words ("اجتماعات" for "اجتماع"): mark those too.
            if self.inner is not None and self.inner.search(folded):
                return True
        return False


@lru_cache(maxsize=64)
def _matcher(targets: frozenset[str]) -> _Matcher:
    return _Matcher(targets)


def word_matches(word: str, targets: frozenset[str]) -> bool:
    """Whether an original word (any spelling, with clitics) is one of the searched forms."""
    return _matcher(targets)(word)


def highlight(text: str, targets: frozenset[str]) -> str:
    """The whole text, HTML-escaped, with matching words marked."""
    return _render(text, [(m.start(), m.end()) for m in _WORD.finditer(text)], targets)[0]


def snippet(text: str, targets: frozenset[str], size: int = SNIPPET_WORDS) -> str:
    """The window of `size` words with the most matches, HTML-escaped, matches marked, … at cuts."""
    spans = [(m.start(), m.end()) for m in _WORD.finditer(text)]
    if not spans:
        return ""
    hits = [word_matches(text[s:e], targets) for s, e in spans]
    best, best_count, count = 0, -1, 0
    for i, hit in enumerate(hits):
        count += hit
        if i >= size:
            count -= hits[i - size]
        start = max(0, i - size + 1)
        if count > best_count:
            best, best_count = start, count
    first = 0
    if best_count > 0:
        window_hits = [j for j in range(best, min(best + size, len(hits))) if hits[j]]
        first = max(0, window_hits[0] - 3)  # a little context before the first match
        first = max(first, window_hits[-1] - size + 1)  # but keep the last match in view
    window = spans[first : first + size]
    body = _render(text, window, targets, hits=hits[first : first + size])[0]
    prefix = "… " if first > 0 else ""
    suffix = " …" if first + size < len(spans) else ""
    return prefix + body + suffix


def _render(
    text: str, spans: list[tuple[int, int]], targets: frozenset[str], hits: list[bool] | None = None
) -> tuple[str, int]:
    out: list[str] = []
    marked = 0
    for i, (s, e) in enumerate(spans):
        if out:
            out.append(escape(text[spans[i - 1][1] : s]) if i else "")
        word = text[s:e]
        hit = hits[i] if hits is not None else word_matches(word, targets)
        if hit:
            marked += 1
            out.append(f"<mark>{escape(word)}</mark>")
        else:
            out.append(escape(word))
    return "".join(out), marked
