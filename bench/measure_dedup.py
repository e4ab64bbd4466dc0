"""Measure near-duplicate detection on variants of the fixture articles, to choose the MinHash settings.

Run `.venv/bin/python bench/measure_dedup.py`. For each shingle size it prints the true Jaccard of
three kinds of pairs -- a wire story republished with other furniture, a lightly edited copy, and
different stories on the same topic -- then, for the chosen settings, the MinHash estimates, the LSH
candidate rate per kind and the separation margin. docs/cleaning.md records the output.
"""

from __future__ import annotations

import itertools
import json
import random
import re

from rasad.cleaning import clean_text
from rasad.cleaning.dedup import (
    BANDS,
    NEAR_DUPLICATE_THRESHOLD,
    jaccard_estimate,
    lsh_bands,
    minhash_signature,
    shingles,
)
from rasad.cleaning.evaluation import FIXTURES

# Spelling and wording variants editors apply when they rewrite a wire story.
_EDITS = [
    ("أعلنت", "قالت"),
    ("الاثنين", "يوم الاثنين"),
    ("إن", "أن"),
    ("وأضاف", "وتابع"),
    ("الأحد", "يوم الأحد"),
    ("مشيراً", "لافتاً"),
    ("وقال", "وأكد"),
    ("العاصمة", "مدينة"),
    ("نحو", "قرابة"),
    ("خلال", "في"),
]


def bodies() -> dict[str, str]:
    """The clean bodies of the seeds and of the gold bodies of the cleaning cases."""
    found = {}
    for path in sorted((FIXTURES / "seeds").glob("*.txt")):
        found[f"seed{path.name[:3]}"] = clean_text(path.read_text(encoding="utf-8")).body
    manifest = json.loads((FIXTURES / "cleaning" / "manifest.json").read_text(encoding="utf-8"))
    seen = set()
    for case in manifest["cases"]:
        if case.get("gold"):
            text = (FIXTURES / "cleaning" / case["gold"]).read_text(encoding="utf-8")
            if text not in seen:
                seen.add(text)
                found[case["id"]] = text
    return found


def republished(body: str, rng: random.Random) -> str:
    """The same wire story on another outlet: its own lead-in, a dropped last paragraph, a closing line."""
    paragraphs = body.split("\n\n")
    if len(paragraphs) > 3:
        paragraphs = paragraphs[:-1]
    paragraphs[0] = rng.choice(["(وكالات) - ", "عواصم - ", "متابعات - "]) + paragraphs[0]
    paragraphs.append(rng.choice(["وتتابع الوكالة تطورات الخبر أولاً بأول.", "يذكر أن الخبر قيد التحديث."]))
    return "\n\n".join(paragraphs)


def edited(body: str, rng: random.Random) -> str:
    """A lightly edited copy: a few word swaps, a changed number, one sentence cut, two paragraphs merged."""
    for old, new in rng.sample(_EDITS, 4):
        body = body.replace(old, new, 2)
    body = re.sub(r"\d+", lambda m: str(int(m.group()) + 1), body, count=1)
    paragraphs = body.split("\n\n")
    victim = rng.randrange(len(paragraphs))
    sentences = re.split(r"(?<=[.،])\s+", paragraphs[victim])
    if len(sentences) > 1:
        paragraphs[victim] = " ".join(sentences[:-1])
    if len(paragraphs) > 2:
        paragraphs[1:3] = [paragraphs[1] + " " + paragraphs[2]]
    return "\n\n".join(paragraphs)


def jaccard(a: set[bytes], b: set[bytes]) -> float:
    """Exact Jaccard similarity."""
    return len(a & b) / len(a | b) if a | b else 1.0


def main() -> None:
    """Print the measurement."""
    rng = random.Random(7)
    texts = bodies()
    pairs: dict[str, list[tuple[str, str]]] = {"republished": [], "edited": [], "different": []}
    for body in texts.values():
        pairs["republished"].append((body, republished(body, rng)))
        pairs["edited"].append((body, edited(body, rng)))
    for a, b in itertools.combinations(texts.values(), 2):
        pairs["different"].append((a, b))
    print(f"{len(texts)} bodies; pairs: " + ", ".join(f"{k} {len(v)}" for k, v in pairs.items()))
    for size in (2, 3, 4, 5):
        row = []
        for kind, items in pairs.items():
            values = [jaccard(shingles(a, size), shingles(b, size)) for a, b in items]
            row.append(f"{kind} min {min(values):.2f} mean {sum(values) / len(values):.2f} max {max(values):.2f}")
        print(f"shingle {size}: " + " | ".join(row))
    print(f"\nchosen: MinHash over word 3-shingles, {BANDS} bands, threshold {NEAR_DUPLICATE_THRESHOLD}")
    for kind, items in pairs.items():
        estimates, candidates = [], 0
        for a, b in items:
            sa, sb = minhash_signature(a), minhash_signature(b)
            estimates.append(jaccard_estimate(sa, sb))
            candidates += bool(set(lsh_bands(sa)) & set(lsh_bands(sb)))
        flagged = sum(e >= NEAR_DUPLICATE_THRESHOLD for e in estimates)
        print(
            f"{kind:12s} estimate min {min(estimates):.2f} max {max(estimates):.2f}; "
            f"LSH candidates {candidates}/{len(items)}; at/above threshold {flagged}/{len(items)}"
        )


if __name__ == "__main__":
    main()
