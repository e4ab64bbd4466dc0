"""`python -m rasad.fixture_site [--host H] [--port P] [--state-dir DIR] [--verbose]`."""

from __future__ import annotations

import argparse
from pathlib import Path

from rasad.fixture_site.server import serve


def main(argv: list[str] | None = None) -> None:
    """Parse the command line and serve the fixture site in the foreground."""
    parser = argparse.ArgumentParser(prog="python -m rasad.fixture_site", description=__doc__)
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, default=8765)
    parser.add_argument("--state-dir", type=Path, default=None, help="default: a temporary directory")
    parser.add_argument("--verbose", action="store_true", help="log one line per request to stderr")
    args = parser.parse_args(argv)
    serve(args.host, args.port, args.state_dir, verbose=args.verbose)


if __name__ == "__main__":
    main()
