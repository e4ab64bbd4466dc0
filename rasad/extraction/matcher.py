"""One pass of the knowledge-base automaton over an article, and person resolution.

The automaton runs over the normalized text; each raw hit is kept only if the letters before it
in its token form a valid proclitic chain (و، ف، ب، ل، ك، ال، لل ...) and the letters after it are
an allowed suffix (common nouns only). Within a layer, longer matches win over their parts.
People are then resolved: full names directly, short forms (لافروف) to a person named in full
in the article or to an unambiguous standalone form, misspellings by fuzzy matching, and
people the KB lacks from a title followed by a name.
"""

from __future__ import annotations

import re
from bisect import bisect_right
from dataclasses import dataclass, field
from itertools import accumulate, compress
from operator import attrgetter, itemgetter, sub
from typing import Any, cast

from rapidfuzz import fuzz, process

from rasad.extraction.kb import KnowledgeBase
from rasad.text.offsets import NormalizedText, normalize_with_offsets

# Measured on spelling variants vs. other people's names (bench/fuzzy_threshold.py).
FUZZY_THRESHOLD = 86.0

_WORD = re.compile(r"\w+")
_SPLIT = re.compile(r"(\W+)")
_CLAUSE_BREAK = re.compile(r"[،,.:؛;!؟?()\[\]\n]")


@dataclass(slots=True)
class Match:
    """A lexicon or KB hit in the normalized text (half-open [start, end))."""

    start: int
    end: int
    layer: str
    category: str
    refs: tuple[str, ...]
    token: int = 0  # index of the token where the match starts
    token_end: int = 0  # index of the token where it ends (inclusive)


@dataclass(slots=True)
class PersonMention:
    """A resolved mention of a person; `key` is a KB id or 'unknown:<normalized name>'."""

    start: int
    end: int
    key: str
    known: bool
    token: int
    token_end: int
    title_kind: str | None = None
    title_country: str | None = None
    surface: str = ""
    nested: bool = False  # inside a country phrase such as "نظام الأسد": not a participant


@dataclass
class Scan:
    """Everything the extractors need about one article's text."""

    nt: NormalizedText
    tokens: list[tuple[int, int]]
    tix: _TokenIndex
    layers: dict[str, list[Match]]
    persons: list[PersonMention] = field(default_factory=list)
    unknown_names: dict[str, str] = field(default_factory=dict)  # key -> display name
    _starts: dict[str, list[int]] = field(default_factory=dict)
    words: list[str] = field(default_factory=list)  # normalized text of each token, built once
    gaps: list[str] = field(default_factory=list)  # text between token i-1 and token i ("" for the first)
    memo: dict[str, Any] = field(default_factory=dict)  # per-article indexes the extractors build once

    def __post_init__(self) -> None:
        text = self.nt.text
        if not self.words and self.tokens:
            self.words = [text[s:e] for s, e in self.tokens]
        if not self.gaps and self.tokens:
            toks = self.tokens
            self.gaps = ["", *(text[toks[i - 1][1] : toks[i][0]] for i in range(1, len(toks)))]

    @property
    def text(self) -> str:
        """The normalized text."""
        return self.nt.text

    def starts(self, layer: str) -> list[int]:
        """Sorted start offsets of a layer's matches ('persons' for person mentions), cached."""
        cache = self._starts
        if layer not in cache:
            items = self.persons if layer == "persons" else self.layers.get(layer, [])
            cache[layer] = [m.start for m in items]
        return cache[layer]

    def token_text(self, i: int) -> str:
        """Normalized text of token i."""
        return self.words[i]


class _TokenIndex:
    """Position -> token lookups by bisection over the token starts and ends."""

    def __init__(
        self,
        tokens: list[tuple[int, int]],
        length: int = 0,
        starts: list[int] | None = None,
        ends: list[int] | None = None,
    ):
        self.tokens = tokens
        self.starts = starts if starts is not None else [s for s, _ in tokens]
        self.ends = ends if ends is not None else [e for _, e in tokens]
        del length

    def containing(self, pos: int) -> int:
        """Index of the token containing `pos`, or -1."""
        i = bisect_right(self.starts, pos) - 1
        return i if i >= 0 and pos < self.ends[i] else -1

    def at_or_after(self, pos: int) -> int:
        """Index of the token containing `pos` or the next token."""
        i = bisect_right(self.starts, pos) - 1
        return i if i >= 0 and pos < self.ends[i] else i + 1


