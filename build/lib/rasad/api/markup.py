"""Article text with its entities marked, as HTML (offsets are into the original body)."""

from __future__ import annotations

from html import escape
from typing import Any


def entity_spans(detail: dict[str, Any]) -> list[tuple[int, int, str, str]]:
    """(start, end, css class, label) of every person/place/organization mention, non-overlapping."""
    spans = []
    for kind, key in (("person", "persons"), ("place", "places"), ("org", "organizations")):
        for entity in detail.get(key) or []:
            for m in entity.get("mentions") or []:
                spans.append((m["start"], m["end"], kind, entity.get("name") or ""))
    spans.sort(key=lambda s: (s[0], -(s[1] - s[0])))
    kept: list[tuple[int, int, str, str]] = []
    for span in spans:
        if not kept or span[0] >= kept[-1][1]:
            kept.append(span)
    return kept


def marked_paragraphs(body: str, spans: list[tuple[int, int, str, str]]) -> list[str]:
    """The body as HTML paragraphs, each mention wrapped in <mark class="ent KIND">."""
    out: list[str] = []
    pos = 0
    for start, end, kind, label in spans:
        if start < pos or end > len(body) or start >= end:
            continue
        out.append(escape(body[pos:start]))
        out.append(f'<mark class="ent {kind}" title="{escape(label)}">{escape(body[start:end])}</mark>')
        pos = end
    out.append(escape(body[pos:]))
    return [p for p in "".join(out).split("\n") if p.strip()]
