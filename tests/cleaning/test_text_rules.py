import json
from pathlib import Path

import pytest

from rasad.cleaning import Rejected, clean_text
from rasad.cleaning.evaluation import FIXTURES

GOLD = {d["file"]: d for d in json.loads((FIXTURES / "gold" / "seeds.json").read_text(encoding="utf-8"))["documents"]}
SEEDS = sorted((FIXTURES / "seeds").glob("*.txt"))


def fold(text: str) -> str:
    return " ".join(text.split())


@pytest.mark.parametrize("path", SEEDS, ids=lambda p: p.name[:3])
def test_seed_keeps_every_sentence_and_drops_all_furniture(path: Path):
    gold = GOLD[path.name]
    article = clean_text(path.read_text(encoding="utf-8"))
    body = fold(article.body)
    for snippet in gold["body_must_contain"]:
        assert fold(snippet) in body
    for snippet in gold["body_must_not_contain"]:
        assert fold(snippet) not in body
    assert article.title == gold["title"]
    if gold["title"]:
        assert not body.startswith(fold(gold["title"]))
        assert fold(gold["title"]) not in {fold(p) for p in article.body.split("\n\n")}


def test_appended_egypt_turkey_article_is_gone():
    article = clean_text((FIXTURES / "seeds" / "001_3619c07c88a1be1a.txt").read_text(encoding="utf-8"))
    for name in ("عبد العاطي", "غزة", "منظمة التعاون الإسلامي"):
        assert name not in article.body
    assert article.body.rstrip().endswith("مطالبا بانسحاب القوات التركية من الأراضي السورية.")


def test_dateline_gives_the_date_but_the_visit_header_does_not():
    seed3 = clean_text((FIXTURES / "seeds" / "003_3dccf312cf4718eb.txt").read_text(encoding="utf-8"))
    assert seed3.published_at is not None and seed3.published_at.date().isoformat() == "2023-03-02"
    assert seed3.published_at.tzinfo is not None
    seed2 = clean_text((FIXTURES / "seeds" / "002_dc01c430d4eb3987.txt").read_text(encoding="utf-8"))
    assert seed2.published_at is None  # only the day of the visit is on the page


PARAS = [
    "قال وزير الخارجية التركي إن بلاده مستعدة لعقد لقاء مع نظيره السوري في موسكو خلال الأسابيع المقبلة، "
    "مؤكداً أن التحضيرات جارية.",
    "وأضاف في مؤتمر صحفي بأنقرة أن الاجتماع سيبحث ملف عودة اللاجئين وأمن الحدود ومكافحة التنظيمات المسلحة "
    "في الشمال السوري.",
    "وكانت موسكو قد استضافت في وقت سابق اجتماعاً لوزراء الدفاع في البلدين بمشاركة روسية، وُصف بأنه إيجابي وبنّاء.",
    "ولم يصدر تعليق فوري عن دمشق على هذه التصريحات، التي تأتي وسط احتجاجات في الشمال السوري رافضة للتطبيع.",
]


def test_read_also_inside_an_article_keeps_the_rest_of_it():
    text = "\n\n".join([*PARAS[:2], "اقرأ أيضاً", "أردوغان: لقاء الأسد ممكن بعد اجتماع وزراء الخارجية", *PARAS[2:]])
    article = clean_text(text)
    assert fold(PARAS[3]) in fold(article.body)
    assert "اقرأ أيضاً" not in article.body and "لقاء الأسد ممكن" not in article.body


def test_rail_printed_above_the_article_does_not_cut_it():
    text = "\n\n".join(["الأكثر قراءة", "عنوان خبر آخر عن الطقس في دمشق", "عنوان ثالث عن أسعار الذهب اليوم", *PARAS])
    article = clean_text(text)
    assert all(fold(p) in fold(article.body) for p in PARAS)
    assert "الأكثر قراءة" not in article.body and "أسعار الذهب" not in article.body


def test_comment_blocks_without_a_heading_are_cut():
    text = "\n".join([*PARAS, "أبو محمد", "· منذ 3 ساعات", "كلام فارغ ولن يحدث شيء", "Lina", "منذ يومين", "صحيح"])
    article = clean_text(text)
    assert article.body.endswith(PARAS[-1])


def test_given_title_and_caption_repeats_are_removed():
    title = "تركيا مستعدة للقاء وزير الخارجية السوري في موسكو"
    text = "\n\n".join([title, "تركيا مستعدة للقاء وزير خارجية النظام السوري في موسكو", *PARAS])
    article = clean_text(text, title=title)
    assert article.title == title
    assert article.body.startswith(PARAS[0])


