"""Local search for attribute-based problems (numba), without any n x n matrix.

The score of a person towards a group is computed from the group's attribute counts
(categorical label counts, ordinal level counts) plus a sparse list of pair weights
(wishes, history), so a move or swap is evaluated in O(attributes + levels + degree).
Every candidate is checked against the hard rules (sizes, cannot-links, level spread;
locked people never move), so the search never leaves the feasible region.

For each person the search looks at all groups (or a random sample of ``sample`` groups
when there are more) and takes the best improving one-move or swap. A pass that improves
nothing ends a round; the round's result is compared with the best one, the search
returns to the best and perturbs it with a few random feasible swaps.
"""

import numpy as np
from numba import njit

from engine.grouping._rng import randint

EPS = 1e-9


@njit(cache=True)
def pair_score(i, k, cat_codes, cat_w, cat_same, ord_rank, ord_val, ord_pen, p_ptr, p_idx, p_w):
    total = 0.0
    for c in range(cat_codes.shape[1]):
        equal = cat_codes[i, c] == cat_codes[k, c]
        if equal == cat_same[c]:
            total += cat_w[c]
    for o in range(ord_rank.shape[1]):
        ri = ord_rank[i, o]
        rk = ord_rank[k, o]
        if ri >= 0 and rk >= 0:
            total -= ord_pen[o] * abs(ord_val[o, ri] - ord_val[o, rk])
    for e in range(p_ptr[i], p_ptr[i + 1]):
        if p_idx[e] == k:
            total += p_w[e]
    return total


@njit(cache=True)
def gain(
    i,
    g,
    excl,
    assign,
    size,
    cat_codes,
    cat_w,
    cat_same,
    cat_cnt,
    ord_rank,
    ord_val,
    ord_pen,
    ord_cnt,
    p_ptr,
    p_idx,
    p_w,
):
    """Score of i towards the members of g, leaving out i itself and ``excl`` (-1: none)."""
    inside = 1 if assign[i] == g else 0
    out = 1 if excl >= 0 else 0
    s = size[g] - inside - out
    total = 0.0
    for c in range(cat_codes.shape[1]):
        v = cat_codes[i, c]
        cnt = cat_cnt[g, v] - inside
        if out == 1 and cat_codes[excl, c] == v:
            cnt -= 1
        if cat_same[c]:
            total += cat_w[c] * cnt
        else:
            total += cat_w[c] * (s - cnt)
    for o in range(ord_rank.shape[1]):
        r = ord_rank[i, o]
        if r < 0 or ord_pen[o] == 0.0:
            continue
        vi = ord_val[o, r]
        acc = 0.0
        for q in range(ord_val.shape[1]):
            cnt = ord_cnt[g, o, q]
            if cnt > 0:
                acc += cnt * abs(ord_val[o, q] - vi)
        if out == 1:
            re = ord_rank[excl, o]
            if re >= 0:
                acc -= abs(ord_val[o, re] - vi)
        total -= ord_pen[o] * acc
    for e in range(p_ptr[i], p_ptr[i + 1]):
        k = p_idx[e]
        if k != excl and assign[k] == g:
            total += p_w[e]
    return total


@njit(cache=True)
def allowed(i, g, excl, assign, c_ptr, c_idx, ord_rank, ord_val, ord_spread, ord_cnt):
    """May i join g (with ``excl`` leaving g at the same time) under cannot-links and
    maximum level spreads?"""
    for e in range(c_ptr[i], c_ptr[i + 1]):
        k = c_idx[e]
        if k != excl and assign[k] == g:
            return False
    for o in range(ord_rank.shape[1]):
        if ord_spread[o] < 0:
            continue
        r = ord_rank[i, o]
        if r < 0:
            continue
        rx = ord_rank[excl, o] if excl >= 0 else -1
        low = r
        high = r
        for q in range(ord_val.shape[1]):
            cnt = ord_cnt[g, o, q] - (1 if q == rx else 0)
            if cnt > 0:
                if q < low:
                    low = q
                if q > high:
                    high = q
        if ord_val[o, high] - ord_val[o, low] > ord_spread[o] + EPS:
            return False
    return True


@njit(cache=True)
def place(i, g, assign, size, members, mpos, cat_codes, cat_cnt, ord_rank, ord_cnt):
    assign[i] = g
    members[g, size[g]] = i
    mpos[i] = size[g]
    size[g] += 1
    for c in range(cat_codes.shape[1]):
        cat_cnt[g, cat_codes[i, c]] += 1
    for o in range(ord_rank.shape[1]):
        r = ord_rank[i, o]
        if r >= 0:
            ord_cnt[g, o, r] += 1


