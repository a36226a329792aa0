"""The run's random source with its mixing compiled: the same counter-based draws as
``engine.rng.RaceRandom`` (integer arithmetic, so bit for bit), without numpy's temporaries."""

from __future__ import annotations

import numpy as np

from ..rng import _GOLDEN, _M1, _M2, _TO_UNIT, RaceRandom
from .jit import kernel


@kernel
def _mix64(x, m1, m2):
    x = (x ^ (x >> np.uint64(30))) * m1
    x = (x ^ (x >> np.uint64(27))) * m2
    return x ^ (x >> np.uint64(31))


@kernel
def _uniform(keys, head, count, golden, m1, m2, to_unit, out):
    """out[r, i]: draw i of replica r, as ``RaceRandom._draw`` makes it."""
    for r in range(keys.shape[0]):
        base = _mix64(keys[r] ^ head, m1, m2)
        for i in range(count):
            bits = _mix64(base + np.uint64(i + 1) * golden, m1, m2)
            out[r, i] = np.float64(bits >> np.uint64(11)) * to_unit


class CompiledRandom(RaceRandom):
    """``RaceRandom`` whose draws are made by a kernel: the same numbers."""

    def _draw(self, head: np.uint64, count: int) -> np.ndarray:
        out = np.empty((len(self.replicas), count))
        _uniform(self._keys, head, count, _GOLDEN, _M1, _M2, _TO_UNIT, out)
        return out
