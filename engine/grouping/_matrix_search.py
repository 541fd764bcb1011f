"""Iterated local search for the matrix form of the MDGP (numba).

The search keeps ``gain[i, g]`` = sum of scores of item i to the members of group g, so a
one-move (i to g) or a swap (i <-> j) is evaluated in O(1) and applied in O(n). A descent
uses both neighbourhoods; around it an iterated-maxima-style loop applies weak
perturbations (a few random swaps/moves) followed by the descent, walks on while the new
local optimum stays within ``walk`` (a fraction) of the phase's best and returns to that
best otherwise, and applies a strong perturbation after ``patience`` fruitless rounds.
All state lives in arrays, so the run can be cut into chunks without changing its path.
"""

import numpy as np
from numba import njit

from engine.grouping._rng import randint, random01

EPS = 1e-9

# indices into the integer state vector
_NO_IMPROVE = 0
_ITERATIONS = 1


@njit(cache=True)
def build_gain(scores, assign, m):
    n = assign.shape[0]
    gain = np.zeros((n, m))
    for i in range(n):
        for k in range(n):
            gain[i, assign[k]] += scores[i, k]
    return gain


@njit(cache=True)
def objective(scores, assign):
    n = assign.shape[0]
    total = 0.0
    for i in range(n):
        for k in range(i + 1, n):
            if assign[i] == assign[k]:
                total += scores[i, k]
    return total


@njit(cache=True)
def _move(scores, gain, assign, size, i, b):
    a = assign[i]
    n = assign.shape[0]
    for k in range(n):
        s = scores[k, i]
        gain[k, a] -= s
        gain[k, b] += s
    assign[i] = b
    size[a] -= 1
    size[b] += 1


@njit(cache=True)
def _collect(g, assign, listed, count, inlist):
    """Append the members of group g to ``listed`` (once each); return the new length."""
    for k in range(assign.shape[0]):
        if assign[k] == g and not inlist[k]:
            inlist[k] = True
            listed[count] = k
            count += 1
    return count


@njit(cache=True)
def descent(scores, gain, assign, size, lo, hi, movable, rng, dirty):
    """First-improvement descent over one-moves and swaps; returns the objective change.

    Only moves that touch a ``dirty`` group (changed since the last local optimum) can
    have become improving, so a person in a clean group is only paired with the people
    of dirty groups (kept in a list: a move dirties both of its groups, and whoever
    moves joins the list). All groups are clean on return.
    """
    n = assign.shape[0]
    m = size.shape[0]
    listed = np.empty(n, dtype=np.int64)
    inlist = np.zeros(n, dtype=np.bool_)
    count = 0
    for g in range(m):
        if dirty[g]:
            count = _collect(g, assign, listed, count, inlist)
    total = 0.0
    unchanged = 0
    i = randint(rng, n)
    while unchanged < n:
        if not movable[i]:
            unchanged += 1
            i = i + 1 if i + 1 < n else 0
            continue
        a = assign[i]
        own_dirty = dirty[a]
        gia = gain[i, a]
        best = EPS
        kind = 0
        target = -1
        if size[a] > lo[a]:
            for b in range(m):
                if b != a and size[b] < hi[b] and (own_dirty or dirty[b]):
                    d = gain[i, b] - gia
                    if d > best:
                        best = d
                        kind = 1
                        target = b
        if own_dirty:
            for j in range(n):
                b = assign[j]
                if b != a and movable[j]:
                    d = gain[i, b] - gia + gain[j, a] - gain[j, b] - 2.0 * scores[i, j]
                    if d > best:
                        best = d
                        kind = 2
                        target = j
        else:
            for t in range(count):
                j = listed[t]
                b = assign[j]
                if movable[j]:
                    d = gain[i, b] - gia + gain[j, a] - gain[j, b] - 2.0 * scores[i, j]
                    if d > best:
                        best = d
                        kind = 2
                        target = j
        if kind == 0:
            unchanged += 1
        else:
            b = target if kind == 1 else assign[target]
            _move(scores, gain, assign, size, i, b)
            if kind == 2:
                _move(scores, gain, assign, size, target, a)
            for g in (a, b):
                if not dirty[g]:
                    dirty[g] = True
                    count = _collect(g, assign, listed, count, inlist)
            for x in (i, target):
                if x >= 0 and (kind == 2 or x == i) and not inlist[x]:
                    inlist[x] = True
                    listed[count] = x
                    count += 1
            total += best
            unchanged = 0
        i = i + 1 if i + 1 < n else 0
    dirty[:] = False
    return total