# Entries a hit keeps, grouped by (layer, category) in automaton order: (layer, category, refs).
Kept = tuple[tuple[str, str, tuple[str, ...]], ...]


def _accepted(kb: KnowledgeBase, bucket_id: int, bucket: tuple, klen: int, prefix: str, suffix: str) -> Kept:
    """Entries of an automaton bucket that a hit with this prefix and suffix keeps (memoized on the KB).

    The verdict depends only on the bucket and the two affix strings, and both take few values,
    so each combination is decided once per process instead of once per hit.
    """
    memo: dict[tuple[int, str, str], Kept] = kb.caches.setdefault("accept_memo", {})
    key = (bucket_id, prefix, suffix)
    got = memo.get(key)
    if got is not None:
        return got
    rules = kb.clitics
    suffixes = rules.noun_suffixes
    groups: dict[tuple[str, str], list[str]] = {}
    for layer, category, ref, noun, dropped, _, bound in bucket:
        if bound:
            if suffix not in suffixes:  # "قمت" alone is a verb; "قمتهما" is "their summit"
                continue
        # verbs and very short words take no suffix ("زار" must not match "وزارة"); nor do titles
        # ("الوزيرين" is "the two ministers" already named, not a title before a name)
        elif suffix and not (noun and klen > 3 and suffix in suffixes and layer != "role"):
            continue
        if dropped:
            if not rules.allows(prefix, noun=noun, dropped_alef=True):
                continue
        elif prefix and not rules.allows(prefix, noun=noun, dropped_alef=False):
            continue
        refs = groups.setdefault((layer, category), [])
        if ref not in refs:
            refs.append(ref)
    got = tuple((layer, category, tuple(refs)) for (layer, category), refs in groups.items())
    if len(memo) > 200_000:
        memo.clear()
    memo[key] = got
    return got


# A word's hits: (offset in the word, key length, layer, category, refs).
WordHits = tuple[tuple[int, int, str, str, tuple[str, ...]], ...]


def _word_hits(kb: KnowledgeBase, word: str) -> WordHits:
    """Hits of the one-word keys inside `word`, with clitic and suffix checks applied (memoized on the KB).

    A one-word key can only match inside a single token, and what it keeps depends only on that
    token's letters, so each distinct word of the news vocabulary is analysed once per process.
    """
    memo: dict[str, WordHits] = kb.caches.setdefault("word_hits", {})
    got = memo.get(word)
    if got is not None:
        return got
    out = []
    for end_idx, (klen, bucket, bucket_id) in kb.word_automaton.iter(word):
        e = end_idx + 1
        s = e - klen
        for layer, category, refs in _accepted(kb, bucket_id, bucket, klen, word[:s], word[e:]):
            out.append((s, klen, layer, category, refs))
    got = tuple(out)
    if len(memo) > 100_000:
        memo.clear()
    memo[word] = got
    return got


def _tokenize(text: str) -> tuple[list[str], list[int], list[int], list[str]]:
    """Words (\\w+ runs), their start and end offsets, and the separator before each ("" for the first).

    One C-level split gives words and separators alternately; offsets follow from their lengths.
    """
    parts = _SPLIT.split(text)  # [word, sep, word, ..., word]; the first and last may be empty
    ends = list(accumulate(map(len, parts)))
    words = parts[0::2]
    word_ends = ends[0::2]
    seps = parts[1::2]
    if words[0]:
        gaps = ["", *seps]
    else:
        del words[0], word_ends[0]
        gaps = ["", *seps[1:]]
    if words and not words[-1]:
        words.pop()
        word_ends.pop()
    del gaps[len(words) :]
    starts = list(map(sub, word_ends, map(len, words)))
    return words, starts, word_ends, gaps


