"""Forms of real reporting that event extraction must read (found on the real-text set's dev part).

The sentences here are our own, written in the shapes those outlets use; the real excerpts are
scored by `rasad eval extraction` (docs/realtext.md).
"""

from __future__ import annotations

import datetime as dt

import pytest

from rasad.extraction import extract, to_json

PUBLISHED = dt.date(2023, 5, 10)  # a Wednesday


def _events(body: str, kb, published: dt.date | None = PUBLISHED) -> list[dict]:
    return to_json(extract(title=None, body=body, published_at=published, kb=kb))["events"]


def _brief(events: list[dict]) -> list[tuple]:
    return [(e["status"], tuple(e["countries"]), e["location"], e["date"]) for e in events]


def test_a_modal_noun_makes_the_verbal_noun_after_it_no_report_of_a_meeting(kb):
    events = _events("وتحدثت تقارير عن احتمال عقد لقاء بين وزيري خارجية تركيا وسوريا في موسكو.", kb)
    assert _brief(events) == [("proposed", ("SY", "TR"), "Moscow", None)]


def test_nearness_announces_a_planned_meeting(kb):
    events = _events("وأعلنت موسكو قرب عقد اجتماع رباعي لوزراء خارجية روسيا وتركيا وإيران وسوريا.", kb)
    assert [e["status"] for e in events] == ["planned"]


def test_present_tense_about_a_coming_meeting_is_planned(kb):
    body = (
        "ويتوجه وزير الخارجية التركي إلى موسكو الأربعاء للمشاركة في الاجتماع الرباعي مع نظرائه من روسيا وإيران وسوريا."
    )
    assert [e["status"] for e in _events(body, kb)] == ["planned"]


def test_a_conditional_governs_its_whole_clause(kb):
    body = (
        "ولفت الوزير إلى أن الوساطة ستنجح في حال توصل الجانبان التركي والسوري إلى نتائج مهمة وحل المشاكل "
        "بالطرق السلمية والمفاوضات."
    )
    assert all(e["status"] == "proposed" for e in _events(body, kb))


def test_a_city_after_a_hosting_verb_is_where_the_meeting_was(kb):
    events = _events("استضافت موسكو أمس الاجتماع الرباعي لوزراء خارجية تركيا وسوريا وإيران وروسيا.", kb)
    assert _brief(events) == [("held", ("IR", "RU", "SY", "TR"), "Moscow", "2023-05-09")]


def test_the_pre_announcement_and_the_report_are_one_held_meeting(kb):
    body = (
        "أعلنت الخارجية التركية أن الوزير مولود تشاووش أوغلو سيعقد اليوم في موسكو اجتماعا مع نظيره السوري "
        "فيصل المقداد. وعقد وزراء خارجية تركيا وسوريا وروسيا وإيران اجتماعهم الرباعي في موسكو اليوم."
    )
    events = _events(body, kb)
    assert _brief(events) == [("held", ("IR", "RU", "SY", "TR"), "Moscow", "2023-05-10")]
    assert events[0]["persons"] == ["Mevlüt Çavuşoğlu", "Faisal Mekdad"]


def test_another_meeting_announced_after_a_report_stays_planned(kb):
    body = (
        "وعقد وزراء خارجية تركيا وسوريا وروسيا وإيران اجتماعا في موسكو اليوم، "
        "واتفقوا على عقد اجتماع آخر في موسكو الشهر المقبل."
    )
    assert sorted(e["status"] for e in _events(body, kb)) == ["held", "planned"]


def test_bilateral_talks_on_the_margins_are_an_event_of_their_own_at_the_round(kb):
    body = (
        "وعقد وزراء خارجية تركيا وسوريا وروسيا وإيران اجتماعا في موسكو اليوم. "
        "وعلى هامش الاجتماع الرباعي، التقى تشاووش أوغلو بنظيره السوري فيصل المقداد في لقاء ثنائي."
    )
    assert _brief(_events(body, kb)) == [
        ("held", ("IR", "RU", "SY", "TR"), "Moscow", "2023-05-10"),
        ("held", ("SY", "TR"), "Moscow", "2023-05-10"),
    ]


def test_a_mediator_named_after_a_mediation_noun_is_not_at_the_table(kb):
    body = (
        "كشف موقع إخباري عن وساطة عراقية يقودها رئيس الوزراء محمد شياع السوداني، "
        "لافتا إلى احتمالية حدوث لقاء سوري تركي في بغداد."
    )
    [event] = _events(body, kb)
    assert "Mohammed Shia al-Sudani" not in event["persons"]
    assert event["status"] == "proposed" and set(event["countries"]) == {"SY", "TR"}


