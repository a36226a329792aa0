"""The compiled engine against the vectorised one, in the same run, on the same games.

Usage: python bench/bench_compiled.py [--replicas 10000] [--turns 24] [--repeats 3]

Plays the AI-only baseline (seed 1) with each engine in turn, alternating, and prints for
each its best wall time, its engine and AI time, the time of every swappable phase, the
speed-ups, and whether both engines ended every game alike (summary columns to 1e-9).
numba compiles (or loads from its cache) before the timing starts.
"""

from __future__ import annotations

import argparse
import sys
import time
from collections import Counter
from dataclasses import fields, replace
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent))
from _common import EngineClock  # noqa: E402

import racegame.model as model_module  # noqa: E402
from racegame.analysis.batch import columns_to_end  # noqa: E402
from racegame.engine import compiled  # noqa: E402
from racegame.level.loader import load_level  # noqa: E402


def timed_phases(phases, spent: Counter):
    """``phases`` with every field timed into ``spent``."""

    def timer(name, fn):
        def run(*args):
            start = time.perf_counter()
            out = fn(*args)
            spent[name] += time.perf_counter() - start
            return out

        return run

    return replace(phases, **{f.name: timer(f.name, getattr(phases, f.name)) for f in fields(phases)})


def play(level, engine: str, replicas: int, turns: int):
    spent = Counter()
    with EngineClock() as clock:
        start = time.perf_counter()
        model = model_module.RaceModel(level=level, rng=1, replicas=replicas, turns=turns, engine=engine)
        model.datacollector.collect = lambda _model: None
        model.kit = replace(model.kit, phases=timed_phases(model.kit.phases, spent))
        columns = columns_to_end(model)
        wall = time.perf_counter() - start
    return wall, clock, spent, columns


def same_games(a: dict, b: dict) -> bool:
    for name in a:
        x, y = np.asarray(a[name]), np.asarray(b[name])
        if x.dtype.kind == "f":
            if not np.allclose(x, y, rtol=1e-9, atol=0.0, equal_nan=True):
                return False
        elif not np.array_equal(x, y):
            return False
    return True


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--replicas", type=int, default=10000)
    parser.add_argument("--turns", type=int, default=24)
    parser.add_argument("--repeats", type=int, default=3)
    args = parser.parse_args()
    if not compiled.available():
        sys.exit(compiled.INSTALL_HINT)
    level = load_level("baseline")
    for engine in ("vectorised", "compiled"):
        play(level, engine, 50, args.turns)  # imports, caches and numba's compilation
    runs = {"vectorised": [], "compiled": []}
    for _ in range(args.repeats):
        for engine in runs:
            runs[engine].append(play(level, engine, args.replicas, args.turns))
    best = {engine: min(results, key=lambda r: r[0]) for engine, results in runs.items()}
    print(f"{args.replicas:,} games x up to {args.turns} turns, AI-only baseline, seed 1, best of {args.repeats}, alternating")
    print(f"{'':12} {'wall s':>8} {'engine s':>9} {'AI s':>7} {'engine rt/s':>12}")
    for engine, (wall, clock, _, _) in best.items():
        print(f"{engine:12} {wall:8.2f} {clock.engine:9.2f} {clock.decide:7.2f} {clock.replica_turns / clock.engine:12,.0f}")
    (vw, vc, vs, vcols), (cw, cc, cs, ccols) = best["vectorised"], best["compiled"]
    print(f"speed-up: {vw / cw:.2f}x wall, {vc.engine / cc.engine:.2f}x engine, {vc.decide / cc.decide:.2f}x AI")
    print(f"{'phase':18} {'vectorised s':>13} {'compiled s':>11} {'speed-up':>9}")
    for name in sorted(vs, key=vs.get, reverse=True):
        kernel = "" if name in compiled.KERNELS else "  (numpy in both)"
        print(f"{name:18} {vs[name]:13.3f} {cs[name]:11.3f} {vs[name] / max(cs[name], 1e-9):8.2f}x{kernel}")
    print(f"same games: {same_games(vcols, ccols)}")


if __name__ == "__main__":
    main()
