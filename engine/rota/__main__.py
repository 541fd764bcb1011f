"""Command line: ``python -m engine.rota propose PROBLEM.json`` or
``python -m engine.rota repair PROBLEM.json ROTA.json --meeting KEY --absent MEMBER``.

Prints one JSON object on stdout. Bad input exits with status 2 and a one-line message
on stderr.
"""

from __future__ import annotations

import argparse
import json
import sys

from . import RotaInputError, propose, repair
from .jsonio import problem_from_json, repair_to_json, result_to_json, rota_from_json


class _Parser(argparse.ArgumentParser):
    def error(self, message: str) -> None:  # one line, no usage dump
        print(f"error: {message}", file=sys.stderr)
        raise SystemExit(2)


def _load(path: str):
    with open(path, encoding="utf-8") as handle:
        return json.load(handle)


def main(argv: list[str] | None = None) -> int:
    parser = _Parser(prog="python -m engine.rota", description=__doc__)
    commands = parser.add_subparsers(dest="command", required=True)
    make = commands.add_parser("propose", help="propose a rota for a series of meetings")
    make.add_argument("problem")
    make.add_argument("--seed", type=int, default=0)
    fix = commands.add_parser("repair", help="repair a rota after an absence")
    fix.add_argument("problem")
    fix.add_argument("rota")
    fix.add_argument("--meeting", required=True)
    fix.add_argument("--absent", required=True)
    args = parser.parse_args(argv)
    try:
        problem = problem_from_json(_load(args.problem))
        if args.command == "propose":
            output = result_to_json(propose(problem, seed=args.seed))
        else:
            rota = rota_from_json(_load(args.rota))
            output = repair_to_json(repair(problem, rota, meeting=args.meeting, absent=args.absent))
    except (OSError, json.JSONDecodeError, RotaInputError) as error:
        print(f"error: {error}", file=sys.stderr)
        return 2
    json.dump(output, sys.stdout, ensure_ascii=False, indent=2)
    print()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