@njit(cache=True)
def unplace(i, assign, size, members, mpos, cat_codes, cat_cnt, ord_rank, ord_cnt):
    g = assign[i]
    last = members[g, size[g] - 1]
    members[g, mpos[i]] = last
    mpos[last] = mpos[i]
    size[g] -= 1
    assign[i] = -1
    for c in range(cat_codes.shape[1]):
        cat_cnt[g, cat_codes[i, c]] -= 1
    for o in range(ord_rank.shape[1]):
        r = ord_rank[i, o]
        if r >= 0:
            ord_cnt[g, o, r] -= 1


@njit(cache=True)
def rebuild(assign_src, assign, size, members, mpos, cat_codes, cat_cnt, ord_rank, ord_cnt):
    size[:] = 0
    cat_cnt[:, :] = 0
    ord_cnt[:, :, :] = 0
    for i in range(assign_src.shape[0]):
        place(i, assign_src[i], assign, size, members, mpos, cat_codes, cat_cnt, ord_rank, ord_cnt)


@njit(cache=True)
def objective(assign, m, cat_codes, cat_w, cat_same, ord_rank, ord_val, ord_pen, p_ptr, p_idx, p_w):
    """The objective from scratch, through per-group counts (O(n + m * levels^2))."""
    n = assign.shape[0]
    size = np.zeros(m, dtype=np.int64)
    for i in range(n):
        size[assign[i]] += 1
    total = 0.0
    ncat = cat_codes.shape[1]
    if ncat > 0:
        nvals = cat_codes.max() + 1
        cnt = np.zeros((m, nvals), dtype=np.int64)
        for i in range(n):
            for c in range(ncat):
                cnt[assign[i], cat_codes[i, c]] += 1
        # each value index belongs to one attribute; find it
        owner = np.zeros(nvals, dtype=np.int64)
        for i in range(n):
            for c in range(ncat):
                owner[cat_codes[i, c]] = c
        for g in range(m):
            pairs = size[g] * (size[g] - 1) / 2.0
            same_by_attr = np.zeros(ncat)
            for v in range(nvals):
                k = cnt[g, v]
                same_by_attr[owner[v]] += k * (k - 1) / 2.0
            for c in range(ncat):
                if cat_same[c]:
                    total += cat_w[c] * same_by_attr[c]
                else:
                    total += cat_w[c] * (pairs - same_by_attr[c])
    nord = ord_rank.shape[1]
    if nord > 0:
        nr = ord_val.shape[1]
        ocnt = np.zeros((m, nord, nr), dtype=np.int64)
        for i in range(n):
            for o in range(nord):
                if ord_rank[i, o] >= 0:
                    ocnt[assign[i], o, ord_rank[i, o]] += 1
        for g in range(m):
            for o in range(nord):
                acc = 0.0
                for q in range(nr):
                    for r in range(q + 1, nr):
                        acc += ocnt[g, o, q] * ocnt[g, o, r] * abs(ord_val[o, r] - ord_val[o, q])
                total -= ord_pen[o] * acc
    for i in range(n):
        for e in range(p_ptr[i], p_ptr[i + 1]):
            k = p_idx[e]
            if k > i and assign[k] == assign[i]:
                total += p_w[e]
    return total


