"""Turns a ``GroupingProblem`` into the arrays the numba search works on."""

from __future__ import annotations

import math
from dataclasses import dataclass, field

import numpy as np

from engine.grouping.mdgplib import InputError
from engine.grouping.model import GroupingProblem


@dataclass
class Encoded:
    ids: list[str]
    m: int
    lo: np.ndarray
    hi: np.ndarray
    cat_codes: np.ndarray  # (n, C) global value index
    cat_w: np.ndarray
    cat_same: np.ndarray
    n_values: int
    ord_rank: np.ndarray  # (n, O), -1 = no value
    ord_val: np.ndarray  # (O, R) value of each rank, padded with the last value
    ord_pen: np.ndarray
    ord_spread: np.ndarray  # -1 = no maximum
    ord_names: list[str]
    p_ptr: np.ndarray
    p_idx: np.ndarray
    p_w: np.ndarray
    c_ptr: np.ndarray
    c_idx: np.ndarray
    cannot: dict[tuple[int, int], str]  # (i < j) -> reason
    lock: np.ndarray
    wishes: list[tuple[int, int]] = field(default_factory=list)

    @property
    def n(self) -> int:
        return len(self.ids)


def choose_group_count(n: int, low: int, high: int) -> int | None:
    """The number of groups whose average size is closest to the middle of the range."""
    if high < 1 or low > high:
        return None
    fewest = max(1, math.ceil(n / high))
    most = n // low if low > 0 else n
    if fewest > most:
        return None
    target = round(n / ((low + high) / 2)) if low + high > 0 else fewest
    return min(max(target, fewest), most)


def group_bounds(problem: GroupingProblem, n: int) -> list[tuple[int, int]] | None:
    """Per-group bounds, or None when a single size range cannot split n people at all."""
    if problem.group_bounds is not None:
        if problem.group_size is not None or problem.group_count is not None:
            raise InputError("give either group_bounds or group_size/group_count, not both")
        return [(int(a), int(b)) for a, b in problem.group_bounds]
    if problem.group_size is None:
        raise InputError("group sizes are missing: give group_size or group_bounds")
    low, high = (int(v) for v in problem.group_size)
    if problem.group_count is not None:
        return [(low, high)] * int(problem.group_count)
    m = choose_group_count(n, low, high)
    if m is None:
        return None
    return [(low, high)] * m


def _csr(n: int, pairs: dict[tuple[int, int], float]):
    rows: list[list[tuple[int, float]]] = [[] for _ in range(n)]
    for (i, j), w in pairs.items():
        rows[i].append((j, w))
        rows[j].append((i, w))
    ptr = np.zeros(n + 1, dtype=np.int64)
    for i in range(n):
        ptr[i + 1] = ptr[i] + len(rows[i])
    idx = np.empty(ptr[-1], dtype=np.int64)
    w = np.empty(ptr[-1], dtype=np.float64)
    for i in range(n):
        row = sorted(rows[i])
        idx[ptr[i] : ptr[i + 1]] = [k for k, _ in row]
        w[ptr[i] : ptr[i + 1]] = [x for _, x in row]
    return ptr, idx, w


