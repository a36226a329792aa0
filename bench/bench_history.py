"""What ``--history`` costs: the same batch with and without the per-lab, per-turn history.

Usage: python bench/bench_history.py [--runs 2000] [--workers 1]

Runs ``racegame batch`` three ways on the baseline (seed 1): summary only, with a Parquet
history, and with a CSV history, and prints each wall time, the history's extra time
against the simulation's own, and the history file's size per game.
"""

from __future__ import annotations

import argparse
import subprocess
import sys
import tempfile
import time
from pathlib import Path


def batch(tmp: Path, runs: int, workers: int, history: str | None) -> tuple[float, int]:
    out = tmp / f"games-{history or 'none'}.parquet"
    command = [sys.executable, "-m", "racegame", "batch", "--level", "baseline", "--runs", str(runs), "--seed", "1",
               "--out", str(out), "--workers", str(workers)]
    hist = tmp / f"history.{history}" if history else None
    if hist:
        command += ["--history", str(hist)]
    start = time.perf_counter()
    subprocess.run(command, check=True, capture_output=True)
    return time.perf_counter() - start, hist.stat().st_size if hist else 0


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=2000)
    parser.add_argument("--workers", type=int, default=1)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        tmp = Path(tmp)
        batch(tmp, 50, 1, None)  # warm up the file system cache and imports
        base, _ = batch(tmp, args.runs, args.workers, None)
        print(f"{args.runs:,} games, {args.workers} worker(s), baseline, seed 1 (wall time includes start-up)")
        print(f"  summary only:       {base:6.2f} s")
        for kind in ("parquet", "csv"):
            wall, size = batch(tmp, args.runs, args.workers, kind)
            extra = wall - base
            print(f"  with {kind + ' history:':<14}{wall:6.2f} s  history costs {extra:+6.2f} s "
                  f"= {extra / base:5.0%} of the simulation; {size / args.runs / 1024:5.1f} KB a game")


if __name__ == "__main__":
    main()
