"""numpy's elementwise semantics for one element, for the kernels' scalar loops: one
definition of each, shared by every kernel module. All are compiled ``inline``: they sit in
the innermost loops, and a helper that takes arrays would otherwise pay for reference
counting on every call. Inlined, they compile with the calling kernel's options (``kernel``:
a division by zero gives inf or NaN, as in numpy).

Each says which numpy operation it reproduces, and where it does not to the bit. Sums follow
numpy's order of additions, not just its result to rounding: a difference of two sums (MW
still waiting, a grid's shortfall) would otherwise differ from the numpy phase's.
"""

from __future__ import annotations

import math

import numpy as np

from ..util import LN10
from .jit import inline

FLOAT_MAX = np.finfo(np.float64).max  # nan_to_num's stand-in for infinity


@inline
def maximum(a, b):
    """np.maximum for one pair: NaN on either side wins (``a``, if both are NaN). Of two
    equal values it returns ``a`` where np.maximum returns ``b``: they differ only on 0.0
    against -0.0, in the sign of a zero."""
    return a if a >= b or a != a else b


@inline
def minimum(a, b):
    """np.minimum for one pair: NaN on either side wins (``a``, if both are NaN). Of two
    equal values it returns ``a`` where np.minimum returns ``b`` (the sign of a zero)."""
    return a if a <= b or a != a else b


@inline
def clip(x, lo, hi):
    """np.clip for one value, to the bit: NaN stays NaN, and a value equal to a bound is
    returned itself (np.clip(-0.0, 0.0, 1.0) is -0.0)."""
    return minimum(maximum(x, lo), hi)


@inline
def nan_to_num(x, nan=0.0, posinf=FLOAT_MAX, neginf=-FLOAT_MAX):
    """np.nan_to_num(x, nan=nan, posinf=posinf, neginf=neginf) for one value."""
    if x != x:
        return nan
    if x == math.inf:
        return posinf
    if x == -math.inf:
        return neginf
    return x


@inline
def ratio(num, den, fill):
    """engine.util.ratio for one element: num / den, ``fill`` where den is 0 (or -0.0; a
    NaN den divides, giving NaN)."""
    return num / den if den != 0.0 else fill


@inline
def power(x, y):
    """x ** y as numpy raises an array to a scalar exponent (``a ** y``, ``np.power(a, y)``):
    exponent 2 squares, 0.5 takes the square root, 1 gives x, -1 the reciprocal, 0 gives 1
    (NaN too), and any other calls pow. The shortcuts are exact where pow may be a last bit
    off (for about one value in a thousand), and faster. A numpy scalar raised to a power
    calls pow for every exponent."""
    if y == 2.0:
        return x * x
    if y == 0.5:
        return math.sqrt(x)
    if y == 1.0:
        return x
    if y == -1.0:
        return 1.0 / x
    if y == 0.0:
        return 1.0
    return x ** y


@inline
def pow10(x):
    """engine.util.pow10 for one element: exp(x ln 10) (not 10 ** x, which rounds
    differently)."""
    return math.exp(x * LN10)


@inline
def beats(x, best):
    """Whether ``x`` takes over an np.argmax fold from ``best``: a larger value, or the
    first NaN (the first of equal values keeps its place, and nothing beats a NaN)."""
    return x > best or (x != x and best == best)


@inline
def interp(x, xp, fp):
    """np.interp(x, xp, fp) for one value and a non-decreasing ``xp`` of two points or more,
    in numpy's own steps: NaN stays NaN, the ends clamp, a point of ``xp`` (the last one
    found, if repeated) gives its ``fp`` exactly, and a NaN from an infinite slope is worked
    again from the right end."""
    n = xp.shape[0]
    if x != x:
        return x
    if x > xp[n - 1]:
        return fp[n - 1]
    if x < xp[0]:
        return fp[0]
    j = 0
    while j + 1 < n and x >= xp[j + 1]:
        j += 1
    if j == n - 1 or xp[j] == x:
        return fp[j]
    slope = (fp[j + 1] - fp[j]) / (xp[j + 1] - xp[j])
    out = slope * (x - xp[j]) + fp[j]
    if out != out:
        out = slope * (x - xp[j + 1]) + fp[j + 1]
        if out != out and fp[j] == fp[j + 1]:
            out = fp[j]
    return out


@inline
def pairwise_sum(x):
    """x.sum() for a 1-D array of up to 128 elements, as np.add.reduce adds it (numpy halves
    longer rows first): below eight in index order, otherwise eight accumulators, combined
    as a tree, then the tail in order; all added to the reduction's 0.0 (so that a sum of
    -0.0s is 0.0, as numpy's)."""
    n = x.shape[0]
    if n < 8:
        total = 0.0
        for i in range(n):
            total += x[i]
        return total
    a0, a1, a2, a3, a4, a5, a6, a7 = x[0], x[1], x[2], x[3], x[4], x[5], x[6], x[7]
    i = 8
    while i < n - n % 8:
        a0 += x[i]
        a1 += x[i + 1]
        a2 += x[i + 2]
        a3 += x[i + 3]
        a4 += x[i + 4]
        a5 += x[i + 5]
        a6 += x[i + 6]
        a7 += x[i + 7]
        i += 8
    total = ((a0 + a1) + (a2 + a3)) + ((a4 + a5) + (a6 + a7))
    while i < n:
        total += x[i]
        i += 1
    return 0.0 + total


@inline
def einsum_sum(x, i):
    """x[i].sum() as np.einsum reduces a contiguous row: two interleaved lanes (numpy's
    baseline SIMD width for float64), four steps at a time on long rows, lanes added last."""
    n = x.shape[1]
    lane0 = 0.0
    lane1 = 0.0
    k = 0
    while n - k >= 8:
        lane0 = ((x[i, k] + x[i, k + 2]) + (x[i, k + 4] + x[i, k + 6])) + lane0
        lane1 = ((x[i, k + 1] + x[i, k + 3]) + (x[i, k + 5] + x[i, k + 7])) + lane1
        k += 8
    while k < n:
        lane0 = x[i, k] + lane0
        if k + 1 < n:
            lane1 = x[i, k + 1] + lane1
        k += 2
    return lane0 + lane1


@inline
def einsum_dot(a, i, b, j):
    """(a[i] * b[j]).sum() as np.einsum reduces two contiguous rows: like ``einsum_sum``,
    but each lane takes its four steps one at a time, last first."""
    n = a.shape[1]
    lane0 = 0.0
    lane1 = 0.0
    k = 0
    while n - k >= 8:
        lane0 = a[i, k + 6] * b[j, k + 6] + lane0
        lane0 = a[i, k + 4] * b[j, k + 4] + lane0
        lane0 = a[i, k + 2] * b[j, k + 2] + lane0
        lane0 = a[i, k] * b[j, k] + lane0
        lane1 = a[i, k + 7] * b[j, k + 7] + lane1
        lane1 = a[i, k + 5] * b[j, k + 5] + lane1
        lane1 = a[i, k + 3] * b[j, k + 3] + lane1
        lane1 = a[i, k + 1] * b[j, k + 1] + lane1
        k += 8
    while k < n:
        lane0 = a[i, k] * b[j, k] + lane0
        if k + 1 < n:
            lane1 = a[i, k + 1] * b[j, k + 1] + lane1
        k += 2
    return lane0 + lane1
