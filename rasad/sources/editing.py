"""Adding an outlet to the user's sources file: validated first, written so the file stays the user's own."""

from __future__ import annotations

import re
from pathlib import Path
from urllib.parse import urlsplit

import yaml
from pydantic import ValidationError

from rasad.sources.loader import SourcesError, default_sources_path, load_sources
from rasad.sources.models import Source


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
