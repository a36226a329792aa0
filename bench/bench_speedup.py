"""Speed-up against an earlier commit, measured in the same run on the same machine.

Usage: python bench/bench_speedup.py [--against REV] [--replicas 10000] [--turns 24] [--repeats 3] [--engine compiled]

Checks out REV (default: the commit before the speed work, bf5ca79) into a temporary git
worktree, then times the same AI-only batch (baseline level, seed 1) on both trees,
alternating them so that a busy moment of the machine costs both alike. Prints each tree's
best and median wall time, the speed-up, and whether the two produced the same games.
``--engine compiled`` plays this tree's games with the compiled engine (the earlier tree
always with its own engine); its games then agree to rounding, not bit for bit.
Timing both in one run matters: this machine's speed drifts by 10% or more between runs.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent

# Runs inside a fresh interpreter with PYTHONPATH set to one tree's src/.
PLAY = """
import hashlib, json, sys, time
import numpy as np
try:  # the earlier tree's module first: an editable install may expose this tree's analysis package to it
    from racegame.batch import play_chunk
except ImportError:
    from racegame.analysis.batch import play_chunk
from racegame.level.loader import load_level
level = load_level("baseline")
play_chunk(level, 1, 0, 50, {turns}{engine})  # warm up imports, caches and numba
start = time.perf_counter()
columns = play_chunk(level, 1, 0, {replicas}, {turns}{engine})
wall = time.perf_counter() - start
digest = hashlib.sha256()
for name in sorted(columns):
    digest.update(name.encode())
    digest.update(np.ascontiguousarray(np.asarray(columns[name]).astype(str)).tobytes())
print(json.dumps({{"wall": wall, "digest": digest.hexdigest()}}))
"""


def play(src: Path, replicas: int, turns: int, engine: str = "vectorised") -> dict:
    env = {**os.environ, "PYTHONPATH": str(src)}
    chosen = "" if engine == "vectorised" else f", engine={engine!r}"
    out = subprocess.run([sys.executable, "-c", PLAY.format(replicas=replicas, turns=turns, engine=chosen)], env=env,
                         capture_output=True, text=True, check=True)
    return json.loads(out.stdout.strip().splitlines()[-1])


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--against", default="bf5ca79", help="git revision to compare with (default: before the speed work)")
    parser.add_argument("--replicas", type=int, default=10000)
    parser.add_argument("--turns", type=int, default=24)
    parser.add_argument("--repeats", type=int, default=3)
    parser.add_argument("--engine", choices=("vectorised", "compiled"), default="vectorised", help="this tree's engine")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        old = Path(tmp) / "old"
        subprocess.run(["git", "-C", str(ROOT), "worktree", "add", "--detach", "-q", str(old), args.against], check=True)
        try:
            times = {"before": [], "now": []}
            digests = {}
            for _ in range(args.repeats):
                for name, tree in (("before", old), ("now", ROOT)):
                    result = play(tree / "src", args.replicas, args.turns, args.engine if name == "now" else "vectorised")
                    times[name].append(result["wall"])
                    digests[name] = result["digest"]
        finally:
            subprocess.run(["git", "-C", str(ROOT), "worktree", "remove", "--force", str(old)], check=False)
    print(f"{args.replicas:,} games x up to {args.turns} turns, AI-only baseline, seed 1, {args.repeats} runs each, alternating")
    for name in ("before", "now"):
        label = f"{name} ({args.against})" if name == "before" else f"now (this tree, {args.engine})"
        print(f"  {label:<22} best {min(times[name]):6.2f} s  median {statistics.median(times[name]):6.2f} s")
    print(f"  speed-up: {min(times['before']) / min(times['now']):.2f}x (best against best), "
          f"{statistics.median(times['before']) / statistics.median(times['now']):.2f}x (median against median)")
    print(f"  same games: {digests['before'] == digests['now']}")


if __name__ == "__main__":
    main()
