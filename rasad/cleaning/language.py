"""Script-based language checks: enough to tell Arabic pages from others without a model."""

from __future__ import annotations

import re

_ARABIC_LETTER = re.compile(r"[\u0621-\u064A\u0671-\u06D3\u06FA-\u06FF\u0750-\u077F]")
_LATIN_LETTER = re.compile(r"[A-Za-z\u00C0-\u024F]")
_CYRILLIC_LETTER = re.compile(r"[\u0400-\u04FF]")
_HEBREW_LETTER = re.compile(r"[\u05D0-\u05EA]")
# Persian- and Urdu-only letters: pe, che, zhe, gaf, keheh, farsi yeh, and Urdu tte/dde/rre/noon ghunna.
_PERSIAN_ONLY = re.compile(r"[\u067E\u0686\u0698\u06AF\u06A9\u06CC\u0679\u0688\u0691\u06BA]")


def arabic_share(text: str) -> float:
    """Share of Arabic-script letters among all letters of `text` (0 when it has no letters)."""
    arabic = len(_ARABIC_LETTER.findall(text))
    letters = arabic + len(_LATIN_LETTER.findall(text)) + len(_CYRILLIC_LETTER.findall(text))
    letters += len(_HEBREW_LETTER.findall(text))
    return arabic / letters if letters else 0.0


_ENGLISH_WORDS = re.compile(r"\b(the|and|of|to|in|that|is|was|for|with|on|said)\b", re.IGNORECASE)


def detect_language(text: str) -> str | None:
    """A best guess from the script: 'ar', 'fa' (Persian/Urdu letters), 'en', or None when unsure."""
    share = arabic_share(text)
    if share >= 0.5:
        arabic = len(_ARABIC_LETTER.findall(text))
        if arabic and len(_PERSIAN_ONLY.findall(text)) / arabic > 0.01:
            return "fa"
        return "ar"
    latin = len(_LATIN_LETTER.findall(text))
    if latin > 20 and share < 0.2 and len(_ENGLISH_WORDS.findall(text)) * 20 >= len(text.split()):
        return "en"
    return None