def scan_text(kb: KnowledgeBase, body: str) -> Scan:
    """Normalize `body`, find every KB alias and lexicon phrase, and resolve people.

    One-word keys come from the per-word memo (`_word_hits`); keys of several words (or with
    punctuation) from one pass of the phrase automaton over the text. Either way a hit is kept
    only with a valid proclitic chain before it and an allowed suffix after it.
    """
    nt = normalize_with_offsets(body)
    text = nt.text
    words, starts, ends, gaps = _tokenize(text)
    tokens = list(zip(starts, ends, strict=True))
    tix = _TokenIndex(tokens, len(text), starts, ends)
    # candidates: (-key length, start, end, category, refs, first token, last token)
    candidates: dict[str, list[tuple[int, int, int, str, tuple[str, ...], int, int]]] = {}
    word_memo: dict[str, WordHits] = kb.caches.setdefault("word_hits", {})
    found = list(map(word_memo.get, words))  # one C-level pass; new words are analysed once
    if None in found:
        found = [h if h is not None else _word_hits(kb, w) for h, w in zip(found, words, strict=True)]
    per_word = cast(list[WordHits], found)
    for i in compress(range(len(words)), per_word):  # only words with hits
        ts = starts[i]
        for rel, klen, layer, category, refs in per_word[i]:
            got = candidates.get(layer)
            if got is None:
                got = candidates[layer] = []
            s = ts + rel
            got.append((-klen, s, s + klen, category, refs, i, i))
    accept_memo: dict[tuple[int, str, str], Kept] = kb.caches.setdefault("accept_memo", {})
    for end_idx, (klen, bucket, bucket_id) in kb.phrase_automaton.iter(text):
        e = end_idx + 1
        s = e - klen
        ti = bisect_right(starts, s) - 1
        if ti < 0 or s >= ends[ti]:
            continue  # starts between words
        ts, te = starts[ti], ends[ti]
        tj = ti
        if e > te:
            tj = bisect_right(starts, e - 1) - 1
            if e - 1 >= ends[tj]:
                continue  # ends between words
            te = ends[tj]
        prefix = text[ts:s] if s > ts else ""
        suffix = text[e:te] if te > e else ""
        kept = accept_memo.get((bucket_id, prefix, suffix))
        if kept is None:
            kept = _accepted(kb, bucket_id, bucket, klen, prefix, suffix)
        for layer, category, refs in kept:
            got = candidates.get(layer)
            if got is None:
                got = candidates[layer] = []
            got.append((-klen, s, e, category, refs, ti, tj))
    layers: dict[str, list[Match]] = {}
    for layer, cands in candidates.items():
        layers[layer] = _longest_non_overlapping(cands, len(text))
    scan = Scan(nt, tokens, tix, layers, words=words, gaps=gaps)
    _resolve_persons(kb, scan)
    return scan


_BY_LENGTH_THEN_START = itemgetter(0, 1)
_START_OF_CANDIDATE = itemgetter(1)
_START = attrgetter("start")


def _longest_non_overlapping(cands: list[tuple[int, int, int, str, tuple[str, ...], int, int]], n: int) -> list[Match]:
    """Greedy longest-first selection; a span kept once carries every entry that matched it exactly.

    `cands` are (-key length, start, end, category, refs, first token, last token). The greedy
    choice only interacts within a run of overlapping candidates, so runs are found by one sweep
    in start order and only runs of two or more go through the longest-first selection.
    """
    del n
    cands.sort(key=_START_OF_CANDIDATE)
    out: list[Match] = []
    i, total = 0, len(cands)
    while i < total:
        first = cands[i]
        end = first[2]
        j = i + 1
        while j < total and cands[j][1] < end:
            if cands[j][2] > end:
                end = cands[j][2]
            j += 1
        if j == i + 1:
            _neg, s, e, category, refs, ti, tj = first
            out.append(Match(s, e, "", category, refs, ti, tj))
        elif j == i + 2 and first[1:3] != cands[i + 1][1:3]:
            # two different overlapping spans (the commonest run): the longer, else the leftmost
            second = cands[i + 1]
            _neg, s, e, category, refs, ti, tj = second if second[0:2] < first[0:2] else first
            out.append(Match(s, e, "", category, refs, ti, tj))
        else:
            out.extend(_greedy(cands[i:j]))
        i = j
    return out


