"""The one sentence splitter: line breaks and end marks followed by a space, the end or a closing quote."""

from __future__ import annotations

from itertools import pairwise

from rasad.text.sentences import ends_within, sentence_spans, sentences


def test_end_marks_split_but_decimals_do_not() -> None:
    text = "التقى الوزيران في موسكو. وبلغ النمو 3.5 في المئة؟ نعم… والعنوان\nسطر جديد"
    assert sentences(text) == ["التقى الوزيران في موسكو.", "وبلغ النمو 3.5 في المئة؟", "نعم…", "والعنوان", "سطر جديد"]


def test_a_closing_quote_after_the_mark_ends_the_sentence() -> None:
    assert sentences("قال: «سنلتقي قريبا.» ثم غادر") == ["قال: «سنلتقي قريبا.", "» ثم غادر"]


def test_spans_cover_the_whole_text_in_order() -> None:
    text = "جملة أولى. جملة ثانية"
    spans = sentence_spans(text)
    assert spans[0][0] == 0 and spans[-1][1] == len(text)
    assert all(a[1] == b[0] for a, b in pairwise(spans))


def test_ends_within_finds_the_first_end_or_none() -> None:
    match = ends_within("بدون نهاية ثم نهاية. وأخرى.")
    assert match is not None and match.group() == "."
    assert ends_within("بدون نهاية 3.5") is None
