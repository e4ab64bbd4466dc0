"""Import every model module of the `db` package, so `Base.metadata` knows all tables."""

from __future__ import annotations

import importlib
import pkgutil

import db


def import_all_models() -> list[str]:
    """Import `db.models` and every `db.*_models` module; return their names."""
    names = [
        "db.models",
        *sorted(f"db.{info.name}" for info in pkgutil.iter_modules(db.__path__) if info.name.endswith("_models")),
    ]
    for name in names:
        importlib.import_module(name)
    return names
