"""Load the sources file and apply a profile, with errors that name the file and line."""

from __future__ import annotations

from importlib import resources
from pathlib import Path
from typing import Any

import yaml
from pydantic import ValidationError

from rasad.settings import get_settings
from rasad.sources.models import Source

PROFILES = ("live", "fixtures")


class SourcesError(ValueError):
    """The sources file (or a profile) is malformed; the message names the file and line."""


def default_sources_path() -> Path:
    """The sources file shipped with Rasad."""
    return Path(str(resources.files("rasad") / "data" / "sources.yaml"))


def _profile_path(profile: str) -> Path:
    return Path(str(resources.files("rasad") / "data" / "profiles" / f"{profile}.yaml"))


def _read_yaml_nodes(path: Path) -> tuple[Any, yaml.Node | None]:
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError as exc:
        raise SourcesError(f"{path}: file not found") from exc
    except UnicodeDecodeError as exc:
        raise SourcesError(f"{path}: not UTF-8 text ({exc.reason})") from exc
    try:
        node = yaml.compose(text, Loader=yaml.SafeLoader)
        data = yaml.safe_load(text)
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark
        where = f"line {mark.line + 1}, column {mark.column + 1}" if mark else "unknown position"
        raise SourcesError(f"{path}:{where}: invalid YAML: {exc.problem}") from exc
    return data, node


def _entry_lines(root: yaml.Node | None) -> list[int]:
    """1-based line of each entry of the top-level `sources:` list, in order."""
    if not isinstance(root, yaml.MappingNode):
        return []
    for key, value in root.value:
        if isinstance(key, yaml.ScalarNode) and key.value == "sources" and isinstance(value, yaml.SequenceNode):
            return [item.start_mark.line + 1 for item in value.value]
    return []


def load_sources(path: Path | None = None) -> list[Source]:
    """Parse and validate a sources file; raise `SourcesError` naming the line of the first bad entry."""
    path = path or default_sources_path()
    data, root = _read_yaml_nodes(path)
    if not isinstance(data, dict) or not isinstance(data.get("sources"), list):
        raise SourcesError(f"{path}:1: expected a mapping with a 'sources:' list")
    lines = _entry_lines(root)
    sources: list[Source] = []
    seen: dict[str, int] = {}
    for index, entry in enumerate(data["sources"]):
        line = lines[index] if index < len(lines) else 0
        if not isinstance(entry, dict):
            raise SourcesError(f"{path}:{line}: source #{index + 1} must be a mapping, got {type(entry).__name__}")
        try:
            source = Source(**entry)
        except ValidationError as exc:
            problems = "; ".join(
                f"{'.'.join(str(p) for p in err['loc']) or 'entry'}: {err['msg']}" for err in exc.errors()
            )
            raise SourcesError(f"{path}:{line}: source {entry.get('id', f'#{index + 1}')!r}: {problems}") from exc
        if source.id in seen:
            raise SourcesError(f"{path}:{line}: duplicate source id {source.id!r} (first at line {seen[source.id]})")
        seen[source.id] = line
        sources.append(source)
    return sources


def apply_profile(sources: list[Source], profile: str, *, fixtures_url: str) -> list[Source]:
    """Return the sources as the profile sees them.

    `live` is the sources file as written. A profile file (`rasad/data/profiles/NAME.yaml`) lists the
    sources it covers and a `base_url_template`; each covered source moves to the new base URL, and
    any absolute URL of its configuration under the live base moves with it.
    """
    if profile == "live":
        return sources
    if profile not in PROFILES:
        raise SourcesError(f"unknown profile {profile!r}; choose one of {', '.join(PROFILES)}")
    path = _profile_path(profile)
    data, _ = _read_yaml_nodes(path)
    if not isinstance(data, dict) or "base_url_template" not in data or not isinstance(data.get("sources"), list):
        raise SourcesError(f"{path}:1: expected 'base_url_template' and a 'sources' list")
    covered = [str(s) for s in data["sources"]]
    by_id = {s.id: s for s in sources}
    missing = [s for s in covered if s not in by_id]
    if missing:
        raise SourcesError(f"{path}: profile names unknown sources: {', '.join(missing)}")
    moved = []
    for source_id in covered:
        source = by_id[source_id]
        new_base = data["base_url_template"].format(fixtures_url=fixtures_url.rstrip("/"), id=source.id)
        if not new_base.endswith("/"):
            new_base += "/"

        def move(url: str, old: str = source.base_url, new: str = new_base) -> str:
            return new + url[len(old) :] if url.startswith(old) else url

        moved.append(
            source.model_copy(
                update={
                    "base_url": new_base,
                    "feeds": [move(u) for u in source.feeds],
                    "sitemaps": [move(u) for u in source.sitemaps],
                    "listing_pages": [move(u) for u in source.listing_pages],
                    "enabled": True,
                }
            )
        )
    return moved


def load_profile(profile: str = "live", *, path: Path | None = None, fixtures_url: str) -> list[Source]:
    """Load the sources file and apply `profile` in one step."""
    return apply_profile(load_sources(path), profile, fixtures_url=fixtures_url)


def configured_sources(profile: str) -> list[Source]:
    """The sources file of the settings, as `profile` sees it."""
    settings = get_settings()
    return load_profile(profile, path=settings.sources_file, fixtures_url=settings.fixtures_url)


def select_sources(sources: list[Source], wanted: list[str] | None) -> list[Source]:
    """Pick sources by id (all enabled ones when `wanted` is empty); unknown ids are an error."""
    if not wanted:
        return [s for s in sources if s.enabled]
    by_id = {s.id: s for s in sources}
    unknown = [w for w in wanted if w not in by_id]
    if unknown:
        raise SourcesError(f"unknown source(s): {', '.join(unknown)}; known: {', '.join(sorted(by_id))}")
    return [by_id[w] for w in wanted]
