"""A tiny xorshift generator whose whole state is one array, so that a search split into
chunks follows exactly the same path as one long run (determinism per seed and budget)."""

import numpy as np
from numba import njit

_MASK = np.uint64(0xFFFFFFFFFFFFFFFF)


def new_state(seed: int) -> np.ndarray:
    """Seed a generator; any integer seed is fine (0 included)."""
    mixed = (int(seed) * 0x9E3779B97F4A7C15 + 0x2545F4914F6CDD1D) & 0xFFFFFFFFFFFFFFFF
    return np.array([mixed or 1], dtype=np.uint64)


@njit(cache=True)
def next_u64(state):
    x = state[0]
    x ^= x << np.uint64(13)
    x ^= x >> np.uint64(7)
    x ^= x << np.uint64(17)
    state[0] = x
    return x


@njit(cache=True)
def randint(state, k):
    """Uniform integer in [0, k)."""
    return np.int64(next_u64(state) % np.uint64(k))


@njit(cache=True)
def random01(state):
    return (next_u64(state) >> np.uint64(11)) * (1.0 / 9007199254740992.0)
