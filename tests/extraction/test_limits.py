"""Bounded cost per article: caps cut with a recorded reason, memory grows linearly with the input.

Probes that once took a machine down: seed 004 repeated 40 times (170 KB) grew to 24 GB because an
antecedent's level words were copied into every anaphoric mention and the list doubled per mention;
one 90,000-character "sentence" took seconds per call, growing with the square of its length.
Speed is measured by `make bench` (bench/bench_extraction.py, "hostile" figures); here only what does
not depend on the machine's load: traced memory, the caps and what they record.
"""

from __future__ import annotations

import itertools
import re
import tracemalloc
from pathlib import Path

from rasad.extraction import extract
from rasad.extraction.events.scope import split_sentences
from rasad.extraction.kb import KnowledgeBase
from rasad.extraction.limits import DEFAULT_LIMITS, ExtractionLimits

SEED = next((Path(__file__).parents[2] / "rasad/fixtures/seeds").glob("004_*.txt")).read_text(encoding="utf-8")
MB = 1024 * 1024


def _peak(kb: KnowledgeBase, body: str, limits: ExtractionLimits = DEFAULT_LIMITS) -> tuple[float, list[str], int]:
    tracemalloc.start()
    try:
        result = extract(title=None, body=body, published_at=None, kb=kb, limits=limits)
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    return peak / MB, result.truncated, len(result.events)


def test_a_repeated_article_costs_memory_in_proportion(kb: KnowledgeBase) -> None:
    small = "\n\n".join([SEED] * 10)
    large = "\n\n".join([SEED] * 40)  # 170 KB of UTF-8: 24 GB before the fix
    small_mb, _, _ = _peak(kb, small)
    large_mb, truncated, events = _peak(kb, large)
    assert large_mb < 0.25 * len(large) / 1000, f"{large_mb:.1f} MB for {len(large)} characters"
    assert large_mb < 6 * small_mb  # four times the text, at most about four times the memory
    assert events <= DEFAULT_LIMITS.events
    assert any(note.startswith("mentions:") for note in truncated)


def test_one_giant_sentence_is_read_in_pieces(kb: KnowledgeBase) -> None:
    giant = "، ".join([re.sub(r"[.\n؟!]+", "، ", SEED)] * 30)  # ~70,000 characters, no sentence end
    pieces = split_sentences(giant, DEFAULT_LIMITS.sentence_chars)
    assert len(pieces) > 30
    assert all(end - start <= DEFAULT_LIMITS.sentence_chars for start, end, _ in pieces)
    assert (pieces[0][0], pieces[-1][1]) == (0, len(giant))
    assert all(a[1] == b[0] for a, b in itertools.pairwise(pieces))  # nothing lost between pieces
    assert all(giant[end - 1] in "،,:؛; " for _, end, _ in pieces[:-1])  # cut at clause breaks
    peak_mb, _, events = _peak(kb, giant)
    assert peak_mb < 0.25 * len(giant) / 1000 and 0 < events <= DEFAULT_LIMITS.events


def test_thousands_of_names_stay_within_the_event_cap(kb: KnowledgeBase) -> None:
    names = [name for person in kb.persons.values() for name in person.names]
    body = " ".join(f"التقى {a} مع {b} في أنقرة." for a, b in zip(names[::2], names[1::2], strict=False))
    peak_mb, truncated, events = _peak(kb, body)
    assert 0 < events <= DEFAULT_LIMITS.events  # drafts are capped; those without two sides are dropped after
    assert truncated == [f"events: more than {DEFAULT_LIMITS.events} meetings named; later ones are left out"]
    assert peak_mb < 0.25 * len(body) / 1000


def test_a_body_over_the_cap_is_read_up_to_a_paragraph_break(kb: KnowledgeBase) -> None:
    body = "\n\n".join([SEED] * 6)
    limits = ExtractionLimits(body_chars=len(SEED) * 2 + 100)
    result = extract(title=None, body=body, published_at=None, kb=kb, limits=limits)
    cut = body.rfind("\n", 0, limits.body_chars)
    assert cut > len(SEED) * 2 and result.truncated == [f"body: {len(body)} characters, the first {cut} read"]
    for person in result.persons:
        for mention in person.mentions:
            assert mention.start < limits.body_chars and body[mention.start : mention.end] == mention.text
    assert result.relevant  # what was read still decides


def test_an_ordinary_article_is_not_cut(kb: KnowledgeBase) -> None:
    result = extract(title=None, body=SEED, published_at=None, kb=kb)
    assert result.truncated == [] and result.events
