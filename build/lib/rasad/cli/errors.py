"""Turn expected failures into a one-line reason and a non-zero exit, never a traceback."""

from __future__ import annotations

import functools
from collections.abc import Callable
from typing import Any, TypeVar

import typer
from sqlalchemy.exc import OperationalError

from rasad.sources import SourcesError
from rasad.urls import InvalidURL

F = TypeVar("F", bound=Callable[..., Any])

EXPECTED: tuple[type[BaseException], ...] = (SourcesError, InvalidURL, OperationalError, OSError, ValueError)


def fail(message: str, code: int = 1) -> typer.Exit:
    """Print `error: message` on stderr and return the Exit to raise."""
    typer.secho(f"error: {message}", fg=typer.colors.RED, err=True)
    return typer.Exit(code)


def cli_errors(func: F) -> F:
    """Decorator for commands: expected exceptions become `error: <reason>` and exit code 1."""

    @functools.wraps(func)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        try:
            return func(*args, **kwargs)
        except typer.Exit:
            raise
        except OperationalError as exc:
            raise fail(f"database unavailable or not migrated: {str(exc.orig).strip().splitlines()[0]}") from exc
        except EXPECTED as exc:
            raise fail(str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__) from exc

    return wrapper  # type: ignore[return-value]
