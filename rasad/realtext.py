"""The real-text evaluation set: annotations in the repository, texts in a git-ignored cache.

Real Arabic news excerpts may not be copied into the repository (their source's terms), so each
annotated document (`rasad/fixtures/realtext/annotations/*.json`) carries the address and the query
that find its text, and a SHA-256 of that text. The texts live in `.cache/realtext/<id>.txt` (or
`RASAD_REALTEXT_CACHE`); `docs/realtext.md` says how a session refills them. Documents are split by
outlet into a development part and a held-out part (`split.json`).
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import os
import re
from dataclasses import dataclass
from difflib import SequenceMatcher
from pathlib import Path
from typing import Any

from pydantic import BaseModel, ConfigDict, Field, ValidationError

from rasad.cleaning import CleanedArticle, Rejected, clean_text

REALTEXT_DIR = Path(__file__).resolve().parent / "fixtures" / "realtext"
ANNOTATIONS_DIR = REALTEXT_DIR / "annotations"
SPLIT_FILE = REALTEXT_DIR / "split.json"
DEFAULT_CACHE = Path(".cache") / "realtext"
PARTS = ("dev", "heldout")
_ID = re.compile(r"^[a-z][0-9]{2,3}$")


class RealTextError(ValueError):
    """An annotation file, the split or a cached text is malformed."""


class LineLabels(BaseModel):
    """Indices of the excerpt's non-empty lines that cleaning must drop or keep."""

    model_config = ConfigDict(extra="forbid")
    boilerplate: list[int] = Field(default_factory=list)
    article: list[int] = Field(default_factory=list)


class RealDocument(BaseModel):
    """One annotated excerpt (the gold schema of `rasad/fixtures/gold/README.md`, text by reference)."""

    model_config = ConfigDict(extra="allow")
    id: str
    url: str
    query: str
    outlet: str
    outlet_kind: str = "other"
    text_sha256: str = Field(pattern=r"^[0-9a-f]{64}$")
    text_chars: int = Field(ge=1)
    title_line: int | None = None
    published_at: dt.date | None = None
    published_at_basis: str | None = None
    relevant: bool  # to `topic`
    topic: str = "turkey_syria_normalization"
    negative_kind: str | None = None
    persons: list[dict[str, Any]] = Field(default_factory=list)
    persons_absent: list[str] = Field(default_factory=list)
    events: list[dict[str, Any]] = Field(default_factory=list)
    lines: LineLabels = Field(default_factory=LineLabels)

    def gold(self) -> dict[str, Any]:
        """The document as a gold dict for `rasad.extraction.evaluation.score_case`."""
        return self.model_dump(mode="json", exclude_none=False)


def cache_dir() -> Path:
    """Where the texts are cached: `RASAD_REALTEXT_CACHE`, else `.cache/realtext` under the working directory."""
    return Path(os.environ.get("RASAD_REALTEXT_CACHE") or DEFAULT_CACHE)


def text_hash(text: str) -> str:
    """SHA-256 (hex) of the text's UTF-8 bytes."""
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def load_documents(directory: Path = ANNOTATIONS_DIR) -> list[RealDocument]:
    """Every annotated document, validated; ids are unique across the files."""
    docs: list[RealDocument] = []
    seen: dict[str, Path] = {}
    for path in sorted(directory.glob("*.json")):
        try:
            raw = json.loads(path.read_text(encoding="utf-8"))
        except (OSError, json.JSONDecodeError) as exc:
            raise RealTextError(f"{path}: not readable JSON: {exc}") from exc
        for i, entry in enumerate(raw.get("documents", []) if isinstance(raw, dict) else []):
            doc = _validate(path, i, entry)
            if doc.id in seen:
                raise RealTextError(f"{path}: documents[{i}]: id {doc.id!r} already used in {seen[doc.id]}")
            seen[doc.id] = path
            docs.append(doc)
    return docs


