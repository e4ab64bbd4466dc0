"""Outlets as data: the sources file, its schema and profiles."""

from rasad.sources.loader import (
    SourcesError,
    apply_profile,
    configured_sources,
    load_profile,
    load_sources,
    select_sources,
)
from rasad.sources.models import Selectors, Source

__all__ = [
    "Selectors",
    "Source",
    "SourcesError",
    "apply_profile",
    "configured_sources",
    "load_profile",
    "load_sources",
    "select_sources",
]
