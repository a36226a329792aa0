"""The state's range check (``engine.limits.first_problem``) with its scan compiled: one
pass per array for both bounds instead of numpy's min and max; the loop over arrays and the
search for the offending value are the numpy check's own, so the answer is the same."""

from __future__ import annotations

from functools import partial

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


def within(arr, lo, hi) -> bool:
    return _within(arr.reshape(-1), float(lo), float(hi))


first_problem = partial(numpy_first_problem, in_range=within)
