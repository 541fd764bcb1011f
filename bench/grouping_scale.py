"""Scale benchmark for engine.grouping: synthetic organisations with attributes and every
hard rule (reporting lines, 'not with' wishes, maximum level difference 2, locks), plus
'preferably with' wishes and history.

Per organisation size and group size range: time to the first feasible answer, the
final objective against a random-order greedy feasible partition (the engine's own
construction, which is random apart from what the hard rules force), and peak memory.
Each case runs in a fresh child process so that its peak memory is its own.

    python bench/grouping_scale.py --sizes 1000 10000 --ranges 6-8 6-10 --time-limit 60
"""

from __future__ import annotations

import argparse
import json
import resource
import subprocess
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))


def one_case(n: int, low: int, high: int, time_limit: float, seed: int) -> dict:
    from engine.grouping import solve, violations
    from engine.grouping.synthetic import organisation

    solve(organisation(60, seed=1), time_limit=60, max_iterations=100)  # load compiled code
    started = time.perf_counter()
    problem = organisation(n, group_size=(low, high), seed=seed)
    built = time.perf_counter() - started
    first = solve(problem, time_limit=time_limit, seed=seed, max_iterations=0)
    reports = []

    def progress(p):
        reports.append(p)

    result = solve(problem, time_limit=time_limit, seed=seed, progress=progress)
    broken = violations(problem, result.groups) if result.feasible else ["infeasible"]
    return {
        "n": n,
        "range": f"{low}-{high}",
        "groups": len(result.groups),
        "build_s": built,
        "first_feasible_s": reports[0].elapsed_s if reports else None,
        "baseline": first.objective,
        "objective": result.objective,
        "elapsed_s": result.elapsed_s,
        "iterations": result.iterations,
        "violations": len(broken),
        "peak_mib": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[1000, 5000, 10000])
    parser.add_argument("--ranges", nargs="+", default=["6-8", "6-10"])
    parser.add_argument("--time-limit", type=float, default=60.0)
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--one", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.one:
        n, low, high = (int(v) for v in args.one.split(","))
        print(json.dumps(one_case(n, low, high, args.time_limit, args.seed)))
        return

    print(
        f"{'people':>7}{'sizes':>7}{'groups':>7}{'first feasible s':>18}{'final s':>9}"
        f"{'baseline':>11}{'final':>11}{'gain %':>8}{'broken':>8}{'peak MiB':>10}",
        flush=True,
    )
    for n in args.sizes:
        for size_range in args.ranges:
            low, high = (int(v) for v in size_range.split("-"))
            done = subprocess.run(
                [
                    sys.executable,
                    __file__,
                    "--one",
                    f"{n},{low},{high}",
                    "--time-limit",
                    str(args.time_limit),
                    "--seed",
                    str(args.seed),
                ],
                capture_output=True,
                text=True,
                check=True,
            )
            r = json.loads(done.stdout.strip().splitlines()[-1])
            gain = 100 * (r["objective"] - r["baseline"]) / abs(r["baseline"])
            print(
                f"{r['n']:>7}{r['range']:>7}{r['groups']:>7}{r['first_feasible_s']:>18.2f}"
                f"{r['elapsed_s']:>9.1f}{r['baseline']:>11.1f}{r['objective']:>11.1f}"
                f"{gain:>8.2f}{r['violations']:>8}{r['peak_mib']:>10.0f}",
                flush=True,
            )


if __name__ == "__main__":
    main()
