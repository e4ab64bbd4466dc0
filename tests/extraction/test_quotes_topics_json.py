from __future__ import annotations

import datetime as dt
import json

from rasad.extraction import extract, to_json
from rasad.extraction.topics import TopicSpec, load_topics


def test_quotes(kb):
    body = (
        'وقال لافروف: "تم الاتفاق على إشراك إيران في هذا العمل". وأضاف: "نتقدم خطوة بخطوة من أجل نتائج". '
        "وقال وزير الخارجية التركي مولود تشاووش أوغلو إن الاجتماع سيعقد قريبا في موسكو."
    )
    result = extract(title=None, body=body, published_at=None, kb=kb)
    quotes = [(q.speaker, q.text, q.direct) for q in result.quotes]
    assert quotes[0] == ("Sergey Lavrov", "تم الاتفاق على إشراك إيران في هذا العمل", True)
    assert quotes[1] == ("Sergey Lavrov", "نتقدم خطوة بخطوة من أجل نتائج", True)
    assert quotes[2][0] == "Mevlüt Çavuşoğlu" and not quotes[2][2]
    for q in result.quotes:
        assert body[q.start : q.end] == q.text


def test_relevance_reasons_and_negatives(kb):
    relevant = extract(
        title="موسكو تستضيف اجتماعا رباعيا",
        published_at=dt.date(2023, 4, 25),
        kb=kb,
        body="بحث وزراء خارجية تركيا وسوريا وروسيا وإيران في موسكو اليوم تطبيع العلاقات بين أنقرة ودمشق.",
    )
    assert relevant.relevant and relevant.relevance >= 0.5
    topic = relevant.topics[0]
    assert topic.topic == "turkey_syria_normalization"
    assert any(r.startswith("event:") for r in topic.reasons) and any(r.startswith("cue:") for r in topic.reasons)
    ukraine = extract(
        title=None,
        published_at=dt.date(2023, 3, 17),
        kb=kb,
        body="أجرى أردوغان اتصالا هاتفيا مع بوتين بحثا خلاله الحرب في أوكرانيا واتفاق الحبوب.",
    )
    assert not ukraine.relevant
    new_government = extract(
        title=None,
        published_at=dt.date(2024, 12, 22),
        kb=kb,
        body="التقى وزير الخارجية التركي هاكان فيدان قائد الإدارة السورية الجديدة أحمد الشرع "
        "في دمشق لبحث تطبيع العلاقات بين البلدين بعد سقوط نظام الأسد.",
    )
    by_topic = {t.topic: t.relevant for t in new_government.topics}
    assert by_topic == {"turkey_syria_normalization": False, "turkey_syria_after_assad": True}


def test_the_new_eras_own_words_make_an_undated_article_its_story(kb):
    """The SDF's integration and the agreement of 10 March 2025 name the time after Assad, dated or not."""
    body = (
        "أكد الرئيس التركي رجب طيب أردوغان أن قوات سوريا الديمقراطية يجب أن تندمج في مؤسسات الدولة السورية "
        "في أقرب وقت ممكن، وأن تلتزم تركيا وسوريا بالاتفاق الموقع في 10 آذار بين قيادة قسد والقيادة السورية."
    )
    by_topic = {t.topic: t.relevant for t in extract(title=None, body=body, published_at=None, kb=kb).topics}
    assert by_topic == {"turkey_syria_normalization": False, "turkey_syria_after_assad": True}


def test_the_new_foreign_minister_is_known_by_his_surname_alone(kb):
    body = "وقال الشيباني خلال مؤتمر صحفي مشترك مع نظيره التركي هاكان فيدان في أنقرة إن العلاقات تتطور."
    result = extract(title=None, body=body, published_at=dt.date(2025, 8, 13), kb=kb)
    assert {p.name for p in result.persons} == {"Asaad al-Shaibani", "Hakan Fidan"}


def test_topics_are_data(tmp_path):
    topics = load_topics()
    assert [t.spec.id for t in topics] == ["turkey_syria_normalization", "turkey_syria_after_assad"]
    spec = TopicSpec.model_validate(
        {
            "version": 1,
            "id": "egypt_turkey",
            "name": "Egypt–Turkey",
            "required_countries": ["EG", "TR"],
            "cues": {"phrases": [{"phrase": "تطبيع", "weight": 0.4}]},
        }
    )
    assert spec.threshold == 0.5
    (tmp_path / "egypt.yaml").write_text(json.dumps(spec.model_dump(mode="json"), ensure_ascii=False), encoding="utf-8")
    assert [t.spec.id for t in load_topics(tmp_path)] == ["egypt_turkey"]


def test_json_shape(kb):
    result = extract(
        title=None,
        published_at=dt.date(2023, 3, 2),
        kb=kb,
        body="وفي 16 من كانون الثاني بحث الرئيس الروسي فلاديمير بوتين ونظيره التركي رجب طيب أردوغان "
        "تطبيع العلاقات بين النظام السوري وتركيا، حسب وكالة الأناضول.",
    )
    data = to_json(result)
    assert set(data) >= {"relevant", "relevance", "topics", "persons", "organizations", "places", "events", "quotes"}
    person = data["persons"][0]
    assert set(person) >= {"name", "role", "wikidata", "known", "mentions"}
    assert person["name"] == "Vladimir Putin" and person["wikidata"] == "Q7747"
    assert data["organizations"] == [{"name": "Anadolu Agency"}]
    assert {"name": "Turkey", "country": "TR"} in data["places"]
    event = data["events"][0]
    assert set(event) >= {"kind", "status", "level", "countries", "persons", "location", "date", "mediator", "evidence"}
    assert (event["kind"], event["date"]) == ("call", "2023-01-16")
    json.dumps(data, ensure_ascii=False)


def test_empty_and_non_arabic(kb):
    assert to_json(extract(title=None, body="", published_at=None, kb=kb))["events"] == []
    assert not extract(title="Hello", body="Nothing here.", published_at=None, language="en", kb=kb).relevant


def test_quotation_marks_inside_a_cue_phrase_do_not_break_it(kb):
    body = (
        'دعا وزير الخارجية التركي مولود جاويش أوغلو، الأربعاء، إلى "مصالحة" بين الحكومة السورية والمعارضة، '
        "مؤكدا أن بلاده تريد سلاما دائما في سوريا."
    )
    result = extract(title=None, body=body, published_at=dt.date(2022, 8, 17), kb=kb)
    topic = next(t for t in result.topics if t.topic == "turkey_syria_normalization")
    assert "cue:مصالحه بين الحكومه السوريه والمعارضه" in topic.reasons
    assert topic.relevant
