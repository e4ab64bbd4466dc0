"""Measure the fuzzy-name threshold of `rasad.extraction.matcher`.

Positives: KB full names with the spelling changes Arabic outlets make (ج/غ/ق/ك for g/k/q,
doubled or dropped و and ي, a dropped space, a dropped alef). Negatives: one KB person's name
against everyone else's, and common two-word phrases. For each threshold, precision and recall
of `process.extractOne(..., scorer=fuzz.ratio)` against the KB full names.

    .venv/bin/python bench/fuzzy_threshold.py
"""

from __future__ import annotations

import random

from rapidfuzz import fuzz, process

from rasad.extraction import load_knowledge_base

SWAPS = [
    ("غ", "ج"),
    ("ج", "غ"),
    ("ق", "ك"),
    ("ك", "ق"),
    ("وو", "و"),
    ("و", "وو"),
    ("ي", ""),
    ("ش", "تش"),
    ("تش", "ش"),
    ("ا", ""),
    (" ", ""),
    ("ي", "يي"),
    ("ت", "ط"),
    ("س", "ص"),
]
NEGATIVE_PHRASES = [
    "وزير الخارجية",
    "رئيس الوزراء",
    "العاصمة موسكو",
    "الرئيس التركي",
    "وكالة الأنباء",
    "مجلس الأمن",
    "محمد علي",
    "علي حسن",
    "حسن علي",
    "أحمد محمد",
]


def perturb(name: str, rng: random.Random) -> str | None:
    options = [(a, b) for a, b in SWAPS if a in name]
    if not options:
        return None
    a, b = rng.choice(options)
    i = name.index(a)
    return name[:i] + b + name[i + len(a) :]


def main() -> None:
    """Print precision/recall per threshold."""
    kb = load_knowledge_base()
    names = list(kb.person_full_names)
    rng = random.Random(7)
    positives = []
    for name in names:
        variant = perturb(name, rng)
        if variant and variant not in kb.person_full_names:
            positives.append((variant, kb.person_full_names[name][0]))
    negatives = []
    for name in names:
        pid = kb.person_full_names[name][0]
        others = [n for n in names if kb.person_full_names[n][0] != pid]
        negatives.append((name, others))
    print(f"{len(positives)} positives, {len(negatives)} negatives")
    for threshold in (75, 80, 84, 86, 88, 90, 92, 95):
        tp = sum(
            1
            for v, pid in positives
            if (h := process.extractOne(v, names, scorer=fuzz.ratio, score_cutoff=threshold))
            and kb.person_full_names[h[0]][0] == pid
        )
        fp = sum(
            1
            for name, others in negatives
            if process.extractOne(name, others, scorer=fuzz.ratio, score_cutoff=threshold)
        )
        fp += sum(
            1
            for phrase in NEGATIVE_PHRASES
            if process.extractOne(phrase, names, scorer=fuzz.ratio, score_cutoff=threshold)
        )
        print(
            f"threshold {threshold}: recall {tp / len(positives):.3f}, "
            f"false matches {fp}/{len(negatives) + len(NEGATIVE_PHRASES)}"
        )


if __name__ == "__main__":
    main()
