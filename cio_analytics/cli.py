"""The ``cio-analytics`` command (placeholder until the report pipeline lands)."""

from __future__ import annotations

import argparse
import sys


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="cio-analytics", description=__doc__)
    sub = parser.add_subparsers(dest="command", required=True)
    run = sub.add_parser("run", help="run a report pack")
    run.add_argument("pack")
    run.add_argument("--period")
    args = parser.parse_args(argv)
    if args.command == "run":
        print("cio-analytics: no report pack yet (the report pipeline has not landed).")
    return 0


if __name__ == "__main__":
    sys.exit(main())
