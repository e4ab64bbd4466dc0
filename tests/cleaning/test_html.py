import datetime as dt
import json

import pytest

from rasad.cleaning import Rejected, clean_html
from rasad.cleaning.evaluation import FIXTURES, token_prf
from rasad.sources.models import Selectors, Source

CNN = FIXTURES / "corpus" / "cnn_arabic_2013"
CNN_URL = "http://arabic.cnn.com/2013/middle_east/8/3/syria.clashes/index.html"
CASES = FIXTURES / "cleaning"
MANIFEST = {c["id"]: c for c in json.loads((CASES / "manifest.json").read_text(encoding="utf-8"))["cases"]}

PARAS = [
    "قال وزير الخارجية التركي إن بلاده مستعدة لعقد لقاء مع نظيره السوري في موسكو خلال الأسابيع المقبلة، "
    "مؤكداً أن التحضيرات جارية.",
    "وأضاف في مؤتمر صحفي بأنقرة أن الاجتماع سيبحث ملف عودة اللاجئين وأمن الحدود ومكافحة التنظيمات المسلحة "
    "في الشمال السوري.",
    "وكانت موسكو قد استضافت في وقت سابق اجتماعاً لوزراء الدفاع في البلدين بمشاركة روسية، وُصف بأنه إيجابي وبنّاء.",
    "ولم يصدر تعليق فوري عن دمشق على هذه التصريحات، التي تأتي وسط احتجاجات في الشمال السوري رافضة للتطبيع.",
]


def page(body: str, head: str = "", title: str = "تركيا مستعدة للقاء سوري في موسكو") -> str:
    return (
        f'<!DOCTYPE html><html lang="ar" dir="rtl"><head><meta charset="utf-8"><title>{title}</title>{head}</head>'
        f"<body><nav><a href='/'>الرئيسية</a> <a href='/p'>سياسة</a></nav>{body}<footer>© 2024</footer></body></html>"
    )


def case_bytes(case_id: str) -> bytes:
    return (CASES / MANIFEST[case_id]["file"]).read_bytes()


def test_cnn_page_token_f1_against_gold():
    article = clean_html((CNN / "cnnarabic_2013_syria_clashes.html").read_bytes(), url=CNN_URL)
    gold = (CNN / "cnnarabic_2013_syria_clashes.gold.txt").read_text(encoding="utf-8")
    _, _, f1 = token_prf(article.body, gold)
    assert f1 >= 0.95
    assert "ترحب شبكة CNN بالنقاش" not in article.body
    assert article.title == "معارضون يسيطرون على مخازن للصواريخ بريف دمشق"
    assert article.language == "ar" and article.encoding == "utf-8"
    assert article.canonical_url == CNN_URL
    assert article.published_at == dt.datetime(2013, 8, 3, tzinfo=dt.UTC)  # from the URL path


def test_metadata_date_wins_over_the_visit_date_in_the_header():
    case = MANIFEST["header_date_jeddah"]
    article = clean_html(case_bytes("header_date_jeddah"), url=case["url"])
    assert article.published_at == dt.datetime(2023, 5, 19, 10, 0, tzinfo=dt.timezone(dt.timedelta(hours=3)))
    assert "الجمعة 22 نوفمبر" not in article.body


def test_no_date_markup_means_no_date_not_the_header_date():
    case = MANIFEST["header_date_no_meta"]
    assert clean_html(case_bytes("header_date_no_meta"), url=case["url"]).published_at is None


def test_json_ld_gives_date_and_authors():
    case = MANIFEST["amp_saudi_iran"]
    article = clean_html(case_bytes("amp_saudi_iran"), url=case["url"])
    assert article.published_at == dt.datetime(2023, 3, 10, 16, 45, tzinfo=dt.UTC)
    assert article.authors == ["سارة محمود"]
    assert article.canonical_url == "https://khaleej.example/news/2023/03/10/saudi-iran-deal"


def test_source_selectors_take_precedence():
    case = MANIFEST["selectors_red_sea"]
    source = Source(id="yemen-now", name="x", base_url="https://yemen-now.example/", **case["source"])
    article = clean_html(case_bytes("selectors_red_sea"), url=case["url"], source=source)
    assert "extract:selector" in article.removed
    assert article.title == "الحوثيون يعلنون استهداف سفينة تجارية في البحر الأحمر بصاروخ بحري"
    assert article.published_at is not None and article.published_at.date() == dt.date(2024, 1, 26)
    assert "اشترك في نشرتنا" not in article.body and "روابط ذات صلة" not in article.body


def test_remove_selectors_apply_before_trafilatura():
    html = page(
        "<article><h1>تركيا مستعدة للقاء سوري في موسكو</h1>"
        + "".join(f"<p>{p}</p>" for p in PARAS[:2])
        + f"<div class='promo'><p>{PARAS[3]}</p></div>"
        + f"<p>{PARAS[2]}</p></article>"
    )
    source = Source(id="t-source", name="t", base_url="https://t.example/", selectors=Selectors(remove=[".promo"]))
    article = clean_html(html, url="https://t.example/a/1", source=source)
    assert PARAS[3][:30] not in article.body and PARAS[2][:30] in article.body


def test_invalid_selector_does_not_break_cleaning():
    """Selectors are validated where a source enters; one stored before that still cannot break cleaning."""
    html = page("<article>" + "".join(f"<p>{p}</p>" for p in PARAS) + "</article>")
    source = Source.model_construct(
        id="bad-sel", name="b", base_url="https://b.example/",
        selectors=Selectors.model_construct(body="div[[", remove=["::x"]),
    )  # fmt: skip
    assert PARAS[0][:30] in clean_html(html, source=source).body


