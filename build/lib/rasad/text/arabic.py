"""Arabic text normalization for search and matching.

The normalized form is what indexes, matchers and near-duplicate detection see; the original
text is always kept untouched beside it. The mapping is deliberately lossy: it folds the
spelling variants that Arabic outlets use interchangeably.
"""

from __future__ import annotations

import re
import unicodedata

# Harakat, tanwin, shadda, sukun, superscript alef, Quranic marks.
_DIACRITICS = re.compile(r"[\u0610-\u061A\u064B-\u065F\u0670\u06D6-\u06DC\u06DF-\u06E8\u06EA-\u06ED]")
_TATWEEL = "\u0640"
_BIDI_CONTROLS = re.compile(r"[\u200b-\u200f\u202a-\u202e\u2066-\u2069\ufeff]")

_FOLD = str.maketrans(
    {
        "أ": "ا",
        "إ": "ا",
        "آ": "ا",
        "ٱ": "ا",
        "ى": "ي",
        "ئ": "ي",
        "ؤ": "و",
        "ة": "ه",
        "ی": "ي",  # Persian yeh
        "ک": "ك",  # Persian keheh
        "ۀ": "ه",
        "گ": "ك",
        "چ": "ج",
        "پ": "ب",
        "ڤ": "ف",
        # Arabic-Indic and Persian digits
        **{chr(0x0660 + i): str(i) for i in range(10)},
        **{chr(0x06F0 + i): str(i) for i in range(10)},
    }
)

# (character, replacement) pairs: `str.replace` for only the characters present is several times
# faster than `str.translate` with str values, and equal because no replacement is itself folded.
_FOLD_PAIRS = tuple((chr(key), value) for key, value in _FOLD.items())


def strip_diacritics(text: str) -> str:
    """Remove harakat and tatweel, keeping letters as they are."""
    return _DIACRITICS.sub("", text).replace(_TATWEEL, "")


def normalize_digits(text: str) -> str:
    """Map Arabic-Indic and Persian digits to ASCII digits, leaving everything else."""
    return text.translate({**{0x0660 + i: str(i) for i in range(10)}, **{0x06F0 + i: str(i) for i in range(10)}})


def normalize_arabic(text: str) -> str:
    """Fold `text` to its search form: NFKC, no diacritics/tatweel/bidi marks, unified letters and digits.

    Whitespace runs collapse to one space. Latin letters are lower-cased so that mixed-script
    names (e.g. "Aydınlık") match case-insensitively.
    """
    text = unicodedata.normalize("NFKC", text)
    text = _BIDI_CONTROLS.sub("", text)
    text = _DIACRITICS.sub("", text)
    if _TATWEEL in text:
        text = text.replace(_TATWEEL, "")
    for source, target in _FOLD_PAIRS:
        if source in text:
            text = text.replace(source, target)
    # split()/join() folds every run of Unicode whitespace, as `\s+` would, without a regex.
    return " ".join(text.split()).lower()
