# ruff: noqa: E501  (Arabic sample paragraphs are kept whole)
"""Furniture phrases of Arabic outlets beyond the seeds go; prose that merely contains them stays."""

import pytest

from rasad.cleaning import clean_text
from rasad.cleaning.evaluation import FIXTURES
from rasad.cleaning.rules import load_rules
from rasad.cleaning.text_rules import clean_lines
from rasad.text.arabic import normalize_arabic

TITLE = "الحكومة تعلن خطة جديدة لدعم المزارعين في المناطق المتضررة من الجفاف"
PARAS = [
    "أعلنت الحكومة، اليوم الأحد، خطة لدعم المزارعين في المناطق المتضررة من الجفاف بقيمة 200 مليون دولار، تشمل قروضا ميسرة وبذورا محسنة.",
    "وقال وزير الزراعة في مؤتمر صحفي إن الخطة ستنفذ على ثلاث مراحل تبدأ الشهر المقبل، وإن الأولوية ستكون للمزارعين الصغار في الأرياف.",
    "ويعاني القطاع الزراعي من تراجع حاد في الإنتاج بعد ثلاث سنوات متتالية من شح الأمطار وارتفاع تكاليف الري والأسمدة والوقود.",
]


def body_of(*lines: str) -> str:
    return clean_text("\n".join([TITLE, *lines]), title=TITLE).body


FURNITURE = [
    "شارك",
    "شارك المقال",
    "تابعونا على",
    "تابعونا على فيسبوك وتويتر",
    "اشترك في النشرة",
    "اشترك في النشرة البريدية لتصلك آخر الأخبار",
    "للمزيد",
    "للمزيد اضغط هنا",
    "اقرأ المزيد",
    "نشر في: 12 مارس 2024",
    "آخر تحديث: منذ ساعتين",
    "آخر تحديث: 12/03/2024 10:30",
    "المصدر: وكالات",
    "المصادر: رويترز + الجزيرة",
    "وكالات",
    "عمّان - وكالات",
    "الرئيس يلقي كلمته في الجلسة (الصورة: رويترز)",
    "مشهد من السوق المركزي (أ ف ب)",
    "تصوير: أحمد سالم",
    "إعلان",
    "Advertisement",
    "حمّل تطبيق الموقع على هاتفك",
    "متوفر على App Store و Google Play",
    "#سوريا #دمشق #اقتصاد",
    "نستخدم ملفات تعريف الارتباط لتحسين تجربتك على موقعنا",
    "موافق",
    "صدر الصورة، Getty Images",
    "عنب بلدي – إدلب",
    "الموقع الإلكتروني لوكالة الأناضول يعرض جزءًا من الأخبار المقدمة للمشتركين بنظام تدفق الأخبار",
]


@pytest.mark.parametrize("line", FURNITURE)
def test_furniture_line_between_paragraphs_goes(line):
    body = body_of(PARAS[0], line, PARAS[1], PARAS[2])
    assert line not in body
    for para in PARAS:
        assert para in body


@pytest.mark.parametrize(
    "line",
    [
        "جميع الحقوق محفوظة © 2024",
        "حقوق الطبع والنشر محفوظة لوكالة الأنباء 2024",
        "مواضيع ذات صلة",
        "أخبار ذات صلة",
        "قد يهمك أيضا",
        "الأكثر مشاهدة",
        "آخر الأخبار",
    ],
)
def test_end_of_article_markers_cut_what_follows(line):
    body = body_of(*PARAS, line, "رابط إلى خبر آخر عن الطقس في المنطقة")
    assert line not in body and "خبر آخر" not in body
    assert all(para in body for para in PARAS)


PROSE = [
    # marker words inside sentences
    "وقال المتحدث إن على المواطنين أن يقرؤوا البيان كاملا، مضيفا: اقرأ التفاصيل على موقع الوزارة قبل تقديم أي طلب للحصول على الدعم.",
    "وأكد المصدر ذاته أن المفاوضات مع الجهات المانحة ستستأنف الأسبوع المقبل في العاصمة بمشاركة ممثلين عن البنك الدولي.",
    "وبحسب المصدر: فإن الدفعة الأولى من القروض ستصرف للمزارعين قبل بدء موسم الزراعة الشتوي في شهر تشرين الثاني المقبل.",
    # a wire story's last paragraph ends with the agency in parentheses
    "وتراجعت أسعار القمح في الأسواق العالمية خلال الأسبوع الماضي بعد توقعات بمحصول وفير في أستراليا والأرجنتين. (رويترز)",
    # verbs that open prompts open sentences too
    "سجل قطاع البريد الوطني نموا بنسبة 12 بالمئة في عدد الشحنات المرسلة إلى الخارج عبر البريد السريع خلال العام الماضي.",
    "تابعوا التطورات الاقتصادية عن كثب، يقول الخبير، لأن قطاع الزراعة يوفر ربع فرص العمل في البلاد ويتأثر بأسعار الوقود.",
    "انضم الأردن إلى مبادرة إقليمية لمكافحة التصحر، بحسب بيان نشرته الوزارة على حسابها في فيسبوك مساء أمس.",
    # datelines opening paragraphs
    "دمشق - قالت وزارة الزراعة إن المساحات المزروعة بالقمح تراجعت هذا العام بنسبة 20 بالمئة بسبب ارتفاع تكاليف الإنتاج.",
    "بيروت - أعلن مصرف لبنان المركزي تمديد العمل بالتعميم الخاص بسحب الودائع بالدولار حتى نهاية العام الحالي.",
    # cookies as a subject, copyright as a subject
    "وتستخدم مواقع التسوق ملفات تعريف الارتباط لتتبع المستخدمين، وهو ما دفع البرلمان إلى مناقشة قانون جديد لحماية البيانات الشخصية.",
    "وقالت الشركة إن جميع الحقوق محفوظة للمؤلفين بموجب القانون الجديد الذي يمنحهم نسبة من عائدات البث الرقمي لأعمالهم.",
]


@pytest.mark.parametrize("para", PROSE)
def test_prose_that_contains_marker_words_stays(para):
    body = body_of(PARAS[0], para, PARAS[1], PARAS[2])
    assert para in body
    assert all(p in body for p in PARAS)


def test_live_blog_stamps_are_not_a_comment_section():
    entries = [PARAS[0], "منذ 15 دقيقة", "وصول فرق الإغاثة", PARAS[1], "منذ ساعة", PARAS[2]]
    body = body_of(*entries)
    assert all(p in body for p in PARAS) and "وصول فرق الإغاثة" in body
    assert "منذ 15 دقيقة" not in body and "منذ ساعة" not in body


def test_comments_under_names_are_still_cut():
    body = body_of(*PARAS, "أبو محمد", "منذ 3 ساعات", "كلام فارغ")
    assert "كلام فارغ" not in body and "أبو محمد" not in body


def test_read_also_box_end_marker_keeps_the_subheading_after_it():
    body = body_of(PARAS[0], "قصص مقترحة", "قصص مقترحة نهاية", "ما الذي يسبب الجفاف؟", PARAS[1])
    assert "ما الذي يسبب الجفاف؟" in body and "قصص مقترحة" not in body


TEXTS = [
    path.read_text(encoding="utf-8", errors="replace")
    for path in sorted([*FIXTURES.rglob("*.txt"), *FIXTURES.rglob("*.html")])
]


def test_body_normalized_is_normalize_of_body():
    rules = load_rules("ar")
    for text in TEXTS:
        cleaning = clean_lines(text, rules)
        assert cleaning.body_normalized() == normalize_arabic("\n\n".join(cleaning.paragraphs))
