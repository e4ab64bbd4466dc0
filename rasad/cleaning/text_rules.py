"""Line-level boilerplate removal for page text, driven by the language's rules file.

A page's text is read as a sequence of lines (one paragraph each). Rules drop single lines
(widgets, datelines, credits), blocks, or cut everything after a marker (comments, rails, tag
clouds); a read-also block is cut only when what follows it is a different article. Finally the
title is recognised (or given) and its repeats and near-repeats (captions) leave the body.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field

from rapidfuzz import fuzz

from rasad.cleaning.rules import Rule, RuleKind, RuleSet, date_from_match, key_of_normalized, line_key
from rasad.text.arabic import normalize_arabic

_INNER_SPACES = re.compile(r"[ \t\u00a0\u2000-\u200a\u202f\u205f\u3000]+")
# What _INNER_SPACES would change: a run of two spaces or more, or a space character other than " ".
_ODD_SPACES = re.compile(r"[\t\u00a0\u2000-\u200a\u202f\u205f\u3000]|  ")
_SENTENCE_END = re.compile(r"[.:؛;!…]\s*[\"'”»)\]]?\s*$")
_SENTENCE_INSIDE = re.compile(r"[.!?؟]")
_EDGE_MARKS = " \t\u200e\u200f\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069\ufeff"
# Table cells as trafilatura renders them ("| a | b |") and pipe-separated widget rows ("طباعة | إرسال").
_CELL_SEPARATOR = re.compile(r"\s+\\?\|\s+|^\s*\|\s*|\s*\|\s*$")


@dataclass(frozen=True)
class Line:
    """One paragraph of page text with its comparison forms."""

    text: str
    key: str
    norm: str

    @property
    def words(self) -> int:
        """Word count (whitespace tokens of the comparison key)."""
        return len(self.key.split())

    @classmethod
    def of(cls, text: str) -> Line:
        """Build a line from raw text (inner whitespace folded, ends stripped)."""
        if _ODD_SPACES.search(text):
            text = _INNER_SPACES.sub(" ", text)
        text = text.strip(_EDGE_MARKS)
        norm = normalize_arabic(text)
        return cls(text=text, key=key_of_normalized(norm), norm=norm)


@dataclass
class TextCleaning:
    """What the rules made of a text: title, body paragraphs, fired rules, a date found in a dateline."""

    title: str | None
    paragraphs: list[str]
    removed: list[str] = field(default_factory=list)
    dateline_date: dt.datetime | None = None
    # normalize_arabic of each paragraph, computed once for the rules and reused for body_normalized
    normalized: list[str] | None = None

    def body_normalized(self) -> str:
        """`normalize_arabic("\\n\\n".join(paragraphs))`, assembled from the paragraphs' own forms.

        Paragraph breaks are whitespace that normalization collapses to one space, and no NFKC
        composition crosses a newline, so the normalized paragraphs joined by a space are the
        normalized body (empty ones vanish, as a run of blank lines does).
        """
        if self.normalized is None or len(self.normalized) != len(self.paragraphs):
            return normalize_arabic("\n\n".join(self.paragraphs))
        return " ".join(norm for norm in self.normalized if norm)


def split_lines(text: str, max_cell_words: int = 24) -> list[Line]:
    """Split page text into non-empty lines (paragraphs); rows of short pipe-separated cells become lines."""
    lines: list[Line] = []
    for raw in text.replace("\r\n", "\n").replace("\r", "\n").split("\n"):
        if "|" in raw:
            cells = [cell for cell in _CELL_SEPARATOR.split(raw) if cell and cell.strip()]
            if all(len(cell.split()) <= max_cell_words for cell in cells) or raw.lstrip().startswith("|"):
                lines.extend(Line.of(cell.replace("\\|", "|")) for cell in cells)
                continue
        lines.append(Line.of(raw))
    return [line for line in lines if line.text]


def _matches(rule: Rule, line: Line) -> tuple[bool, str, re.Match[str] | None]:
    """Whether `rule` fires on `line`; returns (fired, remainder after a prefix, regex match)."""
    if rule.max_words is not None and line.words > rule.max_words:
        return False, "", None
    if rule.kind is RuleKind.DROP_VOCABULARY:
        return rule.vocabulary_line(line.key.split()), "", None
    if line.key in rule.markers:
        return True, "", None
    for prefix in rule.prefixes:
        if line.key == prefix:
            return True, "", None
        if line.key.startswith(prefix + " "):
            return True, line.key[len(prefix) :].strip(), None
    for pattern in rule.patterns:
        match = pattern.search(line.norm)
        if match:
            return True, "", match
    return False, "", None


class _Pass:
    """One run of the rules over a list of lines."""

    def __init__(self, rules: RuleSet, lines: list[Line]) -> None:
        self.rules = rules
        self.s = rules.settings
        self.lines = lines
        self.out: list[Line] = []
        self.removed: list[str] = []
        self.article_ended = False
        self.dateline_date: dt.datetime | None = None

    # -- line classes ------------------------------------------------------------------------
    def is_prose(self, line: Line) -> bool:
        return line.words >= self.s.prose_min_words

    def is_sentence(self, line: Line) -> bool:
        """A prose line that ends like a sentence (a finished paragraph of the article)."""
        return self.is_prose(line) and bool(_SENTENCE_END.search(line.text))

    def is_headline(self, line: Line) -> bool:
        return 0 < line.words <= self.s.headline_max_words and not _SENTENCE_END.search(line.text)

    def prose_chars(self) -> int:
        return sum(len(line.text) for line in self.out if self.is_prose(line))

    def first_match(self, line: Line) -> tuple[Rule | None, str, re.Match[str] | None]:
        if not self.rules.may_fire(line.key, line.norm):
            return None, "", None
        for rule in self.rules.rules:
            fired, remainder, match = _matches(rule, line)
            if fired:
                return rule, remainder, match
        return None, "", None

    def skip_short(self, start: int, max_words: int, limit: int, stop_at_rule: bool = False) -> int:
        """Index after up to `limit` short non-prose lines from `start` (a link list under a heading).

        With `stop_at_rule`, a line some rule fires on ends the list: a box's closing line
        ("قصص مقترحة نهاية") is handled by its own rule and the article's subheading after it stays.
        """
        i = start
        while i < len(self.lines) and i - start < limit:
            line = self.lines[i]
            if line.words > max_words or self.is_sentence(line):
                break
            if stop_at_rule and self.first_match(line)[0] is not None:
                break
            i += 1
        return i

    # -- the run -----------------------------------------------------------------------------
    def run(self) -> None:
        """Walk the lines: keep those no rule fires on, apply the first rule that fires to the others."""
        i = 0
        while i < len(self.lines):
            line = self.lines[i]
            rule, remainder, match = self.first_match(line)
            if rule is None:
                self.out.append(line)
                i += 1
                continue
            handler = {
                RuleKind.CUT_AFTER: self._cut_after,
                RuleKind.DROP_BLOCK: self._drop_block,
                RuleKind.DROP_INLINE_LINK: self._drop_inline_link,
                RuleKind.COMMENT_TIMESTAMP: self._comment_timestamp,
                RuleKind.DATELINE: self._dateline,
            }.get(rule.kind, self._drop_line)
            following = handler(rule, i, remainder, match)
            if following is None:
                return  # the article ends here
            i = following

    # Each handler gets the rule that fired on line `i` and returns the index of the next line to
    # read, or None when the rest is not the article.
    def _cut_after(self, rule: Rule, i: int, _remainder: str, _match: re.Match[str] | None) -> int | None:
        if self.prose_chars() >= self.s.min_prose_chars:
            self.removed.append(f"cut:{rule.id}")
            return None
        # A rail above the article: drop its heading and its link lines, keep reading.
        self.removed.append(f"drop_block:{rule.id}")
        if rule.ends_article:
            self.article_ended = True
        return self.skip_short(i + 1, self.s.headline_max_words, 12)

    def _drop_block(self, rule: Rule, i: int, _remainder: str, _match: re.Match[str] | None) -> int | None:
        self.removed.append(f"drop_block:{rule.id}")
        self.article_ended = self.article_ended or rule.ends_article
        return self.skip_short(i + 1, self.s.block_line_max_words, 3)

    def _drop_inline_link(self, rule: Rule, i: int, remainder: str, _match: re.Match[str] | None) -> int | None:
        if remainder:
            if len(remainder.split()) > self.s.headline_max_words:
                self.out.append(self.lines[i])  # "اقرأ" opening a real sentence, not a link
            else:
                self.removed.append(f"drop_inline_link:{rule.id}")
            return i + 1
        if self.read_also_block(i, rule):
            return None
        return self.skip_short(i + 1, self.s.headline_max_words, 8, stop_at_rule=True)

    def _comment_timestamp(self, rule: Rule, i: int, _remainder: str, _match: re.Match[str] | None) -> int | None:
        previous = self.out[-1] if self.out else None
        if previous is not None and self.is_sentence(previous):
            # Under a finished paragraph, not under a commenter's name: a live-blog or update
            # stamp ("منذ 5 دقائق") between entries of the article. Only the stamp goes.
            self.removed.append(f"drop_line:{rule.id}:update_stamp")
            return i + 1
        if previous is not None and previous.words <= 4:
            self.out.pop()  # the commenter's name
        if self.prose_chars() >= self.s.min_prose_chars:
            self.removed.append(f"cut:{rule.id}")
            return None
        self.removed.append(f"drop_line:{rule.id}")
        return i + 2  # the stamp and the comment under it

    def _dateline(self, rule: Rule, i: int, _remainder: str, match: re.Match[str] | None) -> int | None:
        self.removed.append(f"dateline:{rule.id}")
        # only a dateline in the head of the article dates it; later ones quote other days
        in_head = self.prose_chars() < self.s.min_prose_chars
        if rule.harvest_date and match and self.dateline_date is None and in_head:
            self.dateline_date = date_from_match(match, self.rules.months)
        return i + 1

    def _drop_line(self, rule: Rule, i: int, _remainder: str, _match: re.Match[str] | None) -> int | None:
        """DROP_LINE and DROP_VOCABULARY: the line goes."""
        self.removed.append(f"{rule.kind.value}:{rule.id}")
        self.article_ended = self.article_ended or rule.ends_article
        return i + 1

    def read_also_block(self, start: int, rule: Rule) -> bool:
        """Handle a standalone read-also marker; True when what follows is another article (cut)."""
        after = self.skip_short(start + 1, self.s.headline_max_words, 8, stop_at_rule=True)
        headlines = self.lines[start + 1 : after]
        following: list[Line] = []
        for line in self.lines[after:]:
            if self.first_match(line)[0] is not None:
                break
            following.append(line)
        prose_after = [line for line in following if self.is_prose(line)]
        if self.article_ended and prose_after:
            self.removed.append(f"cut:{rule.id}:after_article_end")
            return True
        if (
            headlines
            and len(prose_after) >= 2
            and not self.continues(following[0])
            and headline_echo(headlines, prose_after[:2]) >= self.s.headline_echo
        ):
            self.removed.append(f"cut:{rule.id}:foreign_article")
            return True
        self.removed.append(f"drop_block:{rule.id}")
        return False

    def continues(self, line: Line) -> bool:
        """Whether a paragraph opens like the continuation of an article ("وقال", "من جهته", ...)."""
        words = line.key.split()
        openers = self.rules.continuation_openers
        return any(" ".join(words[:n]) in openers for n in (1, 2, 3, 4))


_SHORT_WORD = 3


def _vocabulary(lines: list[Line]) -> set[str]:
    return {word for line in lines for word in line.key.split() if len(word) > _SHORT_WORD and not word.isdigit()}


def headline_echo(headlines: list[Line], lead: list[Line]) -> float:
    """Share of the content words of `headlines` that the `lead` paragraphs repeat."""
    words = _vocabulary(headlines)
    if not words:
        return 0.0
    return len(words & _vocabulary(lead)) / len(words)


def title_similarity(a: str, b: str) -> float:
    """Similarity of two headlines: the larger of word-set Jaccard and normalized edit similarity."""
    return _key_similarity(line_key(a), line_key(b))


def _key_similarity(ka: str, kb: str) -> float:
    if not ka or not kb:
        return 0.0
    wa, wb = set(ka.split()), set(kb.split())
    jaccard = len(wa & wb) / len(wa | wb)
    return max(jaccard, fuzz.ratio(ka, kb) / 100)


def _drop_title_repeats(lines: list[Line], title: str, rules: RuleSet, removed: list[str]) -> list[Line]:
    """Remove lines repeating the title: exact copies and near copies of similar length (captions)."""
    s = rules.settings
    title_key = line_key(title)
    title_len = max(1, len(title_key))
    kept = []
    for line in lines:
        ratio = len(line.key) / title_len
        needed = s.title_similarity_sentence if _SENTENCE_END.search(line.text) else s.title_similarity
        similar = (
            1 / s.caption_max_length_ratio <= ratio <= s.caption_max_length_ratio
            and _key_similarity(line.key, title_key) >= needed
        )
        if line.key == title_key or similar:
            removed.append("title_repeat")
            continue
        kept.append(line)
    return kept


_LABEL_MAX_WORDS = 2  # tags and section labels; a headline has more words, so a repeated title stays


def _drop_repeated_labels(lines: list[Line], removed: list[str]) -> list[Line]:
    """Lines of one or two words that the page prints more than once are labels and tags ("محادثات آستانة")."""
    counts: dict[str, int] = {}
    for line in lines:
        if line.words <= _LABEL_MAX_WORDS:
            counts[line.key] = counts.get(line.key, 0) + 1
    repeated = {key for key, n in counts.items() if n > 1}
    if not repeated:
        return lines
    kept = [line for line in lines if line.words > _LABEL_MAX_WORDS or line.key not in repeated]
    removed.extend(["repeated_label"] * (len(lines) - len(kept)))
    return kept


def _letter_words(line: Line) -> int:
    """Words of the line that are not numbers ("07:40 عمّان" has one)."""
    return sum(1 for word in line.key.split() if not word.isdigit())


def _find_title(run: _Pass, lines: list[Line]) -> int | None:
    """Index of the headline above the first prose line, when there is one (lines above it are crumbs).

    The headline is the last headline-like line before the first prose line (a masthead, a site
    tagline, a section label or a date above it is page furniture, not the title), unless that line
    repeats an earlier one (a photo caption echoing the headline).
    """
    candidate: int | None = None
    seen: list[int] = []
    for index, line in enumerate(lines):
        if run.is_prose(line) and not run.is_headline(line):
            return candidate
        if run.is_headline(line) and _letter_words(line) >= run.s.title_min_words:
            if candidate is not None and any(run.is_prose(other) for other in lines[candidate + 1 : index]):
                return candidate
            if candidate == 0 and _letter_words(lines[0]) >= run.s.opening_title_min_words:
                return 0  # text that opens with a full headline: what follows it is a caption or a kicker
            echoed = [c for c in seen if _key_similarity(line.key, lines[c].key) >= run.s.title_similarity]
            candidate = echoed[0] if echoed else index  # a caption repeating the headline does not replace it
            seen.append(index)
    if candidate is not None and any(run.is_prose(other) for other in lines[candidate + 1 :]):
        return candidate
    return None


def _drop_teasers(run: _Pass, lines: list[Line], removed: list[str]) -> list[Line]:
    """Between two sentences of the body, a headline of "who: what" is the teaser of another article
    ("وزير الخارجية التركي: حل الأزمة السورية سياسي وليس عسكريا"); the article's own subheadings have
    no such mark. A line with a full stop inside is a sentence, whatever it lacks at its end."""
    marks = run.s.teaser_marks

    def teaser(i: int, line: Line) -> bool:
        return (
            0 < i < len(lines) - 1
            and run.is_headline(line)
            and any(mark in line.text for mark in marks)
            and not _SENTENCE_INSIDE.search(line.text)
            and run.is_sentence(lines[i - 1])
            and run.is_sentence(lines[i + 1])
        )

    kept = [line for i, line in enumerate(lines) if not teaser(i, line)]
    removed.extend(["teaser"] * (len(lines) - len(kept)))
    return kept


def _drop_head_furniture(run: _Pass, lines: list[Line], title_at: int | None, removed: list[str]) -> list[Line]:
    """Above the first prose line, short lines other than the headline are crumbs, mastheads, section
    labels and bylines; a longer line may be the article's own (a kicker or a lead) and stays."""
    # a dateline of many numbers ("السبت 23 نوفمبر 2024 الموافق 21 جمادى الأولى 1446") is no prose
    prose_words = run.s.prose_min_words
    after = -1 if title_at is None else title_at  # a long headline is not the first prose line
    first_prose = next((i for i, line in enumerate(lines) if i > after and _letter_words(line) >= prose_words), None)
    if first_prose is None and title_at is None:
        return lines
    head_end = max(first_prose or 0, title_at or 0)  # above the headline always; below it, up to the prose
    minimum = run.s.head_line_min_words

    def stays(i: int, line: Line) -> bool:
        if i >= head_end or i == title_at or _SENTENCE_END.search(line.text):
            return True
        if title_at is not None and i > title_at:
            return False  # under the headline, above the prose: a caption or a second headline
        return _letter_words(line) >= minimum

    kept = [line for i, line in enumerate(lines) if stays(i, line)]
    removed.extend(["head_furniture"] * (len(lines) - len(kept)))
    return kept


def clean_lines(text: str, rules: RuleSet, *, title: str | None = None, detect_title: bool = True) -> TextCleaning:
    """Apply `rules` to page text; find the title when none is given and `detect_title` is set."""
    run = _Pass(rules, split_lines(text, rules.settings.headline_max_words))
    run.run()
    lines = _drop_repeated_labels(run.out, run.removed)
    removed = run.removed
    if title is None and detect_title:
        found = _find_title(run, lines)
        if found is not None:
            title = lines[found].text
        lines = _drop_head_furniture(run, lines, found, removed)
    if title:
        lines = _drop_title_repeats(lines, title, rules, removed)
    lines = _drop_teasers(run, lines, removed)
    return TextCleaning(
        title=title,
        paragraphs=[line.text for line in lines],
        removed=removed,
        dateline_date=run.dateline_date,
        normalized=[line.norm for line in lines],
    )
