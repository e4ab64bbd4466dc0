"""Measure cleaning against the fixtures: seeds (text), the CNN Arabic page, and the cleaning cases.

For every case: the share of required body snippets kept, the share of boilerplate snippets
dropped, whether the title appears once (as the title, not in the body), token-level
precision/recall/F1 against a gold body where one exists, the date and the rejection reason.
"""

from __future__ import annotations

import json
import re
from collections import Counter
from dataclasses import asdict, dataclass, field
from pathlib import Path

from rasad.cleaning.models import CleanedArticle, Rejected
from rasad.cleaning.pipeline import clean_html, clean_text
from rasad.fixture_site import outlets
from rasad.fixture_site.content import load_seed_articles
from rasad.fixture_site.render import Renderer
from rasad.sources.models import Source
from rasad.text.arabic import normalize_arabic

FIXTURES = Path(__file__).resolve().parent.parent / "fixtures"
_TOKEN = re.compile(r"\w+", re.UNICODE)


@dataclass
class CaseResult:
    """The scores of one fixture case."""

    case: str
    kind: str
    keep_share: float | None = None
    drop_share: float | None = None
    title_once: bool | None = None
    precision: float | None = None
    recall: float | None = None
    f1: float | None = None
    date_ok: bool | None = None
    rejected: str | None = None
    expected_reject: str | None = None
    problems: list[str] = field(default_factory=list)

    @property
    def passed(self) -> bool:
        """No missing snippet, no leaked snippet, title once, right date, right rejection."""
        return not self.problems


def tokens(text: str) -> list[str]:
    """Word tokens of the normalized text."""
    return _TOKEN.findall(normalize_arabic(text))


def token_prf(predicted: str, gold: str) -> tuple[float, float, float]:
    """Bag-of-tokens precision, recall and F1 of a body against a gold body."""
    got, want = Counter(tokens(predicted)), Counter(tokens(gold))
    overlap = sum((got & want).values())
    precision = overlap / sum(got.values()) if got else 0.0
    recall = overlap / sum(want.values()) if want else 0.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    return precision, recall, f1


def _fold(text: str) -> str:
    return " ".join(text.split())


def _score_snippets(result: CaseResult, article: CleanedArticle, keep: list[str], drop: list[str]) -> None:
    body = _fold(article.body)
    missing = [s for s in keep if _fold(s) not in body]
    leaked = [s for s in drop if _fold(s) in body]
    result.keep_share = 1 - len(missing) / len(keep) if keep else 1.0
    result.drop_share = 1 - len(leaked) / len(drop) if drop else 1.0
    result.problems += [f"missing: {s[:50]}" for s in missing] + [f"leaked: {s[:50]}" for s in leaked]


def _score_title(result: CaseResult, article: CleanedArticle, title: str | None) -> None:
    if not title:
        return
    lines = {_fold(p) for p in article.body.split("\n\n")}
    result.title_once = (
        article.title is not None
        and _fold(article.title) == _fold(title)
        and _fold(title) not in lines
        and not _fold(article.body).startswith(_fold(title))
    )
    if not result.title_once:
        result.problems.append(f"title: got {article.title!r}")


def _score_gold(result: CaseResult, article: CleanedArticle, gold: str) -> None:
    result.precision, result.recall, result.f1 = token_prf(article.body, gold)


def evaluate_seeds() -> list[CaseResult]:
    """The five seed articles, cleaned as text, against `gold/seeds.json`."""
    documents = json.loads((FIXTURES / "gold" / "seeds.json").read_text(encoding="utf-8"))["documents"]
    results = []
    for doc in documents:
        result = CaseResult(case=f"seed {doc['file'][:3]}", kind="text")
        text = (FIXTURES / "seeds" / doc["file"]).read_text(encoding="utf-8")
        article = clean_text(text)
        _score_snippets(result, article, doc["body_must_contain"], doc["body_must_not_contain"])
        if doc.get("title"):
            _score_title(result, article, doc["title"])
        elif article.title is not None:
            result.problems.append(f"title: expected none, got {article.title!r}")
        wrong = doc.get("published_at_is_not")
        if article.published_at is not None:
            got = article.published_at.date().isoformat()
            result.date_ok = got != wrong and (doc.get("published_at") in (None, got))
            if not result.date_ok:
                result.problems.append(f"date: {got}")
        results.append(result)
    return results


def evaluate_cnn() -> CaseResult:
    """The real CNN Arabic page against its gold body."""
    folder = FIXTURES / "corpus" / "cnn_arabic_2013"
    meta = json.loads((folder / "cnnarabic_2013_syria_clashes.meta.json").read_text(encoding="utf-8"))
    raw = (folder / "cnnarabic_2013_syria_clashes.html").read_bytes()
    gold = (folder / "cnnarabic_2013_syria_clashes.gold.txt").read_text(encoding="utf-8")
    result = CaseResult(case="cnn_arabic_2013", kind="html")
    article = clean_html(raw, url=meta["url"])
    _score_gold(result, article, gold)
    _score_title(result, article, meta["title"])
    _score_snippets(result, article, [], ["ترحب شبكة CNN بالنقاش", "الآراء الواردة أدناه"])
    return result


