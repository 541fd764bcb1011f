"""MDGPLIB benchmark for engine.grouping, with anti-clustering side by side.

Per instance and seed: our objective, the gap to the best-known value, and the gap
normalised against a random feasible partition ((best - ours) / (best - random)), so
that Geo's small raw gaps are put in perspective. The PyPI package anti-clustering
(exchange and tabu-search methods) runs on the same instances for the same time and is
reported as a ratio of its objective to ours. One run, one process, printed as tables.

    python bench/grouping_mdgplib.py --sizes 120 --seeds 2 --families RanReal
    python bench/grouping_mdgplib.py --sizes 240 --numbers 1 2 --seeds 1 --no-anticlustering

Literature time limits: 3 s (n=120), 20 s (n=240), 120 s (n=480); ``--time-scale``
shortens them for a quick look. The full sweep (5 seeds, all sizes) takes about 2 hours.
"""

from __future__ import annotations

import argparse
import random
import statistics
import sys
import time
from collections import defaultdict
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from engine.grouping import evaluate, read_mdgplib, solve, violations  # noqa: E402
from engine.grouping._matrix import random_assignment  # noqa: E402

DATA = Path(__file__).resolve().parents[2] / "shared" / "bench" / "mdgplib"
TIME_LIMITS = {120: 3.0, 240: 20.0, 480: 120.0, 960: 600.0}
TARGETS = {120: 0.2, 240: 0.3, 480: 0.5}


def best_known(data: Path) -> dict[str, float]:
    rows = (data / "best-known.tsv").read_text().splitlines()[1:]
    return {r.split("\t")[0]: float(r.split("\t")[1]) for r in rows}


def random_partition_value(problem, samples: int = 20) -> float:
    lo = np.array([b[0] for b in problem.bounds])
    hi = np.array([b[1] for b in problem.bounds])
    n = problem.scores.shape[0]
    gen = np.random.default_rng(12345)
    values = []
    for _ in range(samples):
        assign = random_assignment(lo, hi, n, gen)
        groups = [list(np.flatnonzero(assign == g)) for g in range(lo.size)]
        values.append(evaluate(problem, groups))
    return float(np.mean(values))


def fits_bounds(sizes: list[int], bounds: list[tuple[int, int]]) -> bool:
    """Can groups of these sizes be matched to the size slots? (greedy interval matching)"""
    free = sorted(bounds, key=lambda b: (b[1], b[0]))
    for size in sorted(sizes):
        slot = next((b for b in free if b[0] <= size <= b[1]), None)
        if slot is None:
            return False
        free.remove(slot)
    return True