def test_a_meeting_with_one_side_only_is_not_an_event(kb):
    assert _events("وقال المتحدث إن الرئيس التركي رجب طيب أردوغان عقد اجتماعا للحكومة اليوم.", kb) == []


def test_the_speaker_is_the_other_side_of_his_counterpart(kb):
    body = "كشف وزير الخارجية المصري سامح شكري أن المباحثات التي جمعته مع نظيره التركي مولود تشاووش أوغلو كانت صريحة."
    [event] = _events(body, kb)
    assert set(event["countries"]) == {"EG", "TR"}


def test_the_day_after_anchors_the_earlier_meeting(kb):
    body = (
        "وعقد مسؤولون عسكريون أتراك وسوريون في 11 حزيران 2024 اجتماعا في قاعدة حميميم، "
        "غداة لقاء الرئيس الروسي فلاديمير بوتين ووزير الخارجية التركي هاكان فيدان في موسكو."
    )
    dates = {e["location"]: e["date"] for e in _events(body, kb, dt.date(2024, 6, 18))}
    assert dates == {"Hmeimim Air Base": "2024-06-11", "Moscow": "2024-06-10"}


def test_a_named_format_brings_its_sides_but_not_the_topic(kb):
    body = (
        "انتهت في العاصمة الكازاخية اليوم الجولة الحادية والعشرون من محادثات أستانا بحضور ممثلي المعارضة، "
        "وبحثت الوفود الوضع الإنساني وملف المعتقلين."
    )
    result = to_json(extract(title=None, body=body, published_at=dt.date(2024, 1, 25), kb=kb))
    [event] = result["events"]
    assert set(event["countries"]) == {"IR", "RU", "SY", "TR"}
    assert not result["relevant"]  # the sides are implied by the format: no Turkey–Syria meeting is reported


def test_a_visit_to_the_turkish_held_north_is_not_a_meeting_with_damascus(kb):
    body = "زار وزير الداخلية التركي سليمان صويلو السبت مدينة تل أبيض السورية على الحدود السورية التركية."
    assert _events(body, kb, dt.date(2022, 6, 18)) == []
    body = "زار وزير الداخلية التركي سليمان صويلو السبت مدينة حلب السورية والتقى محافظها."
    [event] = _events(body, kb, dt.date(2022, 6, 18))
    assert set(event["countries"]) == {"SY", "TR"}


def test_talks_the_meeting_was_held_for_are_that_meeting(kb):
    body = "التقى الرئيس التركي رجب طيب أردوغان، الأحد، نظيره المصري عبد الفتاح السيسي في نيودلهي لإجراء محادثات."
    [event] = _events(body, kb, dt.date(2023, 9, 10))
    assert (event["status"], set(event["countries"])) == ("held", {"EG", "TR"})
    assert set(event["persons"]) == {"Recep Tayyip Erdoğan", "Abdel Fattah el-Sisi"}


def test_no_agreement_yet_on_a_meeting_is_a_proposal(kb):
    body = (
        "أكد المتحدث باسم الرئاسة الروسية دميتري بيسكوف أمس عدم وجود اتفاقات بشأن اجتماع بين الرئيسين "
        "السوري بشار الأسد والتركي رجب طيب أردوغان في الوقت الحالي."
    )
    [event] = _events(body, kb, dt.date(2022, 11, 24))
    assert (event["status"], set(event["countries"])) == ("proposed", {"SY", "TR"})


def test_what_a_speaker_spoke_of_before_saying_he_met_is_not_a_side(kb):
    body = (
        "وأشار الوزير العراقي إلى تنسيق متواصل في مبادرة بغداد للتوسط بين أنقرة ودمشق، مضيفاً أنه التقى، "
        "الأربعاء الماضي، مع نظيره التركي هاكان فيدان في واشنطن."
    )
    [event] = _events(body, kb, dt.date(2024, 7, 12))
    assert (set(event["countries"]), event["location"]) == ({"IQ", "TR"}, "Washington")


def test_the_sultan_of_oman_in_muscat_is_not_amman(kb):
    body = "أجرى الرئيس السوري بشار الأسد في مسقط محادثات مع سلطان عمان هيثم بن طارق."
    [event] = _events(body, kb, dt.date(2023, 2, 20))
    assert (set(event["countries"]), event["location"]) == ({"OM", "SY"}, "Muscat")


