"""A topic's period: meetings of the same sides before or after the story are another story."""

from __future__ import annotations

import datetime as dt
import shutil
from pathlib import Path

from rasad.extraction import extract
from rasad.extraction.model import Event
from rasad.extraction.topics import DEFAULT_TOPICS_DIR, EventSignal, Period, event_signal, load_topics, out_of_period

MEETING = (
    "التقى وزير الخارجية التركي بنظيره السوري في دمشق، وبحث الجانبان تطبيع العلاقات بين تركيا وسوريا "
    "وسبل تعزيز التعاون بين البلدين."
)


def _topic(result, topic_id: str = "turkey_syria_normalization"):
    return next(t for t in result.topics if t.topic == topic_id)


def test_meeting_published_within_the_period_is_relevant(kb):
    result = extract(title=None, body=MEETING, published_at=dt.date(2023, 5, 10), kb=kb)
    assert _topic(result).relevant


def test_meeting_published_before_2011_is_another_story(kb):
    result = extract(title=None, body=MEETING, published_at=dt.date(2009, 10, 13), kb=kb)
    topic = _topic(result)
    assert not topic.relevant
    assert any("outside the period: published 2009-10-13" in r for r in topic.reasons)


def test_meeting_dated_2009_in_an_undated_article_is_another_story(kb):
    body = MEETING.replace("في دمشق،", "في دمشق في 13 تشرين الأول/أكتوبر 2009،")
    result = extract(title=None, body=body, published_at=None, kb=kb)
    assert not _topic(result).relevant


def test_a_since_date_does_not_move_an_undated_article_out(kb):
    body = MEETING + " وهو أول لقاء على هذا المستوى منذ عام 2011."
    result = extract(title=None, body=body, published_at=None, kb=kb)
    assert _topic(result).relevant


def test_a_retrospective_with_a_meeting_inside_the_period_stays_in(kb):
    body = MEETING.replace("في دمشق،", "في موسكو في 10 أيار/مايو 2023،")
    result = extract(title=None, body=body, published_at=dt.date(2025, 6, 1), kb=kb)
    assert _topic(result).relevant


def test_a_report_published_after_the_story_belongs_to_the_topic_that_continues_it(kb):
    result = extract(title=None, body=MEETING, published_at=dt.date(2026, 12, 3), kb=kb)
    old = _topic(result)
    assert not old.relevant
    assert any("published 2026-12-03, in the time of turkey_syria_after_assad" in r for r in old.reasons)
    assert _topic(result, "turkey_syria_after_assad").relevant


def test_without_a_topic_that_continues_the_story_a_late_report_is_not_lost() -> None:
    period = Period(start=dt.date(2022, 1, 1), end=dt.date(2024, 12, 8))
    late = dt.date(2026, 12, 3)
    assert out_of_period(period, late, [], []) is None
    assert out_of_period(period, late, [], [], continued_by="next_story") is not None
    assert out_of_period(period, dt.date(2024, 5, 1), [], [], continued_by="next_story") is None


def test_the_topic_that_continues_a_story_is_found_in_the_topic_files(tmp_path: Path) -> None:
    bundled = {t.spec.id: t.followed_by for t in load_topics(DEFAULT_TOPICS_DIR)}
    assert bundled == {"turkey_syria_normalization": "turkey_syria_after_assad", "turkey_syria_after_assad": None}
    shutil.copy(DEFAULT_TOPICS_DIR / "normalization.yaml", tmp_path)
    assert [t.followed_by for t in load_topics(tmp_path)] == [None]  # alone, the old story keeps late reports


def test_meetings_dated_after_the_period_only_are_another_story(kb):
    body = MEETING.replace("في دمشق،", "في دمشق في 13 كانون الثاني/يناير 2025،")
    result = extract(title=None, body=body, published_at=dt.date(2025, 1, 14), kb=kb)
    assert not _topic(result).relevant


def test_an_undated_article_naming_an_office_held_before_the_story_is_another_story(kb):
    body = (
        "اتفق الرئيس السوري بشار الأسد ورئيس الوزراء التركي رجب طيب أردوغان خلال لقائهما في إسطنبول على "
        "تطبيع العلاقات بين تركيا وسوريا وتشكيل مجلس للتعاون الاستراتيجي بين البلدين."
    )
    topic = _topic(extract(title=None, body=body, published_at=None, kb=kb))
    assert not topic.relevant
    assert any("office held until 2014-08-28" in r for r in topic.reasons)
    today = _topic(extract(title=None, body=body.replace("رئيس الوزراء", "الرئيس"), published_at=None, kb=kb))
    assert today.relevant


