"""The bench scripts still fit the code they drive.

They are run by `make bench`, not by the suite, and import the stack inside functions (the
environment of each run is set first), so a renamed or moved function broke them unseen: the
freshness and alert benches called `workers.alerting.add_subscription` after it had moved to `db/`.
mypy reads those imports and calls as they are written.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def test_the_bench_scripts_type_check_against_the_packages() -> None:
    mypy = Path(sys.executable).with_name("mypy")
    done = subprocess.run([str(mypy), "bench"], cwd=ROOT, capture_output=True, text=True, timeout=600)
    assert done.returncode == 0, done.stdout + done.stderr