def test_the_quadrilateral_meeting_brings_its_four_sides(kb):
    body = "وشارك المقداد في الاجتماع الرباعي الذي عقد في موسكو، وبحث المشاركون خارطة طريق للعلاقات."
    [event] = _events(body, kb, dt.date(2023, 5, 11))
    assert (event["status"], set(event["countries"]), event["location"]) == ("held", {"IR", "RU", "SY", "TR"}, "Moscow")


def test_a_speaker_named_in_an_earlier_sentence_is_the_other_side_of_his_counterpart(kb):
    body = (
        "وقال الرئيس التركي رجب طيب أردوغان إن بلاده تتابع الحرب عن كثب. "
        "وكشف أنه سيجري في الساعات القادمة اتصالاً هاتفياً مع نظيره الأوكراني فولوديمير زيلينسكي."
    )
    assert _brief(_events(body, kb)) == [("planned", ("TR", "UA"), None, "2023-05-10")]


def test_a_war_named_by_its_sides_is_what_was_discussed(kb):
    body = "وأجرى أردوغان اتصالاً هاتفياً مع نظيره الروسي فلاديمير بوتين، وبحث معه الحرب الروسية-الأوكرانية."
    assert _brief(_events(body, kb)) == [("held", ("RU", "TR"), None, None)]


def test_the_city_after_the_capital_of_a_country_is_where_not_the_country_a_side(kb):
    body = "اختتمت في عاصمة كازاخستان أستانا اليوم اجتماعات نواب وزراء خارجية تركيا وروسيا وإيران وسوريا."
    assert _brief(_events(body, kb)) == [("held", ("IR", "RU", "SY", "TR"), "Astana", "2023-05-10")]


def test_a_decision_taken_at_a_past_meeting_does_not_make_it_planned(kb):
    body = "واجتمع وزراء خارجية تركيا وروسيا وإيران وسوريا بموسكو في 10 أيار، وتقرر خلال الاجتماع إعداد خارطة طريق."
    assert _brief(_events(body, kb)) == [("held", ("IR", "RU", "SY", "TR"), "Moscow", "2023-05-10")]


def test_bilateral_talks_with_two_delegations_are_two_meetings(kb):
    body = (
        "انطلقت في أستانا اليوم اجتماعات نواب وزراء خارجية تركيا وروسيا وإيران وسوريا. "
        "وأجرى الوفد التركي مباحثات ثنائية مع الوفدين الإيراني والروسي."
    )
    assert sorted(tuple(e["countries"]) for e in _events(body, kb)) == [
        ("IR", "RU", "SY", "TR"),
        ("IR", "TR"),
        ("RU", "TR"),
    ]


def test_preparing_a_meeting_at_another_level_is_the_sides_next_meeting(kb):
    body = (
        "وذكر نائب وزير الخارجية الروسي ميخائيل بوغدانوف أن روسيا تنسق مع سوريا وإيران وتركيا لإجراء المفاوضات "
        'الرباعية المقبلة على مستوى نواب وزراء الخارجية. وأضاف: "الغرض منها هو إعداد اجتماع لوزراء الخارجية".'
    )
    levels = sorted((e["level"], e["status"], tuple(e["countries"])) for e in _events(body, kb))
    assert levels == [
        ("deputy_foreign_ministers", "planned", ("IR", "RU", "SY", "TR")),
        ("foreign_ministers", "planned", ("IR", "RU", "SY", "TR")),
    ]


def test_bilateral_talks_of_a_delegation_with_two_sides_before_a_round_are_two_meetings(kb):
    body = (
        "سيعقد الاجتماع الرباعي في موسكو الثلاثاء المقبل على أن تسبقه مشاورات ثنائية لوفد النظام مع الجانبين "
        "الروسي والإيراني غداً وفق ما ذكرت وكالة تابعة للنظام السوري."
    )
    pairs = sorted(tuple(e["countries"]) for e in _events(body, kb) if len(e["countries"]) == 2)
    assert pairs == [("IR", "SY"), ("RU", "SY")]


def test_talks_in_the_reporting_clause_are_the_speakers_own_and_end_at_what_he_says(kb):
    body = (
        "وقال وزير الخارجية الروسي سيرغي لافروف خلال مؤتمر صحفي عقب محادثات مع وزير الخارجية المصري، "
        "إنه تم التوصل إلى اتفاق على مشاركة إيران في هذا العمل."
    )
    assert _brief(_events(body, kb)) == [("held", ("EG", "RU"), None, None)]


