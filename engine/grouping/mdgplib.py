"""Reader for the MDGPLIB text format (Gallego, Laguna, Martí, Duarte).

Line 1: ``n m ss|ds a_1 b_1 ... a_m b_m``; then one ``i j d_ij`` line per pair i < j.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np

from engine.grouping.model import MatrixProblem


class InputError(ValueError):
    """Input that cannot be read; the message is one line for a person to act on."""


def parse_mdgplib(text: str) -> MatrixProblem:
    lines = text.split("\n", 1)
    header = lines[0].split()
    if len(header) < 3:
        raise InputError("MDGPLIB header must be 'n m ss|ds a_1 b_1 ... a_m b_m'")
    try:
        n, m = int(header[0]), int(header[1])
        bound_values = [int(v) for v in header[3:]]
    except ValueError as exc:
        raise InputError(f"MDGPLIB header has a value that is not an integer: {exc}") from None
    if n < 1 or m < 1:
        raise InputError(f"MDGPLIB header needs n >= 1 and m >= 1, got n={n} m={m}")
    if len(bound_values) != 2 * m:
        raise InputError(
            f"MDGPLIB header announces {m} groups but holds {len(bound_values)} bound values "
            f"instead of {2 * m}"
        )
    bounds = [(bound_values[2 * g], bound_values[2 * g + 1]) for g in range(m)]
    body = lines[1] if len(lines) > 1 else ""
    try:
        values = np.array(body.split(), dtype=np.float64)
    except ValueError:
        raise InputError("MDGPLIB pair lines must be 'i j d_ij' numbers") from None
    if values.size % 3 != 0:
        raise InputError("MDGPLIB pair lines must each hold three numbers 'i j d_ij'")
    triples = values.reshape(-1, 3)
    expected = n * (n - 1) // 2
    if triples.shape[0] != expected:
        raise InputError(
            f"MDGPLIB file for n={n} must list {expected} pairs, found {triples.shape[0]}"
        )
    rows = triples[:, 0].astype(np.int64)
    cols = triples[:, 1].astype(np.int64)
    if (
        np.any(rows != triples[:, 0])
        or np.any(cols != triples[:, 1])
        or rows.min(initial=0) < 0
        or cols.min(initial=0) < 0
        or rows.max(initial=0) >= n
        or cols.max(initial=0) >= n
        or np.any(rows == cols)
    ):
        raise InputError(f"MDGPLIB pair indices must be distinct integers in 0..{n - 1}")
    scores = np.zeros((n, n))
    scores[rows, cols] = triples[:, 2]
    scores[cols, rows] = triples[:, 2]
    seen = np.zeros((n, n), dtype=bool)
    seen[np.minimum(rows, cols), np.maximum(rows, cols)] = True
    if int(seen.sum()) != expected:
        raise InputError("MDGPLIB file lists some pair more than once")
    return MatrixProblem(scores=scores, bounds=bounds)


def read_mdgplib(path: str | Path) -> MatrixProblem:
    try:
        text = Path(path).read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise InputError(f"cannot read {path}: {exc}") from None
    return parse_mdgplib(text)