@njit(cache=True)
def improve_person(
    i,
    sample,
    lo,
    hi,
    movable,
    assign,
    size,
    members,
    mpos,
    cat_codes,
    cat_w,
    cat_same,
    cat_cnt,
    ord_rank,
    ord_val,
    ord_pen,
    ord_spread,
    ord_cnt,
    p_ptr,
    p_idx,
    p_w,
    c_ptr,
    c_idx,
    rng,
    scratch,
):
    """Apply the best improving one-move or swap for person i; return the gain (0: none)."""
    m = size.shape[0]
    a = assign[i]
    own = gain(
        i,
        a,
        -1,
        assign,
        size,
        cat_codes,
        cat_w,
        cat_same,
        cat_cnt,
        ord_rank,
        ord_val,
        ord_pen,
        ord_cnt,
        p_ptr,
        p_idx,
        p_w,
    )
    if m <= sample:
        count = m
        for g in range(m):
            scratch[g] = g
    else:
        count = sample
        for t in range(sample):
            scratch[t] = randint(rng, m)
    best = EPS
    kind = 0
    target = -1
    for t in range(count):
        b = scratch[t]
        if b == a:
            continue
        to_b = gain(
            i,
            b,
            -1,
            assign,
            size,
            cat_codes,
            cat_w,
            cat_same,
            cat_cnt,
            ord_rank,
            ord_val,
            ord_pen,
            ord_cnt,
            p_ptr,
            p_idx,
            p_w,
        )
        if size[a] > lo[a] and size[b] < hi[b] and to_b - own > best:
            if allowed(i, b, -1, assign, c_ptr, c_idx, ord_rank, ord_val, ord_spread, ord_cnt):
                best = to_b - own
                kind = 1
                target = b
        for slot in range(size[b]):
            j = members[b, slot]
            if not movable[j]:
                continue
            pij = pair_score(
                i, j, cat_codes, cat_w, cat_same, ord_rank, ord_val, ord_pen, p_ptr, p_idx, p_w
            )
            # gain(i, b without j) = to_b - pij
            j_b = gain(
                j,
                b,
                -1,
                assign,
                size,
                cat_codes,
                cat_w,
                cat_same,
                cat_cnt,
                ord_rank,
                ord_val,
                ord_pen,
                ord_cnt,
                p_ptr,
                p_idx,
                p_w,
            )
            j_a = gain(
                j,
                a,
                i,
                assign,
                size,
                cat_codes,
                cat_w,
                cat_same,
                cat_cnt,
                ord_rank,
                ord_val,
                ord_pen,
                ord_cnt,
                p_ptr,
                p_idx,
                p_w,
            )
            d = (to_b - pij) - own + j_a - j_b
            if d > best:
                if allowed(
                    i, b, j, assign, c_ptr, c_idx, ord_rank, ord_val, ord_spread, ord_cnt
                ) and allowed(
                    j, a, i, assign, c_ptr, c_idx, ord_rank, ord_val, ord_spread, ord_cnt
                ):
                    best = d
                    kind = 2
                    target = j
    if kind == 0:
        return 0.0
    if kind == 1:
        unplace(i, assign, size, members, mpos, cat_codes, cat_cnt, ord_rank, ord_cnt)
        place(i, target, assign, size, members, mpos, cat_codes, cat_cnt, ord_rank, ord_cnt)
    else:
        b = assign[target]
        unplace(i, assign, size, members, mpos, cat_codes, cat_cnt, ord_rank, ord_cnt)
        unplace(target, assign, size, members, mpos, cat_codes, cat_cnt, ord_rank, ord_cnt)
        place(i, b, assign, size, members, mpos, cat_codes, cat_cnt, ord_rank, ord_cnt)
        place(target, a, assign, size, members, mpos, cat_codes, cat_cnt, ord_rank, ord_cnt)
    return best


@njit(cache=True)
def perturb(
    strength,
    movable,
    assign,
    size,
    members,
    mpos,
    cat_codes,
    cat_cnt,
    ord_rank,
    ord_val,
    ord_spread,
    ord_cnt,
    c_ptr,
    c_idx,
    rng,
):
    """Random feasible swaps between two people of different groups."""
    n = assign.shape[0]
    done = 0
    tries = 0
    while done < strength and tries < 20 * strength + 100:
        tries += 1
        i = randint(rng, n)
        j = randint(rng, n)
        a = assign[i]
        b = assign[j]
        if a == b or not movable[i] or not movable[j]:
            continue
        if not allowed(i, b, j, assign, c_ptr, c_idx, ord_rank, ord_val, ord_spread, ord_cnt):
            continue
        if not allowed(j, a, i, assign, c_ptr, c_idx, ord_rank, ord_val, ord_spread, ord_cnt):
            continue
        unplace(i, assign, size, members, mpos, cat_codes, cat_cnt, ord_rank, ord_cnt)
        unplace(j, assign, size, members, mpos, cat_codes, cat_cnt, ord_rank, ord_cnt)
        place(i, b, assign, size, members, mpos, cat_codes, cat_cnt, ord_rank, ord_cnt)
        place(j, a, assign, size, members, mpos, cat_codes, cat_cnt, ord_rank, ord_cnt)
        done += 1


# integer state: [position in the pass, improved in this pass, iterations]
_POS = 0
_IMPROVED = 1
_ITER = 2


