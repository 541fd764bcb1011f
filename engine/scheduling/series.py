"""Cheapest series of meeting dates for one group, by dynamic programming over days.

Used by the pre-checks (does any series fit at all?) and by the greedy start solution.
"""

from __future__ import annotations

import numpy as np
from numpy.lib.stride_tricks import sliding_window_view


def cheapest_series(
    day_cost: np.ndarray, count: int, min_gap: int, max_gap: int | None
) -> list[int] | None:
    """Day offsets of `count` meetings with gaps in [min_gap, max_gap] and least total cost.

    day_cost[d] is the cost of meeting on day offset d, np.inf where the day is unusable.
    Returns None when no series fits.
    """
    n_days = len(day_cost)
    if n_days == 0:
        return None
    max_gap = n_days if max_gap is None else min(max_gap, n_days)
    width = max_gap - min_gap + 1
    if count > 1 and width < 1:
        return None
    total = day_cost.astype(float)
    back: list[np.ndarray] = []
    rows = np.arange(n_days)
    for _ in range(count - 1):
        # best[d] = min(total[d'] for d' in [d - max_gap, d - min_gap])
        padded = np.concatenate([np.full(max_gap, np.inf), total])
        windows = sliding_window_view(padded, width)[:n_days]
        arg = windows.argmin(axis=1)
        best = windows[rows, arg]
        back.append(rows - max_gap + arg)
        total = day_cost + best
    end = int(total.argmin())
    if not np.isfinite(total[end]):
        return None
    days = [end]
    for prev in reversed(back):
        days.append(int(prev[days[-1]]))
    return days[::-1]


def max_spaced_count(day_offsets: list[int], min_gap: int) -> int:
    """How many meetings at least min_gap days apart fit on these (sorted) days."""
    count = 0
    last = None
    for day in day_offsets:
        if last is None or day - last >= min_gap:
            count += 1
            last = day
    return count
