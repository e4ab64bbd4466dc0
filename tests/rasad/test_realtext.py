"""The real-text set's plumbing: annotations, split, hash-checked cache, line scores.

The real texts themselves are not in the repository (docs/realtext.md); these tests use text of
our own in the same shapes.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from rasad.realtext import (
    RealDocument,
    RealTextError,
    cached_text,
    load_documents,
    load_split,
    missing,
    part_of,
    prepare,
    put,
    score_lines,
    text_hash,
)

TEXT = (
    "تركيا وسوريا تبحثان التطبيع\n"
    "شارك\n"
    "التقى وزير الخارجية التركي بنظيره السوري في موسكو اليوم الأربعاء.\n"
    "وبحث الجانبان تطبيع العلاقات بين البلدين. (سانا)\n"
    "اقرأ أيضا: أخبار أخرى"
)


def _doc(**overrides) -> dict:
    doc = {
        "id": "z01",
        "url": "https://example.org/a",
        "query": "وزير الخارجية التركي موسكو",
        "outlet": "example.org",
        "text_sha256": text_hash(TEXT),
        "text_chars": len(TEXT),
        "title_line": 0,
        "published_at": "2023-05-10",
        "relevant": True,
        "persons": [],
        "events": [],
        "lines": {"boilerplate": [1, 4], "article": [2, 3]},
    }
    doc.update(overrides)
    return doc


def _write(directory: Path, docs: list[dict]) -> Path:
    directory.mkdir(parents=True, exist_ok=True)
    (directory / "batch.json").write_text(json.dumps({"version": 1, "documents": docs}), encoding="utf-8")
    return directory


def test_documents_load_and_ids_are_unique(tmp_path):
    docs = load_documents(_write(tmp_path / "ann", [_doc()]))
    assert [d.id for d in docs] == ["z01"]
    with pytest.raises(RealTextError, match="already used"):
        load_documents(_write(tmp_path / "dup", [_doc(), _doc()]))


def test_a_malformed_annotation_names_its_file_and_field(tmp_path):
    with pytest.raises(RealTextError, match=r"batch.json: documents\[0\]: text_sha256"):
        load_documents(_write(tmp_path / "bad", [_doc(text_sha256="nope")]))


def test_put_checks_the_hash_and_cached_text_reads_it_back(tmp_path):
    doc = load_documents(_write(tmp_path / "ann", [_doc()]))[0]
    cache = tmp_path / "cache"
    assert missing([doc], cache) == [doc]
    with pytest.raises(RealTextError, match="not the annotated excerpt"):
        put(doc, TEXT + " ", cache)
    put(doc, TEXT, cache)
    assert cached_text(doc, cache) == TEXT and missing([doc], cache) == []
    (cache / "z01.txt").write_text(TEXT.replace("موسكو", "أنقرة"), encoding="utf-8")
    assert cached_text(doc, cache) is None  # a changed text is not the annotated one


def test_split_by_outlet_and_unknown_outlets_are_held_out(tmp_path):
    split_file = tmp_path / "split.json"
    split_file.write_text(json.dumps({"dev": ["example.org"], "heldout": ["other.net"]}), encoding="utf-8")
    split = load_split(split_file)
    doc = load_documents(_write(tmp_path / "ann", [_doc(), _doc(id="z02", outlet="new.com")]))
    assert [part_of(d, split) for d in doc] == ["dev", "heldout"]
    split_file.write_text(json.dumps({"dev": ["a.org"], "heldout": ["a.org"]}), encoding="utf-8")
    with pytest.raises(RealTextError, match="both parts"):
        load_split(split_file)


def test_line_scores_allow_a_cut_end_marker_but_not_a_lost_sentence():
    annotated = RealDocument.model_validate(_doc())
    title = "تركيا وسوريا تبحثان التطبيع"
    body = (
        "التقى وزير الخارجية التركي بنظيره السوري في موسكو اليوم الأربعاء.\nوبحث الجانبان تطبيع العلاقات بين البلدين."
    )
    score, leaked, lost = score_lines(annotated, TEXT, title, body)
    assert (score.dropped, score.boilerplate, score.kept, score.article) == (2, 2, 2, 2)
    assert leaked == [] and lost == []
    score, leaked, lost = score_lines(annotated, TEXT, title, "شارك")
    assert leaked == [1] and lost == [2, 3]


def test_a_boilerplate_line_leaks_when_it_stands_as_a_line_not_when_its_words_recur_in_prose():
    text = "\n".join(
        ["تركيا وسوريا تبحثان التطبيع", "أردوغان", "أردوغان والأسد خلال لقاء سابق", "تركيا وسوريا تبحثان التطبيع",
         "التقى أردوغان الأسد."]
    )  # fmt: skip
    doc = RealDocument.model_validate(
        _doc(text_sha256=text_hash(text), text_chars=len(text), lines={"boilerplate": [1, 2, 3], "article": [4]})
    )
    prose = "التقى أردوغان الأسد. وقال إن تركيا وسوريا تبحثان التطبيع منذ أشهر بين البلدين الجارين."
    score, leaked, _ = score_lines(doc, text, "تركيا وسوريا تبحثان التطبيع", prose)
    assert leaked == [] and score.dropped == 3  # a tag, a caption dropped, the headline's repeat left the body
    score, leaked, _ = score_lines(doc, text, "أردوغان والأسد خلال لقاء سابق", prose)
    assert leaked == [2]  # the caption taken for the headline
    score, leaked, _ = score_lines(doc, text, "تركيا وسوريا تبحثان التطبيع", "أردوغان\n" + prose)
    assert leaked == [1]  # the tag line left standing


def test_prepare_cleans_the_cached_texts(tmp_path):
    doc = load_documents(_write(tmp_path / "ann", [_doc()]))[0]
    cache = tmp_path / "cache"
    put(doc, TEXT, cache)
    [item] = prepare([doc], {"example.org": "dev"}, cache)
    assert item.part == "dev" and item.rejection is None
    assert "التقى وزير الخارجية" in item.output()


def test_the_committed_split_assigns_every_annotated_outlet_by_the_rule():
    """split.json is `split_for` of the committed annotations: no outlet moved by hand after seeing scores."""
    from rasad.realtext import split_for

    docs = load_documents()
    committed = load_split()
    expected = split_for(docs)
    assert {outlet: part for part, outlets in expected.items() for outlet in outlets} == committed
