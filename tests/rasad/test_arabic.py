"""Arabic normalization: what it folds, and that the fast implementation equals the plain definition."""

from __future__ import annotations

import random
import re
import unicodedata
from pathlib import Path

import pytest

from rasad.text.arabic import _BIDI_CONTROLS, _DIACRITICS, _FOLD, normalize_arabic

FIXTURES = Path(__file__).parents[2] / "rasad/fixtures"


def reference_normalize(text: str) -> str:
    """The definition, written plainly: NFKC, drop bidi marks/diacritics/tatweel, fold letters, fold spaces."""
    text = unicodedata.normalize("NFKC", text)
    text = _BIDI_CONTROLS.sub("", text)
    text = _DIACRITICS.sub("", text).replace("\u0640", "")
    text = text.translate(_FOLD)
    return re.sub(r"\s+", " ", text).strip().lower()


@pytest.mark.parametrize(
    ("raw", "folded"),
    [
        ("إبراهيم قالن", "ابراهيم قالن"),
        ("الخارجيّة التركيّة", "الخارجيه التركيه"),
        ("مُخابرات", "مخابرات"),
        ("مصطفى", "مصطفي"),
        ("رئيـــس", "رييس"),
        ("٢٠٢٣ و۱۴۰۲", "2023 و1402"),
        ("\u200fأنقرة\u200e  \n دمشق", "انقره دمشق"),
        ("Aydınlık", "aydınlık"),
    ],
)
def test_folds(raw: str, folded: str) -> None:
    assert normalize_arabic(raw) == folded


def test_idempotent_on_fixtures() -> None:
    for path in sorted((FIXTURES / "seeds").glob("*.txt")):
        once = normalize_arabic(path.read_text(encoding="utf-8"))
        assert normalize_arabic(once) == once


def test_equals_the_plain_definition() -> None:
    texts = [p.read_text(encoding="utf-8", errors="replace") for p in sorted(FIXTURES.rglob("*.txt"))]
    alphabet = "أإآٱىئؤةیکۀگچپڤ٠١٩۰۹ـًٌَُِّْٰ\u200f\u200e\ufeff\u202b \t\n\u00a0\u3000ﻻﷲ abcABCΣİ.,،؟_x"
    rnd = random.Random(7)
    texts += ["".join(rnd.choice(alphabet) for _ in range(rnd.randint(0, 40))) for _ in range(5000)]
    for text in texts:
        assert normalize_arabic(text) == reference_normalize(text), repr(text[:80])
