"""Meetings and calls: who met whom, where, when, at what level, held or only announced.

Per sentence, trigger words (اجتماع، لقاء، التقى، بحث، اتصال هاتفي ...) split the sentence into
scopes; each scope contributes the sides at the table (countries named as nouns, capitals,
government phrases, nationality adjectives of participants, the countries of named people), the
location, the date, role words for the level, status cues and mediation cues. Reporting clauses
(قال ... إن), topic phrases (تطبيع العلاقات بين ...) and source attributions are kept out of the
sides. Mentions of the same meeting across the article are then merged: compatible kind, status,
sides, place, date and level; mentions without sides of their own ("الاجتماع") attach to the
meeting last spoken of, and so do attendees ("وحضر اللقاء …") whatever their rank. A visit makes
the visited country a side; a meeting "with" one side in reported speech takes the speaker's
government as the other side; dates after "منذ" are not the event's."""

from __future__ import annotations

import datetime as dt
from bisect import bisect_left

from rasad.extraction.dates import DateMention
from rasad.extraction.events.coreference import merge_mentions
from rasad.extraction.events.finalize import finalize_event
from rasad.extraction.events.mentions import sentence_mentions
from rasad.extraction.events.model import DatesIndex, ScopeMention
from rasad.extraction.events.scope import Sentence, split_sentences
from rasad.extraction.kb import KnowledgeBase
from rasad.extraction.limits import DEFAULT_LIMITS, ExtractionLimits, Truncations
from rasad.extraction.matcher import Scan
from rasad.extraction.model import Event

__all__ = ["extract_events"]


def extract_events(
    kb: KnowledgeBase,
    scan: Scan,
    dates: list[DateMention],
    published: dt.date | None,
    limits: ExtractionLimits = DEFAULT_LIMITS,
    truncations: Truncations | None = None,
) -> list[Event]:
    """All meetings and calls of the article, merged across mentions, within `limits` (cuts noted in `truncations`)."""
    truncations = truncations if truncations is not None else Truncations()
    trigger_starts = scan.starts("trigger")
    if not trigger_starts:
        return []
    sentences = split_sentences(scan.text, limits.sentence_chars)
    if len(sentences) > limits.sentences:
        truncations.note("sentences", f"{len(sentences)} sentences, events read in the first {limits.sentences}")
        sentences = sentences[: limits.sentences]
    mentions = _mentions(kb, scan, sentences, DatesIndex(dates, [d.start for d in dates]), trigger_starts)
    events = merge_mentions(mentions, kb, published, limits, truncations)
    return [ev for ev in (finalize_event(kb, scan, e, published) for e in events) if ev is not None]


def _mentions(
    kb: KnowledgeBase,
    scan: Scan,
    sentences: list[tuple[int, int, bool]],
    in_text: DatesIndex,  # in text order: scopes take theirs by bisection
    trigger_starts: list[int],
) -> list[ScopeMention]:
    mentions: list[ScopeMention] = []
    for s, e, heading in sentences:
        k = bisect_left(trigger_starts, s)
        if k == len(trigger_starts) or trigger_starts[k] >= e:
            continue  # no trigger word: nothing to report
        sent = Sentence(kb, scan, s, e)
        if sent.triggers:
            mentions.extend(sentence_mentions(kb, scan, sent, in_text, heading, bool(mentions)))
    return mentions