def test_a_visit_or_a_reception_in_a_capital_has_its_country_at_the_table(kb):
    visit = "وصل وزير الخارجية السعودي فيصل بن فرحان اليوم العاصمة السورية دمشق في زيارة رسمية."
    reception = "وأفادت القناة أن رئيس النظام استقبل في دمشق اليوم وزير الخارجية السعودي فيصل بن فرحان."
    for body in (visit, reception):
        assert [tuple(e["countries"]) for e in _events(body, kb)] == [("SA", "SY")]


def test_in_addition_to_is_a_list_and_gulf_states_are_the_six(kb):
    body = "والجمعة، استضافت السعودية اجتماعاً لدول مجلس التعاون الخليجي إضافة إلى مصر والأردن والعراق."
    [event] = _events(body, kb)
    assert set(event["countries"]) == {"SA", "AE", "BH", "KW", "OM", "QA", "EG", "JO", "IQ"}
    assert event["location"] != "Egypt"


def test_the_two_sides_of_a_meeting_named_with_its_place_are_the_sides_met_there(kb):
    body = (
        "أجرى مسؤولون عسكريون أتراك لقاء مع آخرين سوريين في قاعدة حميميم الجوية، بعد لقاء وزير الخارجية التركي "
        "هاكان فيدان بالرئيس الروسي فلاديمير بوتين في موسكو. وذكرت الصحيفة أن لقاء الجانبين جرى بقاعدة حميميم."
    )
    places = {tuple(e["countries"]): e["location"] for e in _events(body, kb)}
    assert places == {("SY", "TR"): "Hmeimim Air Base", ("RU", "TR"): "Moscow"}


def test_each_stop_of_a_tour_is_a_visit_of_its_own(kb):
    body = (
        "وصل الرئيس التركي رجب طيب أردوغان اليوم مدينة جدة السعودية، في مستهل جولة خليجية تشمل إلى جانب "
        "المملكة كلا من قطر والإمارات."
    )
    visits = sorted((tuple(e["countries"]), e["location"]) for e in _events(body, kb))
    assert visits == [(("AE", "TR"), None), (("QA", "TR"), None), (("SA", "TR"), "Jeddah")]


def test_talks_told_only_in_the_present_tense_in_the_body_are_coming(kb):
    body = (
        "يبحث نواب وزراء خارجية روسيا وتركيا وسوريا وإيران في الاجتماع الدولي حول سوريا في أستانا خارطة "
        "طريق لتطبيع العلاقات بين أنقرة ودمشق."
    )
    assert [e["status"] for e in _events(body, kb)] == ["planned"]
    held = "بحث نواب وزراء خارجية روسيا وتركيا وسوريا وإيران في الاجتماع الدولي في أستانا خارطة طريق."
    assert [e["status"] for e in _events(held, kb)] == ["held"]


def test_the_host_of_a_city_travelled_to_for_a_summit_is_at_the_table(kb):
    body = "وصل إلى جدة اليوم الرئيس السوري بشار الأسد للمشاركة غداً في القمة العربية."
    [event] = _events(body, kb)
    assert (event["status"], tuple(event["countries"]), event["location"]) == ("planned", ("SA", "SY"), "Jeddah")


def test_a_meeting_that_is_to_be_held_is_planned(kb):
    body = (
        "ومن المقرر أن تقام مراسم استقبال رسمية للرئيس التركي رجب طيب أردوغان في قصر السلام بجدة، قبل أن يعقد "
        "لقاء ثنائي مع ولي العهد السعودي الأمير محمد بن سلمان."
    )
    assert [e["status"] for e in _events(body, kb)] == ["planned"]


MODALITY = [
    # willingness and invitation govern the plan words inside them
    ("وقال الرئيس التركي إنه منفتح على عقد لقاء مع الرئيس السوري بشار الأسد.", PUBLISHED, "proposed"),
    ('وقال أردوغان إن أنقرة ستوجه دعوة لنظيره السوري بشار الأسد "في أي وقت" لإجراء محادثات.', PUBLISHED, "proposed"),
    # a modal verb with a pronoun suffix
    ("وأضاف أردوغان: يمكننا عقد قمة رباعية مع سوريا وروسيا وإيران.", PUBLISHED, "proposed"),
    # a planned meeting named again by its noun stays planned
    (
        "وأكد المقداد أن اللقاء المزمع بين بشار الأسد ونظيره التركي رجب طيب أردوغان يعتمد على الانسحاب التركي. "
        "وأشار إلى أن الانسحاب هو ما سيحدد مسار اللقاء بين الأسد وأردوغان.",
        PUBLISHED,
        "planned",
    ),
    # a place that will see a signing
    (
        "وأفادت مصادر أن مدينة حلب ستشهد التوقيع على اتفاقية بين وزيري خارجية سوريا وتركيا.",
        dt.date(2009, 10, 8),
        "planned",
    ),
    # an idea of talks, and the door left open to them
    (
        'ونقل عن أردوغان قوله إن "بوتين ورئيس الوزراء العراقي لديهما تصور لإجراء المحادثات مع سوريا في تركيا".',
        dt.date(2024, 7, 7),
        "proposed",
    ),
    ("وقال أردوغان إن تركيا لم «تغلق الباب» أبدا أمام المحادثات مع الحكومة السورية.", dt.date(2023, 7, 17), "proposed"),
]