def _validate(path: Path, index: int, entry: Any) -> RealDocument:
    try:
        doc = RealDocument.model_validate(entry)
    except ValidationError as exc:
        problems = "; ".join(f"{'.'.join(map(str, e['loc']))}: {e['msg']}" for e in exc.errors())
        raise RealTextError(f"{path}: documents[{index}]: {problems}") from exc
    if not _ID.match(doc.id):
        raise RealTextError(f"{path}: documents[{index}]: id {doc.id!r} is not a letter and two or three digits")
    return doc


def load_split(path: Path = SPLIT_FILE) -> dict[str, str]:
    """Outlet -> part (`dev` or `heldout`)."""
    try:
        raw = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, json.JSONDecodeError) as exc:
        raise RealTextError(f"{path}: not readable JSON: {exc}") from exc
    out: dict[str, str] = {}
    for part in PARTS:
        for outlet in raw.get(part, []):
            if outlet in out:
                raise RealTextError(f"{path}: outlet {outlet!r} is in both parts")
            out[outlet] = part
    return out


def assigned_part(outlet: str) -> str:
    """The part an outlet belongs to, fixed in advance by a hash of its name: one outlet in three is held out.

    Deciding by a rule rather than by hand keeps the split from being chosen after seeing scores.
    """
    return "heldout" if int(hashlib.sha256(outlet.encode("utf-8")).hexdigest(), 16) % 3 == 0 else "dev"


def split_for(docs: list[RealDocument]) -> dict[str, list[str]]:
    """The split file's content for these documents' outlets (by `assigned_part`)."""
    out: dict[str, list[str]] = {part: [] for part in PARTS}
    for outlet in sorted({d.outlet for d in docs}):
        out[assigned_part(outlet)].append(outlet)
    return out


def part_of(doc: RealDocument, split: dict[str, str]) -> str:
    """The document's part; an outlet the split does not name is held out (never tuned on by accident)."""
    return split.get(doc.outlet, "heldout")


def cached_text(doc: RealDocument, directory: Path | None = None) -> str | None:
    """The document's text from the cache, or None when it is missing or differs from the annotated hash."""
    path = (directory or cache_dir()) / f"{doc.id}.txt"
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError):
        return None
    return text if text_hash(text) == doc.text_sha256 else None


def missing(docs: list[RealDocument], directory: Path | None = None) -> list[RealDocument]:
    """Documents whose text is not cached (or not the annotated one)."""
    return [d for d in docs if cached_text(d, directory) is None]


def put(doc: RealDocument, text: str, directory: Path | None = None) -> Path:
    """Cache `text` as the document's text after checking its hash; raise RealTextError when it differs."""
    got = text_hash(text)
    if got != doc.text_sha256:
        raise RealTextError(
            f"{doc.id}: the text's SHA-256 is {got[:12]}…, the annotation's {doc.text_sha256[:12]}… "
            f"({len(text)} characters, annotated {doc.text_chars}): not the annotated excerpt"
        )
    target = directory or cache_dir()
    target.mkdir(parents=True, exist_ok=True)
    path = target / f"{doc.id}.txt"
    path.write_text(text, encoding="utf-8")
    return path


def excerpt_lines(text: str) -> list[str]:
    """The excerpt's lines, as the annotations index them (split on newlines)."""
    return text.split("\n")


@dataclass
class LineScore:
    """Boilerplate lines dropped and article lines kept by cleaning, for one or many documents."""

    boilerplate: int = 0
    dropped: int = 0
    article: int = 0
    kept: int = 0

    def add(self, other: LineScore) -> None:
        """Accumulate another document's counts."""
        self.boilerplate += other.boilerplate
        self.dropped += other.dropped
        self.article += other.article
        self.kept += other.kept

    @property
    def drop_share(self) -> float:
        """Share of boilerplate lines dropped (1.0 when there were none)."""
        return self.dropped / self.boilerplate if self.boilerplate else 1.0

    @property
    def keep_share(self) -> float:
        """Share of article lines kept (1.0 when there were none)."""
        return self.kept / self.article if self.article else 1.0


