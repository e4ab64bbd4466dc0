"""Hypothesis strategies for hostile text: Arabic words, mixed scripts, bidi controls, very long lines."""

from __future__ import annotations

import os

from hypothesis import strategies as st

ARABIC_WORDS = [
    "تركيا", "سوريا", "أنقرة", "دمشق", "موسكو", "وزير", "الخارجية", "هاكان", "فيدان", "فيصل", "المقداد",
    "أردوغان", "الأسد", "لافروف", "اجتماع", "رباعي", "تطبيع", "العلاقات", "قال", "إن", "يوم", "الثلاثاء",
    "كانون", "الثاني", "يناير", "أيار", "2023", "٢٠٢٤", "١٥", "الماضي", "المقبل", "أمس", "غداً", "«", "»",
    "بحث", "التقى", "اتصال", "هاتفي", "الرئيس", "وفد", "الاستخبارات", "بوساطة", "روسية", "عراقية",
]  # fmt: skip
OTHER_TOKENS = [
    "Erdoğan", "Aydınlık", "İstanbul", "Şam", "ΑΒΓ", "Кремль", "東京", "🇹🇷", "😀", "&amp;", "<b>", "</p>",
    "\u200e", "\u200f", "\u202a", "\u202b", "\u202c", "\u202d", "\u202e", "\u2066", "\u2067", "\u2068", "\u2069",
    "\u200c", "\u200d", "\u0640", "\u064b", "\u0651", "\ufeff", "\u00a0", "\t", "\n", "\n\n", "\r\n", "ﷺ", "ﻻ",
    "\U0001d400", "ǅ", "ß", "ﬁ", "\u0130", "\x00", "\ud7ff", "0", "12/05/2023", "2023-02-30", ".", "،", "؟", ":",
]  # fmt: skip

tokens = st.sampled_from(ARABIC_WORDS + OTHER_TOKENS) | st.text(min_size=1, max_size=8)
separators = st.sampled_from([" ", " ", " ", "\n", "\n\n", "", "\u200f", ". "])


@st.composite
def hostile_text(draw: st.DrawFn, max_tokens: int = 120) -> str:
    """Words and junk joined by odd separators; sometimes one very long line."""
    words = draw(st.lists(tokens, max_size=max_tokens))
    seps = draw(st.lists(separators, min_size=len(words), max_size=len(words)))
    text = "".join(w + s for w, s in zip(words, seps, strict=True))
    if draw(st.booleans()) and text:
        text = text.replace("\n", " ") * draw(st.integers(1, 15))  # a very long line
    return text


any_text = hostile_text() | st.text(max_size=400)


def examples(default: int) -> int:
    """`default` examples, or RASAD_PROPERTY_EXAMPLES for a deeper run (e.g. before a release)."""
    return int(os.environ.get("RASAD_PROPERTY_EXAMPLES", default))