@njit(cache=True)
def perturb(scores, gain, assign, size, lo, hi, movable, rng, strength, dirty):
    """Apply ``strength`` random feasible swaps or one-moves; returns the objective change."""
    n = assign.shape[0]
    m = size.shape[0]
    total = 0.0
    done = 0
    tries = 0
    while done < strength and tries < 50 * strength + 100:
        tries += 1
        i = randint(rng, n)
        if not movable[i]:
            continue
        a = assign[i]
        if random01(rng) < 0.3 and size[a] > lo[a]:
            b = randint(rng, m)
            if b != a and size[b] < hi[b]:
                total += gain[i, b] - gain[i, a]
                _move(scores, gain, assign, size, i, b)
                dirty[a] = True
                dirty[b] = True
                done += 1
            continue
        j = randint(rng, n)
        b = assign[j]
        if b == a or not movable[j]:
            continue
        total += gain[i, b] - gain[i, a] + gain[j, a] - gain[j, b] - 2.0 * scores[i, j]
        _move(scores, gain, assign, size, i, b)
        _move(scores, gain, assign, size, j, a)
        dirty[a] = True
        dirty[b] = True
        done += 1
    return total


@njit(cache=True)
def run_chunk(
    scores,
    lo,
    hi,
    movable,
    cur_assign,
    cur_size,
    cur_gain,
    phase_assign,
    phase_size,
    phase_gain,
    best_assign,
    values,
    counters,
    rng,
    iterations,
    weak_min,
    weak_max,
    patience,
    strong,
    dirty,
    walk,
):
    """Run ``iterations`` rounds. ``values`` = [current, phase best, overall best]."""
    for _ in range(iterations):
        strength = weak_min + randint(rng, weak_max - weak_min + 1)
        values[0] += perturb(
            scores, cur_gain, cur_assign, cur_size, lo, hi, movable, rng, strength, dirty
        )
        values[0] += descent(scores, cur_gain, cur_assign, cur_size, lo, hi, movable, rng, dirty)
        counters[_ITERATIONS] += 1
        if values[0] > values[1] + EPS:
            values[1] = values[0]
            phase_assign[:] = cur_assign
            phase_size[:] = cur_size
            phase_gain[:, :] = cur_gain
            counters[_NO_IMPROVE] = 0
            if values[0] > values[2] + EPS:
                values[2] = values[0]
                best_assign[:] = cur_assign
        else:
            counters[_NO_IMPROVE] += 1
        if counters[_NO_IMPROVE] > 0 and values[0] < values[1] - walk * abs(values[1]):
            cur_assign[:] = phase_assign
            cur_size[:] = phase_size
            cur_gain[:, :] = phase_gain
            values[0] = values[1]
        if counters[_NO_IMPROVE] >= patience:
            values[0] += perturb(
                scores, cur_gain, cur_assign, cur_size, lo, hi, movable, rng, strong, dirty
            )
            values[0] += descent(
                scores, cur_gain, cur_assign, cur_size, lo, hi, movable, rng, dirty
            )
            values[1] = values[0]
            phase_assign[:] = cur_assign
            phase_size[:] = cur_size
            phase_gain[:, :] = cur_gain
            counters[_NO_IMPROVE] = 0
