"""Runs a chunked numba search against a time limit, an iteration budget and a progress
callback. The chunk length adapts to the clock, but the search path depends only on the
seed and the number of iterations, so a run bounded by ``max_iterations`` is repeatable."""

from __future__ import annotations

import time
from collections.abc import Callable

from engine.grouping.model import Progress, ProgressCallback


def run_chunks(
    run: Callable[[int], None],
    best_value: Callable[[], float],
    *,
    started: float,
    time_limit: float,
    max_iterations: int | None,
    progress: ProgressCallback | None,
) -> int:
    """Call ``run(k)`` repeatedly (k iterations each) until a limit; return iterations done."""
    deadline = started + max(0.0, time_limit)
    done = 0
    chunk = 1
    last_reported = None
    while True:
        if max_iterations is not None:
            chunk = min(chunk, max_iterations - done)
            if chunk <= 0:
                break
        if time.perf_counter() >= deadline:
            break
        t0 = time.perf_counter()
        run(chunk)
        done += chunk
        now = time.perf_counter()
        if progress is not None:
            value = best_value()
            if value != last_reported:
                last_reported = value
                if progress(Progress(now - started, done, value)) is False:
                    break
        spent = now - t0
        remaining = deadline - now
        if spent < 0.02 and spent < remaining / 4:
            chunk *= 2
        elif spent > 0.1 and chunk > 1:
            chunk //= 2
    return done
