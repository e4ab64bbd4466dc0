"""Query-side normalization: the same folding as the index, and clitic-stripped variants.

The index holds each word of `body_normalized` (and of the folded title) and, on PostgreSQL, its
stem with the proclitic chain (و/ف + ب/ك/ل + ال, or لل) removed; SQLite's trigram index finds a
stem inside any word. So a query word is searched as itself and as each stem it may have: "وموسكو"
finds "موسكو" and "بموسكو", "الاجتماع" finds "للاجتماع". Words the knowledge base knows as they
are ("فيدان", "بغداد") are not stripped: their first letter is not a clitic.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from rasad.text.arabic import normalize_arabic

# The index keeps ASCII letters/digits and the Arabic letters ء..ي; anything else separates words.
NON_WORD = re.compile(r"[^0-9a-z\u0621-\u064a]+")
# Proclitic chains, longest first (the PostgreSQL index strips with the same alternatives).
CLITIC_CHAINS = (
    "وبال", "وكال", "ولل", "فبال", "فكال", "فلل", "وال", "فال", "بال", "كال", "لل", "ال",
    "وب", "وك", "ول", "فب", "فك", "فل", "و", "ف", "ب", "ك", "ل",
)  # fmt: skip
MIN_STEM = 3  # a stem shorter than this is not indexed (and trigrams cannot find it)
MAX_TERMS = 12  # words of a query beyond this are ignored: a search box is not a document
# Function words that every article contains: dropped from a query unless it has nothing else.
STOPWORDS = frozenset(
    [
        "في",
        "من",
        "على",
        "الى",
        "عن",
        "مع",
        "ان",
        "او",
        "ثم",
        "قد",
        "لا",
        "ما",
        "لم",
        "لن",
        "هذا",
        "هذه",
        "ذلك",
        "تلك",
        "التي",
        "الذي",
        "الذين",
        "كان",
        "كانت",
        "بين",
        "حول",
        "عند",
        "منذ",
        "بعد",
        "قبل",
        "خلال",
        "كما",
        "وفي",
        "ومن",
        "وعلى",
        "والى",
    ]
)


def index_words(text: str) -> list[str]:
    """The words of `text` as the index sees them: folded, lower-cased, punctuation removed."""
    return [w for w in NON_WORD.sub(" ", normalize_arabic(text)).split() if w]


def stems(word: str) -> list[str]:
    """Every stem of `word` after removing a proclitic chain (at least MIN_STEM letters left)."""
    found: list[str] = []
    for chain in CLITIC_CHAINS:
        if word.startswith(chain) and len(word) - len(chain) >= MIN_STEM:
            stem = word[len(chain) :]
            if stem not in found:
                found.append(stem)
    return found


# The longest chain that leaves a stem: the PostgreSQL index takes that one stem of each word.
_LONGEST_CHAIN = re.compile(f"(?:{'|'.join(CLITIC_CHAINS)})(.{{{MIN_STEM},}})")


def document_words(title: str | None, body_normalized: str) -> str:
    """What an article is found by: each index word of its title and body once, then each word's stem.

    A word's stem drops its longest proclitic chain that leaves MIN_STEM letters ("والسوري" →
    "سوري"). The order and repetition of words do not matter to the index, which keeps no positions.
    """
    words = dict.fromkeys(index_words(title or ""))
    words.update(dict.fromkeys(NON_WORD.sub(" ", body_normalized).split()))
    stemmed = (_LONGEST_CHAIN.fullmatch(word) for word in list(words))
    words.update(dict.fromkeys(match.group(1) for match in stemmed if match))
    return " ".join(words)


def variants(word: str, known: frozenset[str] = frozenset()) -> list[str]:
    """The word and, unless the knowledge base knows it as is, its stems (and their stems)."""
    result = [word]
    if word in known:
        return result
    queue = [word]
    while queue:
        for stem in stems(queue.pop()):
            if stem not in result:
                result.append(stem)
                if stem not in known:
                    queue.append(stem)
    return result


@dataclass(frozen=True)
class Alternative:
    """One way to satisfy a query term: a sequence of words (one word, or a name of several)."""

    words: tuple[tuple[str, ...], ...]  # per word, its variants (first is the word as written)

    @property
    def text(self) -> str:
        """The alternative as written (normalized)."""
        return " ".join(w[0] for w in self.words)


@dataclass(frozen=True)
class Term:
    """A query term: satisfied by any one of its alternatives (a word, or the spellings of a person)."""

    alternatives: tuple[Alternative, ...]
    person_id: str | None = None


@dataclass(frozen=True)
class ParsedQuery:
    """A search query: every term must match."""

    text: str
    terms: tuple[Term, ...]

    @property
    def empty(self) -> bool:
        """True when nothing searchable is left (only punctuation or one-letter words)."""
        return not self.terms

    def highlight_words(self) -> frozenset[str]:
        """Every word form a snippet should mark."""
        return frozenset(v for t in self.terms for a in t.alternatives for w in a.words for v in w)


def make_alternative(words: list[str], known: frozenset[str]) -> Alternative:
    """An alternative from normalized words, each with its variants."""
    return Alternative(tuple(tuple(variants(w, known)) for w in words))