def _greedy(cands: list[tuple[int, int, int, str, tuple[str, ...], int, int]]) -> list[Match]:
    """Longest first (then leftmost) over one run of overlapping candidates, in start order."""
    cands.sort(key=_BY_LENGTH_THEN_START)
    taken: list[tuple[int, int]] = []
    chosen: dict[tuple[int, int, str], tuple[list[str], int, int]] = {}
    spans: set[tuple[int, int]] = set()
    for _neg, s, e, category, refs, ti, tj in cands:
        key = (s, e, category)
        have = chosen.get(key)
        if have is not None:
            for ref in refs:
                if ref not in have[0]:
                    have[0].append(ref)
            continue
        if (s, e) in spans:
            chosen[key] = (list(refs), ti, tj)
            continue
        if any(a < e and s < b for a, b in taken):
            continue
        taken.append((s, e))
        spans.add((s, e))
        chosen[key] = (list(refs), ti, tj)
    out = [Match(s, e, "", cat, tuple(refs), ti, tj) for (s, e, cat), (refs, ti, tj) in chosen.items()]
    out.sort(key=_START)
    return out


def _title_before(
    kb: KnowledgeBase, scan: Scan, token: int, titles_by_end: dict[int, Match], adjectives_by_tok: dict[int, str]
) -> tuple[str | None, str | None]:
    """The role title (kind, country) standing right before token `token`, skipping adjectives and fillers."""
    country = None
    fillers = kb.token_sets["title_fillers"] | kb.token_sets["honorifics"]
    i = token - 1
    steps = 0
    text = scan.text
    while i >= 0 and steps < 4:
        between = text[scan.tokens[i][1] : scan.tokens[i + 1][0]]
        if _CLAUSE_BREAK.search(between):
            return None, None
        if i in titles_by_end:
            return titles_by_end[i].refs[0], country
        if i in adjectives_by_tok:
            country = country or adjectives_by_tok[i]
        elif scan.token_text(i) not in fillers:
            return None, None
        i -= 1
        steps += 1
    return None, None


def _resolve_persons(kb: KnowledgeBase, scan: Scan) -> None:
    person_matches = scan.layers.get("person", [])
    titles = scan.layers.get("role", [])
    titles_by_end = {m.token_end: m for m in titles}
    adjectives_by_tok = {m.token: m.refs[0] for m in scan.layers.get("entity", []) if m.category == "adjective"}
    # entity spans never overlap, so only the last one starting at or before a mention can contain it
    actor_spans = [(m.start, m.end) for m in scan.layers.get("entity", []) if m.category in ("actor", "org")]
    actor_starts = [s for s, _ in actor_spans]
    full_named: dict[str, list[int]] = {}
    for m in person_matches:
        if m.category == "full":
            for full_id in m.refs:
                full_named.setdefault(full_id, []).append(m.start)
    mentions: list[PersonMention] = []
    covered: set[int] = set()
    for m in person_matches:
        pid = _choose_person(kb, m, full_named)
        if pid is None:
            continue
        kind, country = _title_before(kb, scan, m.token, titles_by_end, adjectives_by_tok)
        k = bisect_right(actor_starts, m.start) - 1
        nested = k >= 0 and m.end <= actor_spans[k][1]
        mentions.append(
            PersonMention(
                m.start,
                m.end,
                pid,
                True,
                m.token,
                m.token_end,
                kind,
                country,
                scan.nt.original_slice(m.start, m.end),
                nested,
            )
        )
        covered.update(range(m.token, m.token_end + 1))
    mentions.extend(_fuzzy_first_names(kb, scan, covered, titles_by_end, adjectives_by_tok))
    mentions.extend(_titled_names(kb, scan, covered, titles, adjectives_by_tok))
    mentions.sort(key=lambda p: p.start)
    _unknown_surnames(kb, scan, mentions, covered)
    mentions.sort(key=lambda p: p.start)
    scan.persons = mentions


def _choose_person(kb: KnowledgeBase, m: Match, full_named: dict[str, list[int]]) -> str | None:
    """Pick the person a match names; short forms need a full mention or a standalone form."""
    if m.category == "full":
        return m.refs[0]
    named = [pid for pid in m.refs if pid in full_named]
    if named:
        # the person named in full nearest before this mention, else the first named anywhere
        def nearest(pid: str) -> int:
            before = [s for s in full_named[pid] if s <= m.start]
            return -(max(before)) if before else 10**9

        return min(named, key=nearest)
    standalone = [pid for pid in m.refs if kb.persons[pid].short_standalone]
    if len(standalone) == 1:
        return standalone[0]
    return None