def _run_case(case: dict, root: Path) -> CleanedArticle:
    path = root / case["file"]
    if case["kind"] == "text":
        return clean_text(path.read_text(encoding="utf-8"), url=case.get("url"))
    source = None
    if "source" in case:
        source = Source(
            id="fixture", name="fixture", base_url=case.get("url") or "https://fixture.example/", **case["source"]
        )
    return clean_html(
        path.read_bytes(), url=case.get("url"), source=source, declared_encoding=case.get("declared_encoding")
    )


def evaluate_cases(root: Path | None = None) -> list[CaseResult]:
    """The cases of `fixtures/cleaning/manifest.json`."""
    root = root or FIXTURES / "cleaning"
    manifest = json.loads((root / "manifest.json").read_text(encoding="utf-8"))
    results = []
    for case in manifest["cases"]:
        result = CaseResult(case=case["id"], kind=case["kind"], expected_reject=case.get("reject"))
        try:
            article = _run_case(case, root)
        except Rejected as exc:
            result.rejected = exc.reason
            if exc.reason != case.get("reject"):
                result.problems.append(f"rejected: {exc.reason} ({exc.detail})")
            results.append(result)
            continue
        if case.get("reject"):
            result.problems.append(f"accepted, expected rejection {case['reject']}")
            results.append(result)
            continue
        _score_snippets(result, article, case.get("keep", []), case.get("drop", []))
        _score_title(result, article, case.get("title"))
        if case.get("gold"):
            _score_gold(result, article, (root / case["gold"]).read_text(encoding="utf-8"))
        expected_date = case.get("published_date")
        got = article.published_at.date().isoformat() if article.published_at else None
        result.date_ok = got == expected_date
        if not result.date_ok:
            result.problems.append(f"date: got {got}, expected {expected_date}")
        if case.get("encoding") and article.encoding != case["encoding"]:
            result.problems.append(f"encoding: got {article.encoding}, expected {case['encoding']}")
        results.append(result)
    return results


def evaluate_fixture_site() -> list[CaseResult]:
    """The seed articles as the fixture site renders them (HTML in each outlet's template)."""
    documents = json.loads((FIXTURES / "gold" / "seeds.json").read_text(encoding="utf-8"))["documents"]
    gold = {doc["file"]: doc for doc in documents}
    articles = load_seed_articles()
    renderer = Renderer("http://127.0.0.1:8765")
    results = []
    for article in articles:
        doc = gold.get(article.seed or "")
        if doc is None:
            continue
        result = CaseResult(case=f"site {doc['file'][:3]} ({article.outlet})", kind="html")
        html = renderer.article(outlets.OUTLETS[article.outlet], article, articles)
        cleaned = clean_html(html, url=renderer.article_url(article))
        _score_snippets(result, cleaned, doc["body_must_contain"], doc["body_must_not_contain"])
        if doc.get("title"):
            _score_title(result, cleaned, doc["title"])
        elif cleaned.title is not None:
            result.problems.append(f"title: expected none, got {cleaned.title!r}")
        got = cleaned.published_at.date().isoformat() if cleaned.published_at else None
        if doc.get("published_at") or got == doc.get("published_at_is_not"):
            result.date_ok = got == doc.get("published_at")
            if not result.date_ok:
                result.problems.append(f"date: got {got}, expected {doc.get('published_at')}")
        results.append(result)
    return results


def evaluate_all() -> list[CaseResult]:
    """Every fixture case: seeds as text, seeds as fixture-site HTML, the CNN page, the cleaning cases."""
    return [*evaluate_seeds(), *evaluate_fixture_site(), evaluate_cnn(), *evaluate_cases()]


def summarize(results: list[CaseResult]) -> dict[str, float | int]:
    """Aggregate figures: mean keep/drop shares, mean F1 over gold cases, title-once share, passes."""

    def mean(values: list[float]) -> float:
        return sum(values) / len(values) if values else 0.0

    scored = [r for r in results if r.keep_share is not None]
    gold = [r.f1 for r in results if r.f1 is not None]
    titled = [r for r in results if r.title_once is not None]
    return {
        "cases": len(results),
        "passed": sum(r.passed for r in results),
        "keep_share": mean([r.keep_share for r in scored if r.keep_share is not None]),
        "drop_share": mean([r.drop_share for r in scored if r.drop_share is not None]),
        "title_once_share": mean([1.0 if r.title_once else 0.0 for r in titled]),
        "mean_f1": mean(gold),
        "min_f1": min(gold) if gold else 0.0,
    }


def as_dicts(results: list[CaseResult]) -> list[dict]:
    """JSON-ready form of the results."""
    return [{**asdict(r), "passed": r.passed} for r in results]
