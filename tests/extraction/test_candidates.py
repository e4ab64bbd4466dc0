from __future__ import annotations

from rasad.extraction import kb_candidates


def test_candidates_across_articles(kb):
    articles = [
        (None, "التقى نائب وزير الخارجية التركي نوح يلماز المبعوث الأممي غير بيدرسن في أنقرة.", None),
        (None, "وقال نائب وزير الخارجية التركي نوح يلماز إن الحوار مستمر، وأضاف يلماز أن الاجتماع قريب.", None),
        (None, "وقال وزير الخارجية الإيراني حسن كاظمي قمي إن بلاده تدعم الحوار.", None),
    ]
    candidates = kb_candidates(articles, kb=kb)
    assert [c.name for c in candidates] == ["نوح يلماز", "حسن كاظمي قمي"]
    first = candidates[0]
    assert first.articles == 2 and first.mentions == 3
    assert first.roles == {"Turkish deputy foreign minister": 2} and first.countries == {"TR": 2}
    assert "نوح يلماز" in first.example
    assert [c.name for c in kb_candidates(articles, kb=kb, min_articles=2)] == ["نوح يلماز"]
