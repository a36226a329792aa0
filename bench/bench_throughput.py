"""Ensemble throughput: replica-turns per second for R = 1 to 100,000 replicas.

Usage: python bench/bench_throughput.py [--max 100000] [--turns 24]
Prints, per R: wall time, engine time (turn resolution only), AI time, and throughput.
Games that end early stop costing (finished games leave the arrays), so replica-turns
counts the turns actually played.
"""

import argparse
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from _common import timed_batch  # noqa: E402

from racegame.level.loader import load_level  # noqa: E402


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--max", type=int, default=100000)
    parser.add_argument("--turns", type=int, default=24)
    args = parser.parse_args()
    level = load_level("baseline")
    timed_batch(level, 50, args.turns)  # warm up imports and caches
    print(f"{'replicas':>9} {'wall s':>8} {'engine s':>9} {'AI s':>7} {'replica-turns':>14} {'engine rt/s':>12} {'overall rt/s':>13}")
    for replicas in (1, 10, 100, 1000, 10000, 100000):
        if replicas > args.max:
            break
        wall, clock = timed_batch(level, replicas, args.turns)
        print(f"{replicas:>9,} {wall:>8.2f} {clock.engine:>9.2f} {clock.decide:>7.2f} {clock.replica_turns:>14,} "
              f"{clock.replica_turns / clock.engine:>12,.0f} {clock.replica_turns / wall:>13,.0f}")


if __name__ == "__main__":
    main()