def _fuzzy_lookup(kb: KnowledgeBase, candidate: str) -> str | None:
    """The KB person whose full name is within the fuzzy threshold of `candidate` (cached)."""
    cache: dict[str, str | None] = kb.caches.setdefault("fuzzy_results", {})
    if candidate in cache:
        return cache[candidate]
    choices = kb.caches.get("fuzzy_choices")
    if choices is None:
        choices = list(kb.person_full_names)
        kb.caches["fuzzy_choices"] = choices
    hit = process.extractOne(candidate, choices, scorer=fuzz.ratio, score_cutoff=FUZZY_THRESHOLD)
    result = kb.person_full_names[hit[0]][0] if hit else None
    if len(cache) > 50_000:
        cache.clear()
    cache[candidate] = result
    return result


def _fuzzy_first_names(
    kb: KnowledgeBase, scan: Scan, covered: set[int], titles_by_end: dict[int, Match], adjectives_by_tok: dict[int, str]
) -> list[PersonMention]:
    """Misspelled full names that start with a first name the KB knows (مولود تشاوشأوغلو)."""
    first = kb.caches.get("first_tokens")
    if first is None:
        first = {name.split(" ")[0] for name in kb.person_full_names if " " in name}
        kb.caches["first_tokens"] = first
    out: list[PersonMention] = []
    ntok = len(scan.tokens)
    resume = 0
    # only words that are a known first name can start one (found at C speed, then visited in order)
    for i in compress(range(ntok), map(first.__contains__, scan.words)):
        if i < resume or i in covered:
            continue
        best: tuple[str, int] | None = None
        for width in (3, 2):
            j = i + width - 1
            if j >= ntok or any(k in covered for k in range(i, j + 1)):
                continue
            between = scan.text[scan.tokens[i][0] : scan.tokens[j][1]]
            if _CLAUSE_BREAK.search(between):
                continue
            pid = _fuzzy_lookup(kb, between)
            if pid:
                best = (pid, j)
                break
        if best:
            pid, j = best
            s, e = scan.tokens[i][0], scan.tokens[j][1]
            kind, country = _title_before(kb, scan, i, titles_by_end, adjectives_by_tok)
            out.append(PersonMention(s, e, pid, True, i, j, kind, country, scan.nt.original_slice(s, e)))
            covered.update(range(i, j + 1))
            resume = j + 1
    return out


def _is_name_token(kb: KnowledgeBase, tok: str, position: int) -> bool:
    stop = kb.token_sets["stopwords"]
    if tok in stop or tok.isdigit() or any(ch.isdigit() for ch in tok):
        return False
    if len(tok) < kb.names.min_token_letters:
        return False
    if position == 0 and tok.startswith("ال"):
        return False
    if tok[0] in "وف" and tok[1:] in stop:
        return False
    return not ("a" <= tok[0] <= "z")


def _starts_with_given_name(kb: KnowledgeBase, scan: Scan, tok: int) -> bool:
    first = kb.caches.get("first_tokens") or set()
    given = kb.token_sets["given_names"]
    one = scan.token_text(tok)
    two = one + " " + scan.token_text(tok + 1) if tok + 1 < len(scan.tokens) else one
    return one in given or two in given or one in first


def _titled_names(
    kb: KnowledgeBase, scan: Scan, covered: set[int], titles: list[Match], adjectives_by_tok: dict[int, str]
) -> list[PersonMention]:
    """People after a title ("وزير الخارجية الإيراني حسين أمير عبد اللهيان"); KB people by fuzzy match."""
    out: list[PersonMention] = []
    entity_toks: set[int] = set()
    for layer in ("entity", "trigger", "status", "role", "level"):
        for m in scan.layers.get(layer, []):
            entity_toks.update(range(m.token, m.token_end + 1))
    place_nouns = kb.token_sets["not_title_after"]
    for t in titles:
        if t.token > 0 and scan.token_text(t.token - 1) in place_nouns:
            continue  # "مطار الملك عبد العزيز": a place named after a person
        start_tok, country = _name_start(kb, scan, t.token_end + 1, covered, entity_toks, adjectives_by_tok)
        if start_tok >= len(scan.tokens) or start_tok in covered:
            continue
        j = _name_end(kb, scan, start_tok, covered, entity_toks)
        if j - start_tok < 2:
            continue
        mention = _titled_mention(kb, scan, start_tok, j, t.refs[0], country)
        if mention is not None:
            out.append(mention)
            covered.update(range(start_tok, j))
    return out


