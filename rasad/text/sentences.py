"""Where a sentence ends: the one splitter of extraction, topics, quotes and alert messages.

A line break ends a sentence; so do `.`, `!`, `?`, `؟` and `…` when a space, the end of the text or a
closing quotation mark follows (so "3.5" and "U.S.A" do not). Cleaning's line classifiers ask a
different question (does a whole line read like the end of a sentence) and keep their own rules.
"""

from __future__ import annotations

import re

SENTENCE_END = re.compile(r"\n|[.!?؟…](?=\s|$|[\"”»])")


def sentence_spans(text: str) -> list[tuple[int, int]]:
    """(start, end) of each sentence of `text`, in order, covering it whole (ends include the mark)."""
    spans, start = [], 0
    for mark in SENTENCE_END.finditer(text):
        spans.append((start, mark.end()))
        start = mark.end()
    spans.append((start, len(text)))
    return spans


def sentences(text: str) -> list[str]:
    """The sentences of `text`, stripped, without empty ones."""
    return [piece for start, end in sentence_spans(text) if (piece := text[start:end].strip())]


def ends_within(text: str) -> re.Match[str] | None:
    """The first sentence end in `text`, if any."""
    return SENTENCE_END.search(text)