def test_normalized_body_and_hash():
    article = clean_text("\n\n".join(PARAS))
    assert "أ" not in article.body_normalized and "ة" not in article.body_normalized
    again = clean_text("\n\n".join(PARAS) + "\n\nشارك\n\nفيسبوك تويتر واتساب")
    assert again.content_hash == article.content_hash


def test_bidi_marks_at_paragraph_edges_are_dropped():
    article = clean_text("\u200f" + PARAS[0] + "\u200f\n\n" + PARAS[1])
    assert article.body.startswith(PARAS[0][:10])


def test_rejections():
    with pytest.raises(Rejected) as err:
        clean_text("   \n ")
    assert err.value.reason == "empty"
    with pytest.raises(Rejected) as err:
        clean_text("The ministers met in Moscow on Wednesday and said that the talks were constructive.")
    assert err.value.reason == "not_arabic" and err.value.detail
    with pytest.raises(Rejected) as err:
        clean_text("شارك\n\nفيسبوك تويتر واتساب\n\nالتعليقات (0)")
    assert err.value.reason == "empty"


def test_furniture_of_real_pages_is_dropped_and_the_headline_found_above_the_prose():
    """Page furniture classes met in real pasted text (lines of our own in their shapes)."""
    from rasad.cleaning import clean_text

    lead = (
        "وصل الرئيس التركي رجب طيب أردوغان الاثنين إلى مدينة جدة في مستهل زيارة رسمية إلى المملكة العربية "
        "السعودية ضمن جولة خليجية تشمل الإمارات وقطر."
    )
    second = "وقال أردوغان قبل مغادرته إن العلاقات بين البلدين تستند إلى أسس راسخة من التعاون والتفاهم المشترك."
    furniture = [
        "السبت 23 نوفمبر 2024 الموافق 21 جمادى الأولى 1446",
        "رئيس التحرير",
        "سياسية - اجتماعية - ثقافية - عامة، تأسست عام 2011",
        "الثلاثاء, 21 آذار 2023 الساعة 12:03 | سياسة, محلي",
        "حرية – (23/8/2023)",
        "مركز الأخبار –",
        "camera iconعرض عسكري في قاعدة حميميم",
        "ع ع ع",
        "[ads3]",
        "Al Fujairah Tv",
        "وكالات - أنقرة:",
        "الغد برس/ ترجمة",
    ]
    text = "\n".join(
        [
            *furniture[:3],
            "أردوغان: العلاقات مع السعودية تستند إلى أسس راسخة",
            *furniture[3:],
            "أردوغان",
            "أردوغان",
            lead,
            second,
            "/انتهى/",
            "— Someone (@someone) November 19, 2022",
        ]
    )
    article = clean_text(text)
    assert article.title == "أردوغان: العلاقات مع السعودية تستند إلى أسس راسخة"
    assert article.body == f"{lead}\n\n{second}"


def test_short_lines_at_the_head_are_labels_and_mastheads_with_or_without_a_headline():
    lead = (
        "اختتمت في العاصمة الكازاخية أستانا اليوم اجتماعات نواب وزراء خارجية تركيا وروسيا وإيران وسوريا "
        "بعد يومين من المباحثات."
    )
    with_headline = "أخبار أمريكا والعالم\n\nروسيا تستعد للاجتماع الرباعي المقبل مع إيران وسوريا\n\n" + lead
    article = clean_text(with_headline)
    assert article.title == "روسيا تستعد للاجتماع الرباعي المقبل مع إيران وسوريا"
    assert article.body == lead
    assert clean_text("الطريق\n" + lead).body == lead  # a masthead above prose with no headline


def test_a_text_that_opens_with_a_full_headline_keeps_it_and_drops_the_caption_under_it():
    text = (
        "شراكة استراتيجية ومكافحة الإرهاب.. تفاصيل محادثات أردوغان والشرع\n"
        "أحمد الشرع ورجب طيب أردوغان خلال مؤتمر صحفي\n"
        "أكد الرئيس التركي رجب طيب أردوغان، خلال مؤتمر صحفي مشترك مع الرئيس السوري أحمد الشرع، أن بلاده تسعى "
        "لرفع مستوى العلاقات مع سوريا إلى شراكة استراتيجية.\n"
        "وأشار أردوغان إلى أن التعاون بين البلدين سيشمل تكثيف الجهود لمكافحة التنظيمات الإرهابية في المنطقة."
    )
    article = clean_text(text)
    assert article.title == "شراكة استراتيجية ومكافحة الإرهاب.. تفاصيل محادثات أردوغان والشرع"
    assert "خلال مؤتمر صحفي\n" not in article.body and article.body.startswith("أكد الرئيس التركي")


