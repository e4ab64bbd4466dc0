"""Logging setup shared by every command: human-readable text or one JSON object per line."""

from __future__ import annotations

import json
import logging
import sys
from datetime import UTC, datetime
from typing import Any

# Attributes every LogRecord has; anything else was passed with `extra=` and belongs in the JSON.
_STANDARD = set(vars(logging.LogRecord("x", 0, "x", 0, "x", None, None))) | {"message", "asctime"}


class JsonFormatter(logging.Formatter):
    """One JSON object per line: time, level, logger, message, extra fields, exception."""

    def format(self, record: logging.LogRecord) -> str:
        """Render `record` as compact JSON (non-ASCII kept readable)."""
        payload: dict[str, Any] = {
            "time": datetime.fromtimestamp(record.created, UTC).isoformat(timespec="milliseconds"),
            "level": record.levelname.lower(),
            "logger": record.name,
            "message": record.getMessage(),
        }
        for key, value in vars(record).items():
            if key not in _STANDARD and not key.startswith("_"):
                payload[key] = value if isinstance(value, str | int | float | bool | type(None)) else repr(value)
        if record.exc_info:
            payload["exception"] = self.formatException(record.exc_info)
        return json.dumps(payload, ensure_ascii=False)


class OneLineThirdParty(logging.Filter):
    """Keep a library's error as one line: its failure is already recorded and summarized by Rasad.

    Scrapy logs a full traceback when, say, robots.txt cannot be fetched from an outlet that is
    down; the crawl run records the failure with its reason, so the traceback is noise for a user.
    """

    def __init__(self, prefixes: tuple[str, ...] = ("scrapy", "twisted")):
        super().__init__()
        self.prefixes = prefixes

    def filter(self, record: logging.LogRecord) -> bool:
        """Drop the traceback of third-party records (the record itself is kept)."""
        if record.name.startswith(self.prefixes) and record.exc_info:
            record.exc_info = None
            record.exc_text = None
        return True


class CurrentStderrHandler(logging.StreamHandler):
    """Writes to standard error as it was when configured; when that stream has been closed since, to
    `sys.stderr` as it is now.

    A command run inside another program (a test runner's CLI invocation) configures logging on a
    stream that is closed when the invocation ends; a worker whose streams Celery redirects keeps the
    real one it was configured with.
    """

    def __init__(self) -> None:
        super().__init__(sys.stderr)

    def emit(self, record: logging.LogRecord) -> None:
        """Emit `record`, first moving off a closed stream."""
        if getattr(self.stream, "closed", False):
            self.stream = sys.stderr
        super().emit(record)


def configure_logging(*, verbose: bool = False, fmt: str = "text") -> logging.Handler:
    """Install one root handler; the level sits on the handler because Scrapy resets the root level."""
    level = logging.INFO if verbose else logging.WARNING
    handler = CurrentStderrHandler()
    handler.setLevel(level)
    handler.setFormatter(JsonFormatter() if fmt == "json" else logging.Formatter("%(levelname)s %(name)s: %(message)s"))
    root = logging.getLogger()
    for existing in list(root.handlers):
        if getattr(existing, "_rasad", False):
            root.removeHandler(existing)
    if not verbose:
        handler.addFilter(OneLineThirdParty())
    handler._rasad = True  # type: ignore[attr-defined]
    root.addHandler(handler)
    root.setLevel(level)
    return handler


def set_log_level(level: str) -> None:
    """Change the level of Rasad's handler (e.g. `rasad worker --loglevel INFO`), keeping its format."""
    numeric = logging.getLevelName(level.upper())
    if not isinstance(numeric, int):
        raise ValueError(f"unknown log level {level!r}")
    root = logging.getLogger()
    for handler in root.handlers:
        if getattr(handler, "_rasad", False):
            handler.setLevel(numeric)
    root.setLevel(numeric)