@pytest.mark.parametrize(("body", "published", "status"), MODALITY)
def test_the_status_a_sentence_gives_its_one_meeting(kb, body, published, status):
    assert [e["status"] for e in _events(body, kb, published)] == [status]


def test_a_signing_named_by_its_signers_is_a_meeting(kb):
    body = "ووقع وزير الدفاع التركي يشار غولر ونظيره السوري مرهف أبو قصرة مذكرة تفاهم للتدريب في أنقرة."
    assert _brief(_events(body, kb, dt.date(2025, 8, 14))) == [("held", ("SY", "TR"), "Ankara", None)]


def test_a_quoted_title_after_a_meeting_word_is_not_reported_speech(kb):
    body = (
        'وأعلن المتحدث باسم وزارة الدفاع التركية في مؤتمر صحفي توقيع "مذكرة التفاهم المشتركة للتدريب والاستشارات" '
        "بين وزير الدفاع التركي يشار غولر ونظيره السوري مرهف أبو قصرة في 13 آب الجاري."
    )
    assert _brief(_events(body, kb, dt.date(2025, 8, 14))) == [("held", ("SY", "TR"), None, "2025-08-13")]


def test_a_statement_names_its_source_up_to_what_it_says(kb):
    body = (
        "وجاء في بيان وزارة الخارجية الكازاخستانية أنه قد انطلقت في أستانا في 11 تشرين الثاني 2024، الجولة "
        "الثانية والعشرون من المفاوضات في إطار عملية أستانا."
    )
    assert _brief(_events(body, kb, dt.date(2024, 11, 11))) == [
        ("held", ("IR", "RU", "SY", "TR"), "Astana", "2024-11-11")
    ]


def test_a_summit_of_named_ministers_is_at_their_level(kb):
    events = _events("قمة ثلاثية لوزراء دفاع روسيا وسوريا وتركيا في موسكو.", kb, dt.date(2022, 12, 28))
    assert [(e["level"], e["location"]) for e in events] == [("defence_ministers", "Moscow")]
    events = _events("قمة ثلاثية بين روسيا وسوريا وتركيا في موسكو.", kb, dt.date(2022, 12, 28))
    assert [e["level"] for e in events] == ["heads_of_state"]


def test_an_arrival_told_after_the_meeting_is_the_guests_not_a_plan(kb):
    body = (
        "التقى الرئيس الروسي فلاديمير بوتين نظيره السوري بشار الأسد الأربعاء في موسكو. وقال بيسكوف إن الاجتماع "
        "بين الرئيس الروسي والأسد الذي وصل إلى موسكو مساء الثلاثاء تناول العلاقات الثنائية."
    )
    assert _brief(_events(body, kb, dt.date(2023, 3, 15))) == [("held", ("RU", "SY"), "Moscow", "2023-03-15")]


def test_a_speaker_who_says_we_is_a_side_of_the_meeting_he_floats(kb):
    body = (
        "وقال أردوغان للصحافيين في إسطنبول إن بلاده تريد السلام. وأضاف «يمكننا عقد قمة رباعية مع سورية وروسيا وإيران»."
    )
    assert _brief(_events(body, kb, dt.date(2023, 7, 17))) == [("proposed", ("IR", "RU", "SY", "TR"), None, None)]


def test_the_stops_of_a_tour_named_after_a_visit_are_the_visitors(kb):
    body = (
        "وصل الرئيس التركي رجب طيب أردوغان الاثنين، إلى مدينة جدة في مستهل زيارة رسمية إلى المملكة العربية "
        "السعودية ضمن جولة خليجية تشمل الإمارات وقطر، وتستمر حتى الأربعاء."
    )
    visits = sorted(
        (e["status"], tuple(e["countries"]), e["location"]) for e in _events(body, kb, dt.date(2023, 7, 17))
    )
    assert visits == [
        ("planned", ("AE", "TR"), None), ("planned", ("QA", "TR"), None), ("planned", ("SA", "TR"), "Jeddah")
    ]  # fmt: skip
