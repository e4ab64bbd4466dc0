from __future__ import annotations

import datetime as dt

import pytest

from rasad.extraction.dates import find_dates
from rasad.text.arabic import normalize_arabic

CASES = [
    ("عقدوا الثلاثاء 11 حزيران /يونيو لقاء", dt.date(2024, 6, 17), "2024-06-11"),
    ("في 31 أيار /مايو الماضي، قال", dt.date(2024, 6, 17), "2024-05-31"),
    ("وفي أيار/ مايو 2023، عقد", dt.date(2024, 6, 17), "2023-05"),
    ("في موسكو يومي 3 و4 أبريل/ نيسان الجاري", dt.date(2023, 4, 25), "2023-04-03"),
    ("2023.03.02 | 10:55", None, "2023-03-02"),
    ("في 02/03/2023", None, "2023-03-02"),
    ("في نيودلهي أمس الأربعاء.", dt.date(2023, 3, 2), "2023-03-01"),
    ("وفي 16 من كانون الثاني بحث", dt.date(2023, 3, 2), "2023-01-16"),
    ("نهاية العام الفائت، جمع", dt.date(2023, 3, 2), "2022-12"),
    ("وفي مطلع شهر شباط الماضي، كشف", dt.date(2023, 3, 2), "2023-02"),
    ("منتصف كانون الثاني، إن", dt.date(2023, 2, 2), "2023-01"),
    ("يوم الجمعة الفائت، لبحث", dt.date(2023, 4, 25), "2023-04-21"),
    ("اليوم الثلاثاء، في موسكو", dt.date(2023, 4, 25), "2023-04-25"),
    ("والشهر الماضي، أجرى", dt.date(2023, 1, 10), "2022-12"),
    ("والعام الماضي، أجرى", dt.date(2023, 1, 10), "2022"),
    ("في ١٥ رمضان ١٤٤٤ هـ", None, "2023-04-06"),
    ("يوم ٣ و٤ أبريل", dt.date(2023, 4, 5), "2023-04-03"),
    ("الخميس المقبل", dt.date(2023, 4, 25), "2023-04-27"),
    ("في النصف الثاني من شهر فبراير المقبل", dt.date(2023, 1, 12), "2023-02"),
]


@pytest.mark.parametrize(("text", "published", "value"), CASES)
def test_dates(kb, text, published, value):
    found = find_dates(kb, normalize_arabic(text), published)
    assert [d.value for d in found] == [value]


def test_range_has_both_ends(kb):
    (d,) = find_dates(kb, normalize_arabic("يومي 3 و4 أبريل/ نيسان الجاري"), dt.date(2023, 4, 25))
    assert (d.lo, d.hi) == (dt.date(2023, 4, 3), dt.date(2023, 4, 4))


def test_relative_dates_need_a_publication_date(kb):
    assert find_dates(kb, normalize_arabic("أمس الأربعاء والشهر الماضي"), None) == []


def test_words_that_look_like_months_are_not_dates(kb):
    assert find_dates(kb, normalize_arabic("مارس الضغط على أنقرة، وأب الشهيد"), dt.date(2023, 1, 1)) == []