def _name_start(
    kb: KnowledgeBase,
    scan: Scan,
    i: int,
    covered: set[int],
    entity_toks: set[int],
    adjectives_by_tok: dict[int, str],
) -> tuple[int, str | None]:
    """Where a name after a title starts, past nationality adjectives, fillers, honorifics and definite words
    (org names after باسم); the token count when none can start; and the country an adjective named."""
    ntok = len(scan.tokens)
    skip = kb.token_sets["title_fillers"] | kb.token_sets["honorifics"]
    country = None
    skipped = 0
    while i < ntok and skipped < 5:
        between = scan.text[scan.tokens[i - 1][1] : scan.tokens[i][0]]
        if _CLAUSE_BREAK.search(between):
            return ntok, country
        tok = scan.token_text(i)
        if i in adjectives_by_tok:
            country = country or adjectives_by_tok[i]
        elif tok in kb.token_sets["stopwords"]:
            return ntok, country
        elif not (tok in skip or tok.startswith("ال") or (i in entity_toks and i not in covered)):
            break
        i += 1
        skipped += 1
    return i, country


def _name_end(kb: KnowledgeBase, scan: Scan, start_tok: int, covered: set[int], entity_toks: set[int]) -> int:
    """The token after the last name word: names run on over spaces and quotation marks only."""
    j = start_tok
    while j < len(scan.tokens) and j - start_tok < kb.names.max_name_tokens:
        if j > start_tok:
            between = scan.text[scan.tokens[j - 1][1] : scan.tokens[j][0]]
            if (_CLAUSE_BREAK.search(between) or between.strip(" ")) and between.strip(" \"“”«»'"):
                break
        tok = scan.token_text(j)
        if j in covered or j in entity_toks or not _is_name_token(kb, tok, j - start_tok):
            break
        j += 1
    return j


def _titled_mention(
    kb: KnowledgeBase, scan: Scan, start_tok: int, j: int, title_kind: str, country: str | None
) -> PersonMention | None:
    """A KB person (fuzzy) or an unknown one starting with a given name; None for neither."""
    s, e = scan.tokens[start_tok][0], scan.tokens[j - 1][1]
    span = scan.text[s:e]
    pid = _fuzzy_lookup(kb, span)
    if pid is None and not _starts_with_given_name(kb, scan, start_tok):
        return None
    if pid:
        return PersonMention(s, e, pid, True, start_tok, j - 1, title_kind, country, scan.nt.original_slice(s, e))
    key = "unknown:" + span
    surface = scan.nt.original_slice(s, e).strip("\"“”«»' ")
    scan.unknown_names.setdefault(key, surface)
    return PersonMention(s, e, key, False, start_tok, j - 1, title_kind, country, surface)


def _unknown_surnames(kb: KnowledgeBase, scan: Scan, mentions: list[PersonMention], covered: set[int]) -> None:
    """Later bare surnames of people found by title ("وأضاف قمي")."""
    surnames: dict[str, PersonMention] = {}
    stop = kb.token_sets["stopwords"]
    for m in mentions:
        if not m.known:
            last = scan.token_text(m.token_end)
            if len(last) >= 3 and not last.startswith("ال") and last not in stop:
                surnames.setdefault(last, m)
    if not surnames:
        return
    for i, _ in enumerate(scan.tokens):
        if i in covered:
            continue
        tok = scan.token_text(i)
        target = surnames.get(tok) or (surnames.get(tok[1:]) if tok[:1] in "وفبل" else None)
        if target is None or i <= target.token_end:
            continue
        s, e = scan.tokens[i]
        if target.key and tok not in surnames:
            s += 1
        mentions.append(PersonMention(s, e, target.key, False, i, i, None, None, scan.nt.original_slice(s, e)))
