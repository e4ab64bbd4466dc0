"""`rasad worker` that meets hostile pages: run as `python -m tests.faults.hostile_worker worker ...`.

It is the real worker (same CLI, same Celery app, real broker and database) with one hook: a raw page
whose HTML carries a marker does to the pool process what a hostile page does in production.

- `KILL_MARKER`: the pool process SIGKILLs itself mid-try, as the kernel's OOM killer does to a
  page whose processing blows up memory;
- `HANG_MARKER`: the try never ends (until the task's soft time limit, or a kill).

Pages without a marker are processed normally.
"""

from __future__ import annotations

import os
import signal
import time
from typing import Any

KILL_MARKER = b"<!-- rasad-test: kill-worker -->"
HANG_MARKER = b"<!-- rasad-test: hang -->"


def install() -> None:
    """Wrap the cleaning step the processing chain calls with the markers' behaviour."""
    from workers import processing

    real_clean_html = processing.clean_html

    def hostile_clean_html(page: str | bytes, **kwargs: Any) -> Any:
        raw = page.encode() if isinstance(page, str) else page
        if KILL_MARKER in raw:
            os.kill(os.getpid(), signal.SIGKILL)
        if HANG_MARKER in raw:
            time.sleep(3600)
        return real_clean_html(page, **kwargs)

    processing.clean_html = hostile_clean_html  # type: ignore[assignment]


if __name__ == "__main__":
    install()
    from rasad.cli.main import app

    app(prog_name="rasad")
