"""Arabic proclitics: which letters may stand before a word that a dictionary lists bare.

A dictionary entry such as "موسكو" must also be found in "وموسكو" and "بموسكو"; a common noun
such as "اجتماع" also in "والاجتماع", "للاجتماع" and "وبالاجتماع". Proper names do not take the
article, so they get the narrower set. The letters come from `rasad/data/kb/lexicon/clitics.yaml`.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class ProcliticRules:
    """Allowed prefix strings for names, for common nouns, and before a dropped alef (لل)."""

    name_prefixes: frozenset[str]
    noun_prefixes: frozenset[str]
    dropped_alef_prefixes: frozenset[str]
    noun_suffixes: frozenset[str]

    def allows(self, prefix: str, *, noun: bool, dropped_alef: bool) -> bool:
        """Whether `prefix` (the letters of the token before the match) is a valid proclitic chain."""
        if dropped_alef:
            return prefix in self.dropped_alef_prefixes
        return prefix in (self.noun_prefixes if noun else self.name_prefixes)

    def strip(self, token: str) -> list[str]:
        """Candidate stems of `token` after removing proclitic chains, longest stem first."""
        stems = [token]
        for n in range(1, min(5, len(token) - 1)):
            head = token[:n]
            if head in self.noun_prefixes:
                stems.append(token[n:])
            elif head in self.dropped_alef_prefixes or head.endswith("لل"):
                stems.append("ا" + token[n:])
        return stems


def build_rules(
    conjunctions: list[str], prepositions: list[str], article: str, noun_suffixes: list[str]
) -> ProcliticRules:
    """Combine conjunctions, prepositions and the article into the allowed prefix chains."""
    conj = ["", *conjunctions]
    prep = ["", *prepositions]
    names = {c + p for c in conj for p in prep}
    nouns = set(names)
    for c in conj:
        for p in prep:
            nouns.add(c + p + article)
        # ل + ال loses the alef: للاجتماع
        nouns.add(c + "ل" + article[1:])
    dropped = {c + "ل" for c in conj}
    return ProcliticRules(frozenset(names), frozenset(nouns), frozenset(dropped), frozenset(noun_suffixes))