def test_turkey_behind_the_new_syrian_army_is_the_new_story_dated_or_not(kb):
    body = (
        "أعلن مسؤول في وزارة الدفاع التركية أن تركيا جاهزة لتقديم الدعم للجيش السوري في مواجهة قوات سوريا "
        "الديمقراطية في حلب إذا طلبت دمشق ذلك. وقال المسؤول التركي إن تركيا ستواصل دعم الجيش السوري في "
        "معركته ضد التنظيمات الإرهابية."
    )
    for published in (None, dt.date(2026, 1, 8)):
        result = extract(title=None, body=body, published_at=published, kb=kb)
        assert _topic(result, "turkey_syria_after_assad").relevant, published
        assert not _topic(result).relevant, published


def test_the_agreement_of_10_march_belongs_to_the_new_story_only(kb):
    body = (
        "باشر السفير التركي الجديد عمله في دمشق، بالتزامن مع زيارة وفد تركي يضم وزير الخارجية هاكان فيدان "
        "التقى خلالها مسؤولين سوريين لبحث العلاقات بين أنقرة ودمشق وتنفيذ اتفاقية 10 مارس."
    )
    result = extract(title=None, body=body, published_at=dt.date(2025, 12, 22), kb=kb)
    assert _topic(result, "turkey_syria_after_assad").relevant
    assert not _topic(result).relevant


def test_an_undated_article_of_the_new_story_is_not_put_out_by_the_years_it_recalls(kb):
    body = (
        "أعادت تركيا فتح سفارتها في دمشق بعد ساعات من لقاء رئيس الاستخبارات التركية إبراهيم كالن بالقائد "
        "العام للإدارة السورية الجديدة أحمد الشرع في دمشق. وكانت السفارة قد أغلقت في آذار 2012."
    )
    topic = _topic(extract(title=None, body=body, published_at=None, kb=kb), "turkey_syria_after_assad")
    assert topic.relevant, topic.reasons


def test_a_phrase_after_the_preposition_lam_is_the_same_phrase(kb):
    body = (
        "قال وزير الطاقة التركي إن الغاز الطبيعي سيصل إلى سوريا عبر خط كلس، وإن تركيا أصبحت داعما قويا "
        "للحكومة السورية الجديدة في مشاريع الكهرباء."
    )
    topic = _topic(extract(title=None, body=body, published_at=None, kb=kb), "turkey_syria_after_assad")
    assert "undated, and nothing in it names this story's time" not in topic.reasons
    assert any("لحكومه السوريه الجديده" in r for r in topic.reasons), topic.reasons


def test_the_ousted_president_marks_the_new_story(kb):
    body = (
        "قال الرئيس التركي رجب طيب أردوغان إن نظام المخلوع بشار الأسد ترك سوريا كومة من الأنقاض، مؤكدا أن تركيا "
        "لن تترك سوريا الجديدة وحدها."
    )
    result = extract(title=None, body=body, published_at=None, kb=kb)
    assert _topic(result, "turkey_syria_after_assad").relevant and not _topic(result).relevant


UNDATED_NEW_ERA_VISIT = (
    "زار وزير الخارجية التركي هاكان فيدان دمشق والتقى المسؤولين السوريين، وبحث الجانبان العلاقات بين تركيا "
    "وسوريا والتبادل التجاري. من جهته، قال الشيباني في تصريح لاحق إن العلاقات مع أنقرة استراتيجية."
)


def test_an_undated_article_both_stories_claim_is_the_later_story_s(kb):
    result = extract(title=None, body=UNDATED_NEW_ERA_VISIT, published_at=None, kb=kb)
    old = _topic(result)
    assert _topic(result, "turkey_syria_after_assad").relevant
    assert not old.relevant
    assert any("names the time of turkey_syria_after_assad" in r for r in old.reasons)


def test_an_undated_retrospective_of_the_earlier_story_keeps_it(kb):
    body = UNDATED_NEW_ERA_VISIT.replace("دمشق والتقى", "دمشق في 10 أيار/مايو 2023 والتقى")
    result = extract(title=None, body=body, published_at=None, kb=kb)
    assert _topic(result).relevant


