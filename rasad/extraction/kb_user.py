"""The user's own knowledge base beside the bundled one (`RASAD_KB_DIR`): new entries and amendments.

The directory holds files shaped like the bundled ones — `persons.yaml` and `persons/*.yaml`,
`places.yaml` and `places/*.yaml`, `organizations.yaml` — each with `version: 1` and a list. An
entry whose id is new is a full entry, validated as the bundled ones are. An entry whose id the
bundled KB already has amends it: its `names`, `short` spellings and `roles` are added to the
bundled ones, nothing is removed, so a user adds a spelling or a new office without copying the file.
Errors name the file, the entry and the field.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable, Iterable, Sequence
from pathlib import Path
from typing import Any, TypeVar

import yaml
from pydantic import BaseModel, ConfigDict, Field, ValidationError

from rasad.extraction.kb_specs import (
    KnowledgeBaseError,
    OrganizationSpec,
    PersonSpec,
    PlaceSpec,
    RoleSpan,
    format_error,
    read_yaml,
)

Spec = TypeVar("Spec", PersonSpec, PlaceSpec, OrganizationSpec)


class _Amendment(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    id: str
    names: list[str] = Field(default_factory=list)


class PersonAmendment(_Amendment):
    """More spellings or offices for a bundled person."""

    short: list[str] = Field(default_factory=list)
    roles: list[RoleSpan] = Field(default_factory=list)


AMENDMENTS: dict[str, type[_Amendment]] = {
    "persons": PersonAmendment,
    "places": _Amendment,
    "organizations": _Amendment,
}
SPECS: dict[str, type[BaseModel]] = {"persons": PersonSpec, "places": PlaceSpec, "organizations": OrganizationSpec}


def user_files(directory: Path, key: str) -> list[Path]:
    """The user's files for `key`: `<key>.yaml` and `<key>/*.yaml`, those that exist."""
    single = directory / f"{key}.yaml"
    return [p for p in [single, *sorted((directory / key).glob("*.yaml"))] if p.is_file()]


def signature(directory: Path | None) -> tuple[tuple[str, int, int], ...]:
    """What changes when a user file changes (path, mtime, size): the cache key of a loaded KB."""
    if directory is None:
        return ()
    return files_signature(p for key in SPECS for p in user_files(directory, key))


def files_signature(paths: Iterable[Path]) -> tuple[tuple[str, int, int], ...]:
    """(path, mtime, size) of each file: what changes when one is edited, so a cache keyed on it reloads."""
    return tuple((str(p), st.st_mtime_ns, st.st_size) for p in paths for st in (p.stat(),))


def overlay(bundled: Sequence[Spec], directory: Path, key: str) -> list[Spec]:
    """`bundled` with the user's entries of `key` added and the user's amendments applied."""
    bundled_ids = {item.id for item in bundled}
    merged: dict[str, Any] = {item.id: item for item in bundled}
    errors: list[str] = []
    for path in user_files(directory, key):
        items = read_yaml(path).get(key)
        if not isinstance(items, list):
            errors.append(f"{path}: expected a list under '{key}'")
            continue
        for i, raw in enumerate(items):
            ident = raw.get("id") if isinstance(raw, dict) else None
            where = f"{key}[{i}]" + (f" (id={ident})" if ident else "")
            try:
                if ident in bundled_ids:
                    merged[ident] = _amend(merged[ident], AMENDMENTS[key].model_validate(raw))
                elif ident in merged:
                    errors.append(f"{path}: {where}: id {ident!r} is defined twice in your files")
                elif isinstance(raw, dict) and "name" not in raw:
                    errors.append(f"{path}: {where}: no bundled entry has this id; a new entry needs name and names")
                else:
                    merged[str(ident)] = SPECS[key].model_validate(raw)
            except ValidationError as exc:
                errors.append(format_error(path, where, exc))
    if errors:
        raise KnowledgeBaseError("\n".join(errors))
    return list(merged.values())


def _amend(entry: Any, amendment: _Amendment) -> Any:
    changes: dict[str, Any] = {"names": _union(entry.names, amendment.names)}
    if isinstance(amendment, PersonAmendment):
        changes["short"] = _union(entry.short, amendment.short)
        changes["roles"] = [*entry.roles, *(r for r in amendment.roles if r not in entry.roles)]
    return entry.model_copy(update=changes)


def _union(old: Sequence[Any], new: Sequence[Any]) -> list[Any]:
    return [*old, *(item for item in new if item not in old)]


def person_id(name: str) -> str:
    """An id from an English name: 'Hakan Fidan' → 'hakan_fidan'."""
    ascii_name = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode()
    return re.sub(r"[^a-z0-9]+", "_", ascii_name.lower()).strip("_")[:60]


def append_person(directory: Path, entry: dict[str, Any], *, check: Callable[[], object]) -> Path:
    """Append `entry` to the user's `persons.yaml` in `directory` (created if missing), then run `check`.

    `check` loads the whole knowledge base; when it raises, the file is put back as it was.
    """
    path = directory / "persons.yaml"
    original = path.read_text(encoding="utf-8") if path.exists() else None
    block = yaml.safe_dump([entry], allow_unicode=True, sort_keys=False, default_flow_style=False)
    # Appended as text, so the comments and layout of the user's file stay as they were.
    indent = next((m.group(1) for m in re.finditer(r"^(\s*)- id:", original or "", re.MULTILINE)), "  ")
    text = "\n".join(indent + line if line else line for line in block.splitlines())
    head = original.rstrip("\n") + "\n" if original else "version: 1\npersons:\n"
    path.write_text(head + text + "\n", encoding="utf-8")
    try:
        check()
    except KnowledgeBaseError:
        if original is None:
            path.unlink()
        else:
            path.write_text(original, encoding="utf-8")
        raise
    return path
