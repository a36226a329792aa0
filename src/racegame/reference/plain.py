"""Scalar helpers with the engine's edge-case behaviour (division by zero, NaN, overflow).

Python floats raise where numpy quietly returns inf or uses a fill value; these helpers
make the plain rules behave like the array rules at those edges, so the two engines agree
on odd inputs too, not just on ordinary ones.
"""

from __future__ import annotations

import math

BIG = 1.7976931348623157e308  # what numpy's nan_to_num puts in place of +inf
INF = math.inf


def ratio(num: float, den: float, fill: float = 0.0) -> float:
    """num / den, or ``fill`` where the denominator is zero (as ``engine.util.ratio``)."""
    return num / den if den != 0 else fill


def finite(x: float, nan: float = 0.0, posinf: float = BIG) -> float:
    """numpy's ``nan_to_num`` for one value."""
    if x != x:
        return nan
    if x == INF:
        return posinf
    if x == -INF:
        return -BIG
    return x


def clip(x: float, lo: float, hi: float) -> float:
    # The value goes first so NaN propagates, as with np.clip.
    return min(max(x, lo), hi)


def exp(x: float) -> float:
    """math.exp that overflows to inf instead of raising."""
    try:
        return math.exp(x)
    except OverflowError:
        return INF


def argmax(values) -> int:
    """Index of the first largest value (np.argmax's tie rule)."""
    best = 0
    for i in range(1, len(values)):
        if values[i] > values[best]:
            best = i
    return best


def pick_among(candidates: list[int], u: float) -> int:
    """One of ``candidates`` (lab indices, in order) drawn with ``u`` in [0, 1); -1 if none."""
    count = len(candidates)
    if count == 0:
        return -1
    return candidates[min(int(u * count), count - 1)]