@pytest.mark.parametrize("case_id", ["cp1256_sudan", "cp1256_declared_latin1"])
def test_windows_1256_pages(case_id):
    case = MANIFEST[case_id]
    article = clean_html(case_bytes(case_id), url=case["url"], declared_encoding=case.get("declared_encoding"))
    assert article.encoding == "cp1256"
    assert "اشتباكات العنيفة في العاصمة السودانية" in article.body
    assert article.published_at is not None and article.published_at.date() == dt.date(2023, 4, 17)


@pytest.mark.parametrize(
    ("case_id", "reason"),
    [
        ("listing_politics", "listing_page"),
        ("tag_page_syria", "listing_page"),
        ("english_page", "not_arabic"),
        ("empty_page", "empty"),
    ],
)
def test_rejected_fixture_pages(case_id, reason):
    case = MANIFEST[case_id]
    source = Source(id="r-src", name="r", base_url="https://r.example/", **case.get("source", {}))
    with pytest.raises(Rejected) as err:
        clean_html(case_bytes(case_id), url=case["url"], source=source)
    assert err.value.reason == reason and err.value.detail


def test_english_page_is_accepted_without_an_arabic_source():
    article = clean_html(case_bytes("english_page"))
    assert article.language == "en"


@pytest.mark.parametrize(
    ("payload", "kwargs", "reason"),
    [
        (b"", {}, "empty"),
        ("<html><body>" + "ا" * 2000 + "</body></html>", {"max_bytes": 1000}, "too_large"),
        (b"%PDF-1.7\n\x00\x01\x02\x03" * 50, {}, "undecodable"),
        ("just a plain line of text without markup", {}, "not_html"),
    ],
)
def test_rejection_reasons(payload, kwargs, reason):
    with pytest.raises(Rejected) as err:
        clean_html(payload, **kwargs)
    assert err.value.reason == reason


def test_rejected_reason_must_be_known():
    with pytest.raises(ValueError):
        Rejected("bored", "x")


def test_appended_article_in_html_is_cut():
    for case_id in ("appended_article_captagon", "appended_article_no_source"):
        article = clean_html(case_bytes(case_id), url=MANIFEST[case_id]["url"])
        assert "ويشكو الأردن منذ سنوات" in article.body
        assert "رأس الحكمة" not in article.body and "درنة" not in article.body


def test_a_worded_maghrebi_date_in_a_date_element_is_the_article_date():
    """A Tunisian page with no date markup: "29 جانفي 2023" in the post's date element, not the header's day."""
    body = (
        "<p>استضافت العاصمة الروسية موسكو أمس اجتماعا لوزراء دفاع ورؤساء مخابرات كل من تركيا وروسيا وسوريا "
        "جرت خلاله محادثات وصفتها أنقرة وموسكو بأنها بناءة وفق بيانين رسميين.</p>"
        "<p>وتأتي هذه المباحثات في إطار الجهود لتطبيع العلاقات بين أنقرة ودمشق بعد سنوات من القطيعة بين البلدين.</p>"
    )
    page = (
        "<html><head><title>محادثات بناءة في موسكو</title></head><body>"
        '<header><div class="date-today">الثلاثاء 3 ديسمبر 2026</div></header>'
        '<article><h1>محادثات بناءة في موسكو</h1><div class="post-meta"><span class="post-date">'
        f"29 جانفي 2023</span></div>{body}</article></body></html>"
    )
    article = clean_html(page)
    assert article.published_at is not None and article.published_at.date().isoformat() == "2023-01-29"


def test_a_short_wire_story_framed_by_links_is_kept_when_the_page_declares_an_article():
    links = "".join(f'<li><a href="/news/{i}">عنوان خبر آخر رقم {i} في قسم السياسة</a></li>' for i in range(60))
    story = (
        "<p>أعلنت وزارة الخارجية التركية أن الوزير سيعقد اليوم في موسكو أول اجتماع رسمي مع نظيره السوري "
        "منذ اندلاع الحرب، بمشاركة وزيري خارجية روسيا وإيران.</p>"
    )
    framed = f"<ul>{links}</ul><article><h1>اجتماع في موسكو</h1>{story}</article><ul>{links}</ul>"
    declared = f'<html><head><meta property="og:type" content="article"></head><body>{framed}</body></html>'
    article = clean_html(declared)
    assert "أول اجتماع رسمي" in article.body
    with pytest.raises(Rejected) as rejected:
        clean_html(f"<html><head></head><body>{framed}</body></html>")
    assert rejected.value.reason == "listing_page"


def test_a_lead_paragraph_outside_the_body_container_is_kept():
    lead = (
        "التقى وزيرا الدفاع التركي والسوري في موسكو بحضور نظيرهما الروسي في أول لقاء رسمي على هذا المستوى "
        "منذ اندلاع النزاع في سوريا."
    )
    paragraphs = "".join(
        f"<p>وقالت وزارة الدفاع الروسية في بيان إن المحادثات الثلاثية تناولت سبل حل الأزمة السورية "
        f"وقضية اللاجئين والجهود المشتركة لمكافحة الإرهاب، في الفقرة رقم {i} من التقرير.</p>"
        for i in range(6)
    )
    page = (
        "<html><head><title>لقاء وزيري الدفاع في موسكو</title></head><body>"
        f'<h1>لقاء وزيري الدفاع في موسكو</h1><p class="article-lead">{lead}</p>'
        f'<div class="article-body">{paragraphs}</div></body></html>'
    )
    article = clean_html(page)
    assert article.body.startswith("التقى وزيرا الدفاع التركي والسوري")
