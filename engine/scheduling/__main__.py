"""python -m engine.scheduling solve PATH --time-limit SECONDS [--seed N]

Prints one JSON object on stdout. Exit status: 0 a plan was found, 1 no plan (infeasible
or nothing found in time; the JSON says why), 2 bad input or usage (one line on stderr).
"""

from __future__ import annotations

import argparse
import json
import sys

from .jsonio import problem_from_json, result_to_json
from .model import SchedulingInputError
from .planner import solve

EXIT_NO_PLAN = 1
EXIT_BAD_INPUT = 2


class _Parser(argparse.ArgumentParser):
    def error(self, message: str) -> None:  # one line, no usage block
        self.exit(EXIT_BAD_INPUT, f"error: {message}\n")


def _parser() -> argparse.ArgumentParser:
    parser = _Parser(prog="python -m engine.scheduling", description=__doc__.split("\n")[0])
    commands = parser.add_subparsers(dest="command", required=True, parser_class=_Parser)
    run = commands.add_parser("solve", help="plan all groups of a JSON problem file")
    run.add_argument("path", help="JSON problem file (see README.md), or - for stdin")
    run.add_argument("--time-limit", type=float, required=True, help="seconds for the whole run")
    run.add_argument("--seed", type=int, default=0)
    return parser


def main(argv: list[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    if args.time_limit <= 0:
        return _bad("--time-limit must be positive")
    try:
        if args.path == "-":
            data = json.load(sys.stdin)
        else:
            with open(args.path, encoding="utf-8") as handle:
                data = json.load(handle)
    except OSError as error:
        return _bad(f"cannot read {args.path}: {error.strerror}")
    except (json.JSONDecodeError, UnicodeDecodeError) as error:
        return _bad(f"{args.path} is not valid JSON: {error}")
    try:
        problem = problem_from_json(data)
        result = solve(problem, time_limit_s=args.time_limit, seed=args.seed)
    except SchedulingInputError as error:
        return _bad(str(error))
    json.dump(result_to_json(result), sys.stdout, indent=2)
    sys.stdout.write("\n")
    return 0 if result.feasible else EXIT_NO_PLAN


def _bad(message: str) -> int:
    print(f"error: {' '.join(message.split())}", file=sys.stderr)
    return EXIT_BAD_INPUT


if __name__ == "__main__":
    sys.exit(main())