def anticlustering(method: str, problem, seconds: float, seed: int):
    """Best of repeated single-restart runs within the time (the first always completes);
    returns (objective, feasible for the per-group bounds, seconds used)."""
    from anti_clustering import (
        ExchangeHeuristicAntiClustering,
        TabuSearchHeuristicAntiClustering,
    )

    scores = problem.scores
    m = len(problem.bounds)
    started = time.perf_counter()
    best = None
    run = 0
    while best is None or time.perf_counter() - started < seconds:
        if method == "exchange":
            solver = ExchangeHeuristicAntiClustering(random_seed=seed * 1000 + run, restarts=1)
        else:
            solver = TabuSearchHeuristicAntiClustering(random_seed=seed * 1000 + run, restarts=1)
        together = solver._solve(scores, m)  # its core, on our matrix (run() wants pandas)
        labels = -np.ones(len(scores), dtype=int)
        groups = []
        for i in range(len(scores)):
            if labels[i] < 0:
                members = np.flatnonzero(together[i]) if together[i].any() else np.array([])
                members = sorted(set(members.tolist()) | {i})
                labels[members] = len(groups)
                groups.append(members)
        value = evaluate(problem, groups)
        feasible = fits_bounds([len(g) for g in groups], list(problem.bounds))
        if best is None or value > best[0]:
            best = (value, feasible)
        run += 1
    return best[0], best[1], time.perf_counter() - started


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", type=Path, default=DATA)
    parser.add_argument("--sizes", type=int, nargs="+", default=[120, 240, 480])
    parser.add_argument("--families", nargs="+", default=["RanReal", "RanInt", "Geo"])
    parser.add_argument("--kinds", nargs="+", default=["ss", "ds"])
    parser.add_argument("--numbers", type=int, nargs="+", help="instance numbers, e.g. 1 2")
    parser.add_argument("--seeds", type=int, default=5)
    parser.add_argument("--time-scale", type=float, default=1.0)
    parser.add_argument("--no-anticlustering", action="store_true")
    args = parser.parse_args()

    known = best_known(args.data)
    warm_up = sorted(args.data.glob("*_n030_ds_01.txt"))[:1]
    for path in warm_up:  # load the compiled search before the clock matters
        solve(read_mdgplib(path), time_limit=60, seed=0, max_iterations=50)
    rows = []
    anti: dict[str, list] = defaultdict(list)
    print(
        f"{'instance':<22}{'seed':>5}{'objective':>14}{'best-known':>14}{'gap%':>8}"
        f"{'norm%':>8}{'iters':>9}{'s':>7}",
        flush=True,
    )
    for n in args.sizes:
        for family in args.families:
            for kind in args.kinds:
                files = sorted(args.data.glob(f"{family}_n{n:03d}_{kind}_*.txt"))
                if args.numbers:
                    files = [f for f in files if int(f.stem.rsplit("_", 1)[1]) in args.numbers]
                for path in files:
                    name = path.stem
                    problem = read_mdgplib(path)
                    limit = TIME_LIMITS.get(n, 3.0) * args.time_scale
                    base = random_partition_value(problem)
                    best = known[name]
                    ours = []
                    for seed in range(args.seeds):
                        result = solve(problem, time_limit=limit, seed=seed)
                        assert not violations(problem, result.groups), name
                        gap = 100 * (best - result.objective) / best
                        norm = 100 * (best - result.objective) / (best - base)
                        ours.append(result.objective)
                        rows.append((n, family, kind, gap, norm))
                        print(
                            f"{name:<22}{seed:>5}{result.objective:>14.3f}{best:>14.3f}"
                            f"{gap:>8.3f}{norm:>8.3f}{result.iterations:>9}"
                            f"{result.elapsed_s:>7.2f}",
                            flush=True,
                        )
                    if not args.no_anticlustering:
                        mean_ours = statistics.mean(ours)
                        for method in ("exchange", "tabu"):
                            value, feasible, used = anticlustering(method, problem, limit, 0)
                            anti[method].append((n, family, kind, value / mean_ours, feasible))
                            print(
                                f"  anti-clustering {method:<8} objective {value:.3f} "
                                f"= {value / mean_ours:.4f} x ours, sizes "
                                f"{'fit' if feasible else 'BREAK'} the bounds, {used:.1f} s",
                                flush=True,
                            )

    print("\nSummary (gap to best-known, %; norm = gap / (best-known - random partition))")
    print(
        f"{'n':>5} {'family':<8}{'kind':<5}{'runs':>5}{'avg gap':>9}{'max gap':>9}"
        f"{'avg norm':>10}{'exch/ours':>11}{'tabu/ours':>11}{'exch fit':>9}"
    )
    groups: dict[tuple, list] = defaultdict(list)
    for n, family, kind, gap, norm in rows:
        groups[(n, family, kind)].append((gap, norm))
    for key, values in groups.items():
        gaps = [v[0] for v in values]
        norms = [v[1] for v in values]
        ratio = {}
        for method in ("exchange", "tabu"):
            hits = [a for a in anti[method] if a[:3] == key]
            ratio[method] = f"{statistics.mean(a[3] for a in hits):.4f}" if hits else "-"
        fit = [a[4] for a in anti["exchange"] if a[:3] == key]
        print(
            f"{key[0]:>5} {key[1]:<8}{key[2]:<5}{len(gaps):>5}{statistics.mean(gaps):>9.3f}"
            f"{max(gaps):>9.3f}{statistics.mean(norms):>10.3f}{ratio['exchange']:>11}"
            f"{ratio['tabu']:>11}{(f'{sum(fit)}/{len(fit)}' if fit else '-'):>9}"
        )
    print()
    for n in args.sizes:
        gaps = [r[3] for r in rows if r[0] == n]
        if gaps:
            target = TARGETS.get(n)
            print(
                f"n={n}: average gap {statistics.mean(gaps):.3f}% over {len(gaps)} runs"
                + (f" (target <= {target}%)" if target else "")
            )


if __name__ == "__main__":
    random.seed(0)
    main()
