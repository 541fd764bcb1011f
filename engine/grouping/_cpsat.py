"""A definitive check of the hard rules with OR-Tools CP-SAT.

Every relaxable rule (each cannot-link pair, each lock, each maximum level spread) gets
an assumption literal; when the model is infeasible the solver names a subset of those
rules that together cannot hold, which becomes the explanation.
"""

from __future__ import annotations

import numpy as np
from ortools.sat.python import cp_model

from engine.grouping.feasibility import apart_reason
from engine.grouping.model import Explanation

MAX_VARIABLES = 250_000


def fits(enc) -> bool:
    return enc.n * enc.m <= MAX_VARIABLES


def check(enc, time_limit: float, seed: int) -> tuple[str, np.ndarray | None, list[Explanation]]:
    """Returns ("feasible", assignment, []), ("infeasible", None, explanation) or
    ("unknown", None, [])."""
    n, m = enc.n, enc.m
    model = cp_model.CpModel()
    x = [[model.NewBoolVar(f"x{i}_{g}") for g in range(m)] for i in range(n)]
    for i in range(n):
        model.AddExactlyOne(x[i])
    for g in range(m):
        model.AddLinearConstraint(sum(x[i][g] for i in range(n)), int(enc.lo[g]), int(enc.hi[g]))
    meaning: dict[int, Explanation] = {}
    assumptions = []
    for i, j in enc.cannot:
        lit = model.NewBoolVar(f"apart{i}_{j}")
        for g in range(m):
            model.AddBoolOr([x[i][g].Not(), x[j][g].Not()]).OnlyEnforceIf(lit)
        assumptions.append(lit)
        meaning[lit.Index()] = Explanation(
            "cannot_link", "apart", {"reason": apart_reason(enc, i, j)}, (enc.ids[i], enc.ids[j])
        )
    for i in np.flatnonzero(enc.lock >= 0):
        g = int(enc.lock[i])
        lit = model.NewBoolVar(f"lock{i}")
        model.AddImplication(lit, x[i][g])
        assumptions.append(lit)
        meaning[lit.Index()] = Explanation("lock", "locked", {}, (enc.ids[i],), group=g)
    for o in range(enc.ord_rank.shape[1]):
        spread = float(enc.ord_spread[o])
        if spread < 0:
            continue
        ranks = enc.ord_rank[:, o]
        known = np.flatnonzero(ranks >= 0)
        if known.size == 0:
            continue
        # scale to integers: levels are compared against a group's lowest allowed level
        values = enc.ord_val[o, ranks[known]]
        scale = 1000
        ints = np.rint(values * scale).astype(np.int64)
        width = int(round(spread * scale))
        lit = model.NewBoolVar(f"spread{o}")
        for g in range(m):
            low = model.NewIntVar(int(ints.min()), int(ints.max()), f"low{o}_{g}")
            for i, v in zip(known.tolist(), ints.tolist(), strict=True):
                model.Add(low <= v).OnlyEnforceIf([x[i][g], lit])
                model.Add(low >= v - width).OnlyEnforceIf([x[i][g], lit])
        assumptions.append(lit)
        meaning[lit.Index()] = Explanation(
            "level_spread",
            "level_spread_limit",
            {"attribute": enc.ord_names[o], "maximum": spread},
        )
    model.AddAssumptions(assumptions)
    solver = cp_model.CpSolver()
    solver.parameters.max_time_in_seconds = max(0.5, time_limit)
    solver.parameters.num_workers = 1
    solver.parameters.random_seed = int(seed) % (2**31)
    status = solver.Solve(model)
    if status in (cp_model.OPTIMAL, cp_model.FEASIBLE):
        assign = np.array(
            [next(g for g in range(m) if solver.BooleanValue(x[i][g])) for i in range(n)],
            dtype=np.int64,
        )
        return "feasible", assign, []
    if status == cp_model.INFEASIBLE:
        core = solver.SufficientAssumptionsForInfeasibility()
        reasons = [meaning[k] for k in core if k in meaning]
        if not reasons:
            reasons = [Explanation("size_bounds", "sizes_unmet")]
        elif len(reasons) > 1:
            reasons.insert(
                0,
                Explanation(
                    "combination",
                    "combination",
                    {"count": len(reasons)},
                    tuple(dict.fromkeys(p for r in reasons for p in r.people)),
                ),
            )
        return "infeasible", None, reasons
    return "unknown", None, []
