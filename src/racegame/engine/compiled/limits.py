"""The state's range check (``engine.limits.first_problem``) with its scan compiled: one
pass per array for both bounds instead of numpy's min and max; the offending value, if
any, is then found by the numpy check itself, so the answer is the same."""

from __future__ import annotations

from ..limits import bounds
from ..limits import first_problem as numpy_first_problem
from .jit import kernel


@kernel
def _within(values, lo, hi):
    """Whether every value lies in [lo, hi] (NaN does not)."""
    for i in range(values.size):
        x = values[i]
        if not (x >= lo and x <= hi):
            return False
    return True


def first_problem(state):
    for name, arr in state.arrays():
        if arr.dtype.kind == "b" or not arr.size:
            continue
        lo, hi = bounds(name, state)
        if not _within(arr.reshape(-1), float(lo), float(hi)):
            return numpy_first_problem(state)
    return None
