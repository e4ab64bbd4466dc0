"""Quotations: who said what. Direct quotes in quotation marks, and reported speech (قال X إن ...)."""

from __future__ import annotations

import re
from bisect import bisect_right

from rasad.extraction.kb import KnowledgeBase
from rasad.extraction.matcher import PersonMention, Scan
from rasad.extraction.model import Quote
from rasad.text.sentences import ends_within

_OPEN_CLOSE = {"“": "”", "«": "»", '"': '"', "„": "“"}
# the first opening quotation mark or sentence end after the speaker
_OPEN_OR_STOP = re.compile("[" + re.escape("".join(_OPEN_CLOSE)) + r".؟?!\n]")
_INDIRECT = frozenset({"ان", "بان", "انه", "انها"})


def _trimmed(original: str, s: int, e: int, chars: str = " \n\t،,") -> tuple[str, int, int]:
    """The span without surrounding spaces/commas, with its adjusted offsets."""
    while s < e and original[s] in chars:
        s += 1
    while e > s and original[e - 1] in chars:
        e -= 1
    return original[s:e], s, e


def _name_of(kb: KnowledgeBase, scan: Scan, p: PersonMention) -> str:
    return kb.persons[p.key].name if p.known else scan.unknown_names.get(p.key, p.surface)


def extract_quotes(kb: KnowledgeBase, scan: Scan) -> list[Quote]:
    """Quotes attributed to people, in text order; a bare "وأضاف:" continues the last speaker."""
    text = scan.text
    original = scan.nt.original
    persons = [p for p in scan.persons if not p.nested]
    person_tokens = [p.token for p in persons]  # non-decreasing: persons are in text order
    out: list[Quote] = []
    last_speaker: str | None = None
    taken_until = -1
    for verb in scan.layers.get("misc", []):
        if verb.category != "reporting" or verb.start < taken_until:
            continue
        # the speaker: the first person within six tokens after the verb
        speaker = None
        speaker_end = verb.end
        for p in persons[bisect_right(person_tokens, verb.token_end) :]:
            if p.token > verb.token_end + 6:
                break
            if not ends_within(text[verb.end : p.start]):
                speaker = _name_of(kb, scan, p)
                speaker_end = p.end
                break
        after = text[speaker_end : speaker_end + 200]
        limit = ends_within(after)
        window_end = speaker_end + (limit.start() if limit else len(after))
        # direct quote: an opening mark soon after the verb (": "..."" or "في تصريحات: "...")
        first = _OPEN_OR_STOP.search(text, speaker_end, speaker_end + 120)
        open_at = first.start() if first is not None and first.group() in _OPEN_CLOSE else -1
        if speaker is None and open_at >= 0 and text[verb.end : open_at].strip(" :") == "":
            speaker = last_speaker
        if speaker is None:
            continue
        if open_at >= 0:
            close = _OPEN_CLOSE[text[open_at]]
            close_at = text.find(close, open_at + 1)
            if close_at > open_at + 1:
                s, _ = scan.nt.to_original(open_at + 1, open_at + 2)
                _, e = scan.nt.to_original(close_at - 1, close_at)
                quote, s, e = _trimmed(original, s, e)
                if len(quote.split()) >= 2:
                    out.append(Quote(speaker, quote, s, e, True))
                    last_speaker = speaker
                    taken_until = close_at
                    continue
        # reported speech: speaker then إن/أن within a few tokens
        words = text[speaker_end:window_end].split()
        for w in words[:8]:
            bare = w[1:] if w[:1] in "وف" and w[1:] in _INDIRECT else w
            if bare in _INDIRECT:
                pos = text.find(w, speaker_end) + len(w)
                s, e = scan.nt.to_original(pos, window_end)
                quote, s, e = _trimmed(original, s, e)
                if len(quote.split()) >= 3:
                    out.append(Quote(speaker, quote, s, e, False))
                    last_speaker = speaker
                break
    return out