def encode(problem: GroupingProblem, bounds: list[tuple[int, int]]) -> Encoded:
    ids = [str(p.id) for p in problem.people]
    index = {pid: k for k, pid in enumerate(ids)}
    if len(index) != len(ids):
        seen: set[str] = set()
        dup = next(pid for pid in ids if pid in seen or seen.add(pid))
        raise InputError(f"person id {dup!r} occurs more than once")
    n = len(ids)

    def person(pid, where: str) -> int:
        k = index.get(str(pid))
        if k is None:
            raise InputError(f"{where} names unknown person {pid!r}")
        return k

    names = [a.name for a in problem.categorical] + [a.name for a in problem.ordinal]
    if len(set(names)) != len(names):
        raise InputError("an attribute name is used more than once")

    cat_codes = np.zeros((n, len(problem.categorical)), dtype=np.int64)
    offset = 0
    for c, attr in enumerate(problem.categorical):
        if attr.prefer not in ("different", "same"):
            raise InputError(f"attribute {attr.name!r}: prefer must be 'different' or 'same'")
        codes: dict[str, int] = {}
        for k, p in enumerate(problem.people):
            value = p.attributes.get(attr.name)
            label = "" if value is None else str(value)
            cat_codes[k, c] = offset + codes.setdefault(label, len(codes))
        offset += len(codes)
    cat_w = np.array([float(a.weight) for a in problem.categorical], dtype=np.float64)
    cat_same = np.array([a.prefer == "same" for a in problem.categorical], dtype=np.bool_)
    if problem.pair_cost:
        # a label everyone shares, rewarded when "same" with a negative weight: a cost per pair
        cat_codes = np.hstack([cat_codes, np.full((n, 1), offset, dtype=np.int64)])
        offset += 1
        cat_w = np.append(cat_w, -float(problem.pair_cost))
        cat_same = np.append(cat_same, True)

    n_ord = len(problem.ordinal)
    ord_rank = -np.ones((n, n_ord), dtype=np.int64)
    distinct: list[list[float]] = []
    for o, attr in enumerate(problem.ordinal):
        values = []
        for p in problem.people:
            value = p.attributes.get(attr.name)
            if value is None or value == "":
                values.append(None)
                continue
            try:
                number = float(value)
            except (TypeError, ValueError):
                raise InputError(
                    f"person {p.id!r}: attribute {attr.name!r} must be a number, got {value!r}"
                ) from None
            if not math.isfinite(number):
                raise InputError(f"person {p.id!r}: attribute {attr.name!r} is not finite")
            values.append(number)
        levels = sorted({v for v in values if v is not None})
        rank = {v: r for r, v in enumerate(levels)}
        for k, v in enumerate(values):
            if v is not None:
                ord_rank[k, o] = rank[v]
        distinct.append(levels)
    width = max([len(d) for d in distinct] + [1])
    ord_val = np.zeros((n_ord, width), dtype=np.float64)
    for o, levels in enumerate(distinct):
        padded = levels + [levels[-1] if levels else 0.0] * (width - len(levels))
        ord_val[o, :] = padded
    ord_pen = np.array([float(a.penalty_per_step) for a in problem.ordinal], dtype=np.float64)
    ord_spread = np.array(
        [-1.0 if a.max_spread is None else float(a.max_spread) for a in problem.ordinal],
        dtype=np.float64,
    )
    if np.any((ord_spread < 0) & (ord_spread != -1.0)):
        raise InputError("a maximum level difference cannot be negative")

    pair_w: dict[tuple[int, int], float] = {}
    wishes = []
    for wish in problem.wishes:
        i, j = person(wish.person, "a wish"), person(wish.other, "a wish")
        if i == j:
            continue
        key = (min(i, j), max(i, j))
        pair_w[key] = pair_w.get(key, 0.0) + float(problem.wish_bonus) * float(wish.weight)
        wishes.append((i, j))
    for past in problem.history:
        i, j = person(past.a, "history"), person(past.b, "history")
        if i == j:
            continue
        key = (min(i, j), max(i, j))
        pair_w[key] = pair_w.get(key, 0.0) - float(problem.history_penalty) * int(past.times)
    pair_w = {k: v for k, v in pair_w.items() if v != 0.0}
    p_ptr, p_idx, p_w = _csr(n, pair_w)

    cannot: dict[tuple[int, int], str] = {}
    for p in problem.people:
        if p.manager is not None and str(p.manager) in index:
            i, j = index[str(p.id)], index[str(p.manager)]
            if i != j:
                cannot.setdefault((min(i, j), max(i, j)), "manager")
    for link in problem.cannot_link:
        i, j = person(link.a, "a cannot-link rule"), person(link.b, "a cannot-link rule")
        if i == j:
            raise InputError(f"a cannot-link rule pairs {link.a!r} with themself")
        cannot.setdefault((min(i, j), max(i, j)), link.reason)
    c_ptr, c_idx, _ = _csr(n, {k: 1.0 for k in cannot})

    m = len(bounds)
    lock = -np.ones(n, dtype=np.int64)
    for pid, g in problem.locks.items():
        k = person(pid, "a lock")
        try:
            lock[k] = int(g)
        except (TypeError, ValueError):
            raise InputError(f"the lock of {pid!r} must be a group number") from None

    return Encoded(
        ids=ids,
        m=m,
        lo=np.array([b[0] for b in bounds], dtype=np.int64),
        hi=np.array([b[1] for b in bounds], dtype=np.int64),
        cat_codes=cat_codes,
        cat_w=cat_w,
        cat_same=cat_same,
        n_values=offset,
        ord_rank=ord_rank,
        ord_val=ord_val,
        ord_pen=ord_pen,
        ord_spread=ord_spread,
        ord_names=[a.name for a in problem.ordinal],
        p_ptr=p_ptr,
        p_idx=p_idx,
        p_w=p_w,
        c_ptr=c_ptr,
        c_idx=c_idx,
        cannot=cannot,
        lock=lock,
        wishes=wishes,
    )


def pair_matrices(enc: Encoded) -> tuple[np.ndarray, np.ndarray]:
    """Dense score and forbidden-pair matrices; only for small inputs (exact search)."""
    n = enc.n
    scores = np.zeros((n, n))
    forbid = np.zeros((n, n), dtype=bool)
    for i in range(n):
        for k in range(i + 1, n):
            s = 0.0
            for c in range(enc.cat_codes.shape[1]):
                if (enc.cat_codes[i, c] == enc.cat_codes[k, c]) == enc.cat_same[c]:
                    s += enc.cat_w[c]
            for o in range(enc.ord_rank.shape[1]):
                ri, rk = enc.ord_rank[i, o], enc.ord_rank[k, o]
                if ri >= 0 and rk >= 0:
                    diff = abs(enc.ord_val[o, ri] - enc.ord_val[o, rk])
                    s -= enc.ord_pen[o] * diff
                    if enc.ord_spread[o] >= 0 and diff > enc.ord_spread[o] + 1e-9:
                        forbid[i, k] = forbid[k, i] = True
            scores[i, k] = scores[k, i] = s
        for e in range(enc.p_ptr[i], enc.p_ptr[i + 1]):
            scores[i, enc.p_idx[e]] += enc.p_w[e]
    for i, k in enc.cannot:
        forbid[i, k] = forbid[k, i] = True
    return scores, forbid
