"""One worker against two on a large batch (wall time), through `racegame batch`.

Usage: python bench/bench_workers.py [--runs 20000] [--chunk 2500]
"""

import argparse
import subprocess
import sys
import tempfile
import time
from pathlib import Path


def run(runs, chunk, workers, out):
    start = time.perf_counter()
    subprocess.run([sys.executable, "-m", "racegame", "batch", "--runs", str(runs), "--seed", "1", "--turns", "24",
                    "--chunk", str(chunk), "--workers", str(workers), "--out", str(out)], check=True,
                   stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    return time.perf_counter() - start


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=20000)
    parser.add_argument("--chunk", type=int, default=2500)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        one = run(args.runs, args.chunk, 1, Path(tmp) / "one.csv")
        two = run(args.runs, args.chunk, 2, Path(tmp) / "two.csv")
        same = (Path(tmp) / "one.csv").read_bytes() == (Path(tmp) / "two.csv").read_bytes()
    print(f"{args.runs:,} games, chunks of {args.chunk:,}: 1 worker {one:.1f} s, 2 workers {two:.1f} s -> speed-up {one / two:.2f}x; identical results: {same}")


if __name__ == "__main__":
    main()