def test_without_the_continuing_topic_an_undated_article_stays_with_the_old_story(tmp_path: Path, monkeypatch, kb):
    shutil.copy(DEFAULT_TOPICS_DIR / "normalization.yaml", tmp_path / "normalization.yaml")
    monkeypatch.setattr("rasad.extraction.topics.DEFAULT_TOPICS_DIR", tmp_path)
    result = extract(title=None, body=UNDATED_NEW_ERA_VISIT, published_at=None, kb=kb)
    assert _topic(result).relevant


def test_the_matters_of_the_new_story_as_outlets_write_them(kb):
    """The 10 March agreement with its article and preposition, the reopened embassy, the titles of December 2024."""
    bodies = [
        "دعا حزب العدالة والتنمية الحاكم في تركيا قسد إلى الإسراع في تنفيذ اتفاق الـ 10 من آذار الموقع مع الدولة "
        "السورية، وقال إن التزام قسد بالاتفاق سيوقف تهديدها لسوريا وتركيا وإن الاندماج في مؤسسات الدولة السورية "
        "يخدم استقرار تركيا وسوريا.",
        "استأنفت السفارة التركية في دمشق نشاطها بعد توقف دام 12 عاما، وعينت وزارة الخارجية التركية قائما بالأعمال "
        "في سوريا على خلفية الإطاحة بنظام الأسد.",
    ]
    for published in (None, dt.date(2025, 12, 22)):
        for body in bodies:
            result = extract(title=None, body=body, published_at=published, kb=kb)
            assert _topic(result, "turkey_syria_after_assad").relevant, (published, body[:40])
            assert not _topic(result).relevant, (published, body[:40])


def test_a_meeting_among_a_round_s_own_sides_weighs_as_the_round() -> None:
    """ "وستعقد اجتماعات مع وفود نظام الأسد" at an Astana round: the round's story, not a Turkey–Syria meeting."""
    signal = EventSignal(countries_all=["TR", "SY"], weight=0.6, format_weight=0.3)
    round_ = Event("meeting", "held", "other", ["IR", "RU", "SY", "TR"], [], "Astana", "2022-06-15", None,
                   implied_sides=["IR", "RU", "TR"], format="astana")  # fmt: skip
    side = Event("meeting", "planned", "other", ["IR", "RU", "SY", "TR"], [], None, None, None)
    elsewhere = Event("meeting", "held", "foreign_ministers", ["SY", "TR"], [], "Moscow", "2023-05-10", None)
    assert event_signal(signal, [round_, side]) == (0.3, "event:meeting planned IR+RU+SY+TR")
    assert event_signal(signal, [round_, elsewhere]) == (0.6, "event:meeting held SY+TR")


def test_the_relation_in_the_singular_is_the_story(kb):
    body = (
        "أكد الرئيس السوري بشار الأسد خلال استقباله المبعوث الروسي ألكسندر لافرنتييف أن سوريا منفتحة على "
        "المبادرات المرتبطة بالعلاقة بين سوريا وتركيا، وأن نجاح أي مبادرة ينطلق من احترام سيادة الدول."
    )
    title = "الأسد: سوريا منفتحة على المبادرات المرتبطة بالعلاقة مع تركيا"
    assert _topic(extract(title=title, body=body, published_at=dt.date(2024, 6, 27), kb=kb)).relevant
    assert not _topic(
        extract(title=None, body=body.replace("العلاقة", "الأوضاع"), published_at=dt.date(2024, 6, 27), kb=kb)
    ).relevant


def test_turkey_on_the_sdf_is_the_new_story_in_its_time(kb):
    body = (
        "قال المتحدث باسم حزب العدالة والتنمية في تركيا إن على قسد الإسراع في تنفيذ اتفاق الـ 10 من آذار الموقع "
        "مع الدولة السورية، وإن التزام قسد بالاتفاق سيوقف تهديدها لسوريا وتركيا."
    )
    assert _topic(
        extract(title=None, body=body, published_at=dt.date(2025, 12, 22), kb=kb), "turkey_syria_after_assad"
    ).relevant
    assert not _topic(
        extract(title=None, body=body, published_at=dt.date(2023, 12, 22), kb=kb), "turkey_syria_after_assad"
    ).relevant


def test_a_minister_of_the_new_government_names_its_time(kb):
    body = (
        "وقع وزير النقل السوري يعرب بدر ونظيره التركي عبد القادر أورال أوغلو في دمشق مذكرة تفاهم لإعادة تأهيل "
        "خط السكك الحديدية بين تركيا وسوريا."
    )
    result = extract(title=None, body=body, published_at=None, kb=kb)
    assert _topic(result, "turkey_syria_after_assad").relevant
    assert not _topic(result).relevant