@njit(cache=True)
def run_chunk(
    steps,
    sample,
    strength,
    lo,
    hi,
    movable,
    order,
    assign,
    size,
    members,
    mpos,
    best_assign,
    cat_codes,
    cat_w,
    cat_same,
    cat_cnt,
    ord_rank,
    ord_val,
    ord_pen,
    ord_spread,
    ord_cnt,
    p_ptr,
    p_idx,
    p_w,
    c_ptr,
    c_idx,
    rng,
    values,
    state,
    scratch,
):
    """``steps`` person visits. ``values`` = [current objective, best objective]."""
    n = order.shape[0]
    m = size.shape[0]
    if n == 0:
        return
    for _ in range(steps):
        if state[_POS] == 0:
            for t in range(n - 1, 0, -1):
                s = randint(rng, t + 1)
                tmp = order[t]
                order[t] = order[s]
                order[s] = tmp
        i = order[state[_POS]]
        d = 0.0
        if movable[i]:
            d = improve_person(
                i,
                sample,
                lo,
                hi,
                movable,
                assign,
                size,
                members,
                mpos,
                cat_codes,
                cat_w,
                cat_same,
                cat_cnt,
                ord_rank,
                ord_val,
                ord_pen,
                ord_spread,
                ord_cnt,
                p_ptr,
                p_idx,
                p_w,
                c_ptr,
                c_idx,
                rng,
                scratch,
            )
        if d > 0.0:
            values[0] += d
            if d > 1e-7 * (1.0 + abs(values[0])):
                state[_IMPROVED] = 1
        state[_ITER] += 1
        state[_POS] += 1
        if state[_POS] == n:
            state[_POS] = 0
            if state[_IMPROVED] == 0:
                # a local optimum: keep it if best, restart from the best, perturbed
                if values[0] > values[1] + EPS:
                    values[1] = values[0]
                    best_assign[:] = assign
                else:
                    rebuild(
                        best_assign,
                        assign,
                        size,
                        members,
                        mpos,
                        cat_codes,
                        cat_cnt,
                        ord_rank,
                        ord_cnt,
                    )
                    values[0] = values[1]
                if m > 1:
                    perturb(
                        strength,
                        movable,
                        assign,
                        size,
                        members,
                        mpos,
                        cat_codes,
                        cat_cnt,
                        ord_rank,
                        ord_val,
                        ord_spread,
                        ord_cnt,
                        c_ptr,
                        c_idx,
                        rng,
                    )
                    values[0] = objective(
                        assign,
                        m,
                        cat_codes,
                        cat_w,
                        cat_same,
                        ord_rank,
                        ord_val,
                        ord_pen,
                        p_ptr,
                        p_idx,
                        p_w,
                    )
            elif values[0] > values[1] + EPS:
                values[1] = values[0]
                best_assign[:] = assign
            state[_IMPROVED] = 0


@njit(cache=True)
def greedy(
    order,
    lock,
    lo,
    hi,
    assign,
    size,
    members,
    mpos,
    cat_codes,
    cat_cnt,
    ord_rank,
    ord_val,
    ord_spread,
    ord_cnt,
    c_ptr,
    c_idx,
    rng,
    target,
):
    """Place people one by one where the hard rules allow: locked people first, then each
    in a group that needs no wider level range, preferring groups below their minimum and
    then the smallest. Returns False when someone cannot be placed or a group stays too
    small."""
    n = order.shape[0]
    m = size.shape[0]
    for i in range(n):
        if lock[i] >= 0:
            g = lock[i]
            if size[g] >= hi[g]:
                return False
            place(i, g, assign, size, members, mpos, cat_codes, cat_cnt, ord_rank, ord_cnt)
    for t in range(n):
        i = order[t]
        if assign[i] >= 0:
            continue
        best_g = -1
        best_key = np.inf
        ties = 0
        for g in range(m):
            if size[g] >= hi[g]:
                continue
            if not allowed(i, g, -1, assign, c_ptr, c_idx, ord_rank, ord_val, ord_spread, ord_cnt):
                continue
            widening = 0.0
            for o in range(ord_rank.shape[1]):
                r = ord_rank[i, o]
                if ord_spread[o] < 0 or r < 0 or size[g] == 0:
                    continue
                low = r
                high = r
                old_low = ord_val.shape[1]
                old_high = -1
                for q in range(ord_val.shape[1]):
                    if ord_cnt[g, o, q] > 0:
                        if q < old_low:
                            old_low = q
                        if q > old_high:
                            old_high = q
                if old_high < 0:
                    continue
                low = min(low, old_low)
                high = max(high, old_high)
                widening += (ord_val[o, high] - ord_val[o, low]) - (
                    ord_val[o, old_high] - ord_val[o, old_low]
                )
            if target[0] >= 0:
                key = float(g) + (0.0 if size[g] < target[g] else 1e6)
            else:
                key = (1e6 if widening > 0 else 0.0) + widening * 1e3
                key += 0.0 if size[g] < lo[g] else 1e5
                key += size[g]
            if key < best_key - 1e-9:
                best_key = key
                best_g = g
                ties = 1
            elif key < best_key + 1e-9:
                ties += 1
                if randint(rng, ties) == 0:
                    best_g = g
        if best_g < 0:
            return False
        place(i, best_g, assign, size, members, mpos, cat_codes, cat_cnt, ord_rank, ord_cnt)
    for g in range(m):
        if size[g] < lo[g]:
            return False
    return True