_WORD = re.compile(r"\w+")


def _run(line: list[str], output: list[str]) -> int:
    """Length of the longest run of the line's words found in `output` as one run."""
    if not line or not output:
        return 0
    matcher = SequenceMatcher(None, line, output, autojunk=False)
    return matcher.find_longest_match(0, len(line), 0, len(output)).size


def _stands_in(line: list[str], output_lines: list[list[str]]) -> bool:
    """Whether a boilerplate line survives as a line of the output.

    It does when one output line holds a run of at least half its words (all of them for a line of
    four words or fewer) and that run is at least half of that output line. Words that recur inside
    a sentence of the article ("أردوغان" as a tag line, a headline the lead sentence paraphrases) are
    not the line surviving.
    """
    if not line:
        return False
    for out in output_lines:
        run = _run(line, out)
        enough = run == len(line) if len(line) <= 4 else 2 * run >= len(line)
        if enough and 2 * run >= len(out):
            return True
    return False


def score_lines(doc: RealDocument, text: str, title: str, body: str) -> tuple[LineScore, list[int], list[int]]:
    """Count dropped boilerplate and kept article lines; also the indices of leaked and lost lines.

    Lines are compared as words. An article line is kept when at least 80% of its words survive as
    one run in the title or body (cleaning may cut an end marker such as "(سانا)"). A boilerplate line
    is leaked when it stands as a line of the body or as the title (a caption taken for the headline);
    a repeat of the headline leaks only when it stays in the body.
    """
    lines = [_WORD.findall(line) for line in excerpt_lines(text)]
    words = _WORD.findall(f"{title}\n{body}")
    body_lines = [found for found in (_WORD.findall(b) for b in body.split("\n")) if found]
    title_words = _WORD.findall(title)
    headline = lines[doc.title_line] if doc.title_line is not None and doc.title_line < len(lines) else []
    score = LineScore()
    leaked: list[int] = []
    lost: list[int] = []
    for i in doc.lines.boilerplate:
        score.boilerplate += 1
        line = lines[i] if i < len(lines) else []
        repeat = bool(line) and 10 * _run(line, headline) >= 8 * len(line)
        if _stands_in(line, body_lines if repeat else [*body_lines, title_words]):
            leaked.append(i)
        else:
            score.dropped += 1
    for i in doc.lines.article:
        score.article += 1
        line = lines[i] if i < len(lines) else []
        if not line or 10 * _run(line, words) >= 8 * len(line):
            score.kept += 1
        else:
            lost.append(i)
    return score, leaked, lost


@dataclass
class Prepared:
    """A cached document run through the text path's cleaning (what `rasad extract` does with a .txt)."""

    doc: RealDocument
    part: str
    text: str
    cleaned: CleanedArticle | None
    rejection: str | None

    @property
    def published(self) -> dt.date | None:
        """The annotated date, else the date cleaning read off the text."""
        if self.doc.published_at:
            return self.doc.published_at
        if self.cleaned is not None and self.cleaned.published_at is not None:
            return self.cleaned.published_at.date()
        return None

    def output(self) -> str:
        """Title and body as cleaning left them (empty when rejected)."""
        if self.cleaned is None:
            return ""
        return f"{self.cleaned.title or ''}\n{self.cleaned.body}"


def prepare(docs: list[RealDocument], split: dict[str, str], directory: Path | None = None) -> list[Prepared]:
    """Clean every document whose text is cached; documents without a cached text are left out."""
    out = []
    for doc in docs:
        text = cached_text(doc, directory)
        if text is None:
            continue
        try:
            cleaned: CleanedArticle | None = clean_text(text, url=doc.url)
            rejection = None
        except Rejected as exc:
            cleaned, rejection = None, exc.reason
        out.append(Prepared(doc, part_of(doc, split), text, cleaned, rejection))
    return out
