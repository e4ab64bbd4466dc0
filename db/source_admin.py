"""Managing sources at run time: add one to the user's sources file, enable, disable, change its interval.

The sources file stays the truth for configuration; the `sources` table holds the run-time state
(enabled, interval) that the CLI changes and the scheduler reads at every tick.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from urllib.parse import urlsplit

import yaml
from pydantic import ValidationError
from sqlalchemy.orm import Session

from db.models import SourceRow
from db.session import session_scope
from db.source_timing import SourceTiming, source_timings
from db.sources import sync_sources
from rasad.sources import Source, SourcesError, configured_sources, load_sources
from rasad.sources.loader import default_sources_path


@dataclass(frozen=True)
class SourceState:
    """A source's configuration with its run-time state."""

    source: Source
    enabled: bool
    interval_minutes: int
    last_started: datetime | None
    next_due: datetime | None
    current_minutes: float = 0.0  # adaptive polling: the interval now, and why
    reason: str = ""
    failing: bool = False


def source_states(profile: str) -> list[SourceState]:
    """Every configured source with the state the scheduler uses (synced from the file first)."""
    sources = configured_sources(profile)
    with session_scope() as session:
        sync_sources(session, sources)
        session.flush()
        timings = {t.source_id: t for t in source_timings(session, [s.id for s in sources])}
    return [_state(s, timings[s.id]) for s in sources]


def _state(source: Source, t: SourceTiming) -> SourceState:
    return SourceState(
        source, t.enabled, t.interval_minutes, t.last_started, t.next_due, t.current_minutes, t.reason, t.failing
    )


def _row(session: Session, profile: str, source_id: str) -> SourceRow:
    sources = configured_sources(profile)
    if source_id not in {s.id for s in sources}:
        raise SourcesError(f"unknown source {source_id!r}; known: {', '.join(sorted(s.id for s in sources))}")
    sync_sources(session, sources)
    session.flush()
    row = session.get(SourceRow, source_id)
    assert row is not None
    return row


def set_enabled(profile: str, source_id: str, enabled: bool) -> None:
    """Enable or disable scheduled crawls of a source (from the next scheduler tick)."""
    with session_scope() as session:
        _row(session, profile, source_id).enabled = enabled


def set_interval(profile: str, source_id: str, minutes: int) -> None:
    """Crawl a source every `minutes` (from the next scheduler tick)."""
    if not 1 <= minutes <= 7 * 24 * 60:
        raise SourcesError(f"interval must be between 1 and {7 * 24 * 60} minutes, got {minutes}")
    with session_scope() as session:
        _row(session, profile, source_id).interval_minutes = minutes


def slug_from_url(base_url: str) -> str:
    """A source id from a base URL: 'https://www.enabbaladi.net/' → 'enabbaladi'."""
    host = (urlsplit(base_url).hostname or "").removeprefix("www.")
    label = host.split(".")[0] if host else ""
    return re.sub(r"[^a-z0-9-]+", "-", label.lower()).strip("-")[:40]


def add_source(
    path: Path,
    base_url: str,
    *,
    source_id: str | None = None,
    name: str | None = None,
    country: str | None = None,
    language: str = "ar",
    interval_minutes: int | None = None,
) -> Source:
    """Validate a new outlet and append it to the user's sources file (created from the bundled one if missing)."""
    if not re.match(r"^https?://[^/\s]+", base_url):
        raise SourcesError(f"base_url must be an http(s) URL, got {base_url!r}")
    if not path.parent.is_dir():
        raise SourcesError(f"{path.parent} is not an existing directory (it is not created for you)")
    if not path.exists():
        path.write_text(default_sources_path().read_text(encoding="utf-8"), encoding="utf-8")
    existing = load_sources(path)
    entry: dict[str, object] = {
        "id": source_id or slug_from_url(base_url),
        "name": name or (urlsplit(base_url).hostname or base_url).removeprefix("www."),
        "base_url": base_url,
    }
    if language != "ar":
        entry["language"] = language
    if country:
        entry["country"] = country.upper()
    if interval_minutes is not None:
        entry["interval_minutes"] = interval_minutes
    try:
        source = Source(**entry)  # type: ignore[arg-type]
    except ValidationError as exc:
        first = exc.errors()[0]
        where = ".".join(str(p) for p in first["loc"]) or "entry"
        raise SourcesError(f"invalid source: {where}: {str(first['msg']).removeprefix('Value error, ')}") from exc
    for other in existing:
        if other.id == source.id:
            raise SourcesError(f"a source with id {source.id!r} exists in {path}; pass --id")
        if other.base_url.rstrip("/") == source.base_url.rstrip("/"):
            raise SourcesError(f"{source.base_url} is already configured as {other.id!r}")
    original = path.read_text(encoding="utf-8")
    indent = next((m.group(1) for m in re.finditer(r"^(\s*)- id:", original, re.MULTILINE)), "  ")
    block = yaml.safe_dump([entry], allow_unicode=True, sort_keys=False, default_flow_style=False)
    text = "\n".join(indent + line if line else line for line in block.splitlines())
    path.write_text(original.rstrip("\n") + "\n\n" + text + "\n", encoding="utf-8")
    try:
        load_sources(path)
    except SourcesError:
        path.write_text(original, encoding="utf-8")  # leave the user's file as it was
        raise
    return source