def test_a_section_label_above_a_headline_is_still_not_the_title():
    text = (
        "دولي\n"
        "ثلاثي وزراء دفاع تركيا وسوريا وروسيا يلتقون اليوم في موسكو\n"
        "الجريدة العربية\n"
        "التقى وزيرا دفاع تركيا وسوريا اليوم في موسكو لأول مرة منذ عام 2011 بحضور وزير الدفاع الروسي سيرغي شويغو."
    )
    article = clean_text(text)
    assert article.title == "ثلاثي وزراء دفاع تركيا وسوريا وروسيا يلتقون اليوم في موسكو"
    assert "الجريدة العربية" not in article.body and "دولي" not in article.body


@pytest.mark.parametrize(
    "furniture",
    [
        "13 أغسطس 202550 مشاهدةوقت القراءة: 2 دقيقة",
        "استمع إلى الملخص",
        "كاجين أحمد ـ xeber24.net",
    ],
)
def test_template_furniture_of_news_sites_is_neither_title_nor_body(furniture):
    headline = "الشيباني من أنقرة: سوريا تواجه تحديات كبيرة والحكومة مستمرة بالعمل"
    prose = (
        "شدد وزير الخارجية السوري أسعد الشيباني على أن سوريا تمر بمرحلة مفصلية بعد سنوات الحرب، خلال مؤتمر "
        "صحفي مشترك في أنقرة مع وزير الخارجية التركي هاكان فيدان."
    )
    for text in (f"{furniture}\n{headline}\n{prose}", f"{headline}\n{furniture}\n{prose}"):
        article = clean_text(text)
        assert article.title == headline
        assert article.body.strip() == prose


def test_a_date_label_glued_to_the_first_sentence_keeps_the_sentence():
    text = (
        "تركيا وسوريا توقعان مذكرة تفاهم للتدريب العسكري في أنقرة\n"
        " date 2025-08-13 والتقى وزير الدفاع التركي يشار غولر بوزير الدفاع السوري مرهف أبو قصرة ووزير الخارجية "
        "أسعد الشيباني في أنقرة، ووقع الوزيران مذكرة تفاهم للتدريب والمشورات العسكرية المشتركة."
    )
    assert "والتقى وزير الدفاع التركي يشار غولر" in clean_text(text).body


def test_a_who_said_what_headline_between_sentences_teases_another_article():
    text = (
        "فيدان يبحث مع نظيره العراقي ملف الحدود والمياه\n"
        "بحث وزير الخارجية التركي هاكان فيدان مع نظيره العراقي فؤاد حسين في أنقرة اليوم ملفات الحدود والمياه "
        "والتجارة بين البلدين.\n"
        "وزير الدفاع العراقي: لا قواعد أجنبية جديدة على أراضينا\n"
        "وأضاف فيدان خلال مؤتمر صحفي مشترك أن البلدين اتفقا على تشكيل لجنة فنية لمتابعة ملف المياه قريبا.\n"
        "التعاون في ملف المياه\n"
        "وقال حسين إن بغداد تنتظر زيادة الإطلاقات المائية من السدود التركية خلال الصيف المقبل بحسب الاتفاق."
    )
    article = clean_text(text)
    assert "لا قواعد أجنبية" not in article.body
    assert "التعاون في ملف المياه" in article.body  # the article's own subheading has no "who:" mark
    assert len(article.body.split("\n\n")) == 4


def test_a_sentence_with_a_colon_and_an_inner_full_stop_is_kept():
    text = (
        "أكار يلتقي نظيره السوري في موسكو للمرة الأولى\n"
        "التقى وزير الدفاع التركي خلوصي أكار نظيره السوري علي محمود عباس في موسكو بحضور الوزير الروسي.\n"
        "كما: تم الاتفاق على استمرار اللقاءات الثلاثية لضمان الاستقرار في سوريا والمنطقة. وفق البيان\n"
        "وكان الرئيس التركي قد أعلن قبل أسابيع استعداد بلاده لإصلاح العلاقات مع دمشق بعد سنوات من القطيعة."
    )
    assert "تم الاتفاق على استمرار اللقاءات" in clean_text(text).body


def test_agency_and_site_names_tags_prompts_and_news_links_are_dropped():
    """Furniture classes met in the real set's batch i (lines of our own in their shapes)."""
    furniture = [
        "موقع الشرق نيوز الإخباري:",
        "وكالة أنباء تاس الروسية",
        "الكلمات الدالة",
        "TAG: سوريا تركيا",
        "عرض جميع الأخبار",
        "يقرأون الآن",
        "اشترك مجانا بقناتنا على يوتيوب",
    ]
    article = clean_text("\n\n".join([furniture[0], *PARAS[:2], furniture[1], *PARAS[2:], *furniture[2:]]))
    assert all(fold(p) in fold(article.body) for p in PARAS)
    for line in furniture:
        assert fold(line) not in fold(article.body), line
