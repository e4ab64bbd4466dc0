"""Script-based language checks: enough to tell Arabic pages from others without a model."""

from __future__ import annotations

import re

_ARABIC_LETTER = re.compile(r"[\u0621-\u064A\u0671-\u06D3\u06FA-\u06FF\u0750-\u077F]")
_LATIN_LETTER = re.compile(r"[A-Za-z\u00C0-\u024F]")
_CYRILLIC_LETTER = re.compile(r"[\u0400-\u04FF]")
_HEBREW_LETTER = re.compile(r"[\u05D0-\u05EA]")
# Persian- and Urdu-only letters: pe, che, zhe, gaf, keheh, farsi yeh, and Urdu tte/dde/rre/noon ghunna.
_PERSIAN_ONLY = re.compile(r"[\u067E\u0686\u0698\u06AF\u06A9\u06CC\u0679\u0688\u0691\u06BA]")


# Runs of each class: the summed run lengths count the letters with one match per word, not per letter.
_ARABIC_RUN = re.compile(_ARABIC_LETTER.pattern + "+")
_OTHER_RUN = re.compile(
    "[" + "".join(p.pattern[1:-1] for p in (_LATIN_LETTER, _CYRILLIC_LETTER, _HEBREW_LETTER)) + "]+"
)


def _count(run: re.Pattern[str], text: str) -> int:
    return sum(map(len, run.findall(text)))


def letter_counts(text: str) -> tuple[int, int]:
    """(Arabic-script letters, all letters counted by `arabic_share`) of `text`."""
    arabic = _count(_ARABIC_RUN, text)
    return arabic, arabic + _count(_OTHER_RUN, text)


def arabic_share(text: str) -> float:
    """Share of Arabic-script letters among all letters of `text` (0 when it has no letters)."""
    arabic, letters = letter_counts(text)
    return arabic / letters if letters else 0.0


_LATIN_RUN = re.compile(_LATIN_LETTER.pattern + "+")
_ENGLISH_WORDS = re.compile(r"\b(the|and|of|to|in|that|is|was|for|with|on|said)\b", re.IGNORECASE)


def detect_language(text: str) -> str | None:
    """A best guess from the script: 'ar', 'fa' (Persian/Urdu letters), 'en', or None when unsure."""
    return detect_language_with_share(text)[0]


def detect_language_with_share(text: str) -> tuple[str | None, float]:
    """`detect_language(text)` and `arabic_share(text)`, counting the letters once."""
    arabic, letters = letter_counts(text)
    share = arabic / letters if letters else 0.0
    return _detect(text, arabic, share), share


def _detect(text: str, arabic: int, share: float) -> str | None:
    if share >= 0.5:
        if arabic and len(_PERSIAN_ONLY.findall(text)) / arabic > 0.01:
            return "fa"
        return "ar"
    latin = _count(_LATIN_RUN, text)
    if latin > 20 and share < 0.2 and len(_ENGLISH_WORDS.findall(text)) * 20 >= len(text.split()):
        return "en"
    return None
