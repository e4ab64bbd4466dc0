"""Caps that keep the cost of extracting one article linear in its length.

A page can be hostile or broken (a whole site pasted into one article, one "sentence" of 100,000
characters, thousands of names). Beyond each cap extraction goes on with less and records why,
so nothing fails and the reader of the result knows what was left out.
"""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass(frozen=True, slots=True)
class ExtractionLimits:
    """The caps; the defaults are far above any real article (the longest real one is ~30,000 characters)."""

    body_chars: int = 200_000  # characters of body read; the rest is not scanned
    sentence_chars: int = 2_000  # a longer "sentence" is cut at its clause breaks (or spaces)
    sentences: int = 5_000  # sentences read for events
    mentions_per_event: int = 60  # mentions merged into one event; later ones are ignored
    events: int = 60  # events per article; mentions of further meetings are ignored


DEFAULT_LIMITS = ExtractionLimits()


@dataclass(slots=True)
class Truncations:
    """What the caps cut, one line each, in the order met (each cap reported once)."""

    notes: list[str] = field(default_factory=list)

    def note(self, cap: str, detail: str) -> None:
        """Record that `cap` cut something (only the first time)."""
        if not any(n.startswith(f"{cap}:") for n in self.notes):
            self.notes.append(f"{cap}: {detail}")
