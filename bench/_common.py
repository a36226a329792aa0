"""Shared helpers for the benchmark scripts: timing the engine inside a batch."""

from __future__ import annotations

import time

import racegame.model as model_module
from racegame.analysis.batch import play_chunk


class EngineClock:
    """Splits a batch's time into the engine's turn resolution, AI decisions, and the rest."""

    def __init__(self):
        self.engine = self.decide = 0.0
        self.replica_turns = 0

    def __enter__(self):
        self._step, self._decide = model_module.RaceModel._step, model_module.RaceModel.decide
        clock = self

        def step(model, state, *args):
            start = time.perf_counter()
            out = clock._step(model, state, *args)
            clock.engine += time.perf_counter() - start
            clock.replica_turns += state.replicas
            return out

        def decide(model):
            start = time.perf_counter()
            out = clock._decide(model)
            clock.decide += time.perf_counter() - start
            return out

        model_module.RaceModel._step, model_module.RaceModel.decide = step, decide
        return self

    def __exit__(self, *exc):
        model_module.RaceModel._step, model_module.RaceModel.decide = self._step, self._decide


def timed_batch(level, replicas: int, turns: int = 24, seed: int = 1, chunk: int = 10000):
    """Play ``replicas`` games in chunks; returns (wall seconds, EngineClock)."""
    with EngineClock() as clock:
        start = time.perf_counter()
        for first in range(0, replicas, chunk):
            play_chunk(level, seed, first, min(chunk, replicas - first), turns)
        wall = time.perf_counter() - start
    return wall, clock
