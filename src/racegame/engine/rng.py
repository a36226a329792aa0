"""The run's random source: a counter-based generator keyed by (seed, replica, turn, stream).

Why not one ``numpy.random.Generator`` stepped along the game: replica k of a batch must
be the same game as replica k played alone, whatever the batch size, chunking or number of
workers, and a saved game must resume with the very draws the unbroken game would have
made. A counter-based generator gives all three for free: every draw is a pure function of
its coordinates, so nothing but the seed needs saving and no Python loop over replicas is
needed (JAX's and Philox's keys work the same way). The mixing function is SplitMix64
(Steele, Lea & Flood 2014), whose output passes BigCrush.
"""

from __future__ import annotations

import functools
import math

import numpy as np

_GOLDEN = np.uint64(0x9E3779B97F4A7C15)
_M1 = np.uint64(0xBF58476D1CE4E5B9)
_M2 = np.uint64(0x94D049BB133111EB)
_S30, _S27, _S31, _S11 = (np.uint64(s) for s in (30, 27, 31, 11))
_TO_UNIT = 1.0 / 9007199254740992.0  # 2**-53

# Streams: each kind of draw has its own stream number, so adding a new kind of draw
# never shifts the others. Never renumber these: saved seeds would replay differently.
STREAMS = {
    "events": 1,
    "training": 2,
    "incident": 3,
    "fundraise": 4,
    "founder": 5,
    "agi": 6,
    "token": 7,
    "policy": 8,
    "ai": 9,
    "state_backing": 10,
    "partner": 11,
    "smuggling": 12,
    "mega": 13,
    "intel": 14,
    "timeline": 15,
    "passage": 16,
    "espionage": 17,
    "treaty": 18,
    "diplomacy": 19,
    "agi_tie": 20,
    "breakthrough": 21,
    "chip_arrival": 22,
    "checkpoint": 23,
}


def mix64(x: np.ndarray) -> np.ndarray:
    """SplitMix64's finaliser, applied elementwise to uint64 values (wrapping arithmetic)."""
    x = (x ^ (x >> _S30)) * _M1
    x = (x ^ (x >> _S27)) * _M2
    return x ^ (x >> _S31)


def seed_key(seed: int) -> np.uint64:
    """Fold any non-negative integer seed into a 64-bit key."""
    if not isinstance(seed, (int, np.integer)) or isinstance(seed, bool) or seed < 0:
        raise ValueError(f"seed must be a non-negative integer, got {seed!r}")
    key = np.uint64(0)
    value = int(seed)
    # Fold 64 bits at a time so that seeds beyond 2**64 still matter.
    while True:
        with np.errstate(over="ignore"):
            key = mix64(np.array([key ^ np.uint64(value & 0xFFFFFFFFFFFFFFFF)]) + _GOLDEN)[0]
        value >>= 64
        if value == 0:
            return key


@functools.lru_cache(maxsize=4096)
def _head(turn: int, stream: int) -> np.uint64:
    """The mixed key of a (turn, stream) pair: the same for every replica and every call (a
    forecast asks for it some 17 times a turn, so it is kept)."""
    return mix64(np.array([np.uint64((turn << 8) | stream)]))[0]


class RaceRandom:
    """Uniform draws for a set of replicas of one seeded run.

    ``replicas`` are the global replica numbers this object draws for (``[k]`` replays
    replica k alone). ``uniform(turn, stream, shape)`` returns an array of shape
    ``(len(replicas), *shape)`` in [0, 1) that depends only on the seed, the replica
    number, the turn, the stream and the position within ``shape``.
    """

    def __init__(self, seed: int, replicas):
        self.seed = int(seed)
        self.replicas = np.asarray(replicas, dtype=np.uint64).reshape(-1)
        with np.errstate(over="ignore"):
            self._keys = mix64(self.replicas * _GOLDEN + seed_key(self.seed))

    def __len__(self):
        return len(self.replicas)

    def uniform(self, turn: int, stream: str, shape=()) -> np.ndarray:
        shape = tuple(int(n) for n in np.atleast_1d(shape)) if shape != () else ()
        count = math.prod(shape)
        return self._draw(_head(int(turn), STREAMS[stream]), count).reshape((len(self.replicas),) + shape)

    def _draw(self, head: np.uint64, count: int) -> np.ndarray:
        """(replicas, count) uniforms for the mixed (turn, stream) key ``head``."""
        with np.errstate(over="ignore"):
            base = mix64(self._keys ^ head)
            positions = np.arange(1, count + 1, dtype=np.uint64) * _GOLDEN
            bits = mix64(base[:, None] + positions[None, :])
        return (bits >> _S11).astype(np.float64) * _TO_UNIT

    def subset(self, index) -> "RaceRandom":
        """The same run restricted to some of this object's replicas."""
        return type(self)(self.seed, self.replicas[index])
