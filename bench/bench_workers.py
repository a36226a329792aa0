"""One worker against two on a large batch (wall time), and the local pool against Dask.

Usage: python bench/bench_workers.py [--runs 20000] [--chunk 2500] [--no-dask]

Plays the same games (one sweep cell of the baseline, seed 1, 24 turns at most) with one
local worker, two local workers, and, if Dask is installed, a Dask LocalCluster of two
workers, and checks all three wrote the same rows. Wall times include each run's start-up.
"""

import argparse
import importlib.util
import subprocess
import sys
import tempfile
import time
from pathlib import Path


def run(runs, chunk, workers, out, dask=False):
    command = [sys.executable, "-m", "racegame", "sweep", "--runs", str(runs), "--seed", "1", "--turns", "24",
               "--chunk", str(chunk), "--workers", str(workers), "--set", "governments.us.enforcement=0.9",
               "--out", str(out)]
    if dask:
        command += ["--scheduler", "local"]
    start = time.perf_counter()
    subprocess.run(command, check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    return time.perf_counter() - start


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=20000)
    parser.add_argument("--chunk", type=int, default=2500)
    parser.add_argument("--no-dask", action="store_true", help="skip the Dask run")
    args = parser.parse_args()
    dask = not args.no_dask and importlib.util.find_spec("dask") is not None
    with tempfile.TemporaryDirectory() as tmp:
        tmp = Path(tmp)
        one = run(args.runs, args.chunk, 1, tmp / "one.csv")
        two = run(args.runs, args.chunk, 2, tmp / "two.csv")
        same = (tmp / "one.csv").read_bytes() == (tmp / "two.csv").read_bytes()
        print(f"{args.runs:,} games, chunks of {args.chunk:,}: 1 worker {one:.1f} s, 2 workers {two:.1f} s "
              f"-> speed-up {one / two:.2f}x; identical results: {same}")
        if dask:
            on_dask = run(args.runs, args.chunk, 2, tmp / "dask.csv", dask=True)
            same = (tmp / "one.csv").read_bytes() == (tmp / "dask.csv").read_bytes()
            print(f"Dask LocalCluster, 2 workers: {on_dask:.1f} s ({on_dask / two:.2f}x the local pool's time); "
                  f"identical results: {same}")


if __name__ == "__main__":
    main()
