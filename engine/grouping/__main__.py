"""Command line: ``python -m engine.grouping solve PATH --time-limit S --seed N --format F``.

Prints one JSON object on stdout. Bad input exits with status 2 and a one-line message
on stderr.
"""

from __future__ import annotations

import argparse
import json
import sys

from engine.grouping import InputError, solve
from engine.grouping.jsonio import read_json_problem
from engine.grouping.mdgplib import read_mdgplib


class _Parser(argparse.ArgumentParser):
    def error(self, message: str) -> None:  # one line, no usage dump
        print(f"error: {message}", file=sys.stderr)
        raise SystemExit(2)


def main(argv: list[str] | None = None) -> int:
    parser = _Parser(prog="python -m engine.grouping", description=__doc__)
    commands = parser.add_subparsers(dest="command", required=True)
    run = commands.add_parser("solve", help="compose groups for one input file")
    run.add_argument("path")
    run.add_argument("--time-limit", type=float, default=10.0, help="seconds (default 10)")
    run.add_argument("--seed", type=int, default=0)
    run.add_argument("--max-iterations", type=int, default=None)
    run.add_argument("--format", choices=["mdgplib", "json"], default="json")
    args = parser.parse_args(argv)
    if args.time_limit < 0:
        parser.error("--time-limit must not be negative")
    try:
        problem = (
            read_mdgplib(args.path) if args.format == "mdgplib" else read_json_problem(args.path)
        )
        result = solve(
            problem,
            time_limit=args.time_limit,
            seed=args.seed,
            max_iterations=args.max_iterations,
        )
    except InputError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    except Exception as exc:  # noqa: BLE001 - the CLI promises a line, not a traceback
        print(f"error: {type(exc).__name__}: {exc}", file=sys.stderr)
        return 1
    if not result.feasible and all(e.rule == "size_bounds" for e in result.explanation):
        print("error: " + "; ".join(e.message for e in result.explanation), file=sys.stderr)
        return 2
    print(json.dumps(result.as_dict()))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
