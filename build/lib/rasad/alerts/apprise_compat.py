"""Import and use Apprise without its import-time deprecation noise (it imports `imghdr` when plugins load)."""

from __future__ import annotations

import warnings
from collections.abc import Iterator
from contextlib import contextmanager
from types import ModuleType


@contextmanager
def quiet_apprise() -> Iterator[ModuleType]:
    """The `apprise` module, with the DeprecationWarnings its lazy plugin loading raises silenced."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", DeprecationWarning)
        import apprise

        yield apprise
