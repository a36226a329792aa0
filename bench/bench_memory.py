"""Peak memory of a batch: each size in a fresh process, peak resident set size.

Usage: python bench/bench_memory.py [--sizes 1000,10000]
"""

import argparse
import subprocess
import sys

CODE = """
import resource, sys
from racegame.analysis.batch import play_chunk
from racegame.level.loader import load_level
level = load_level("baseline")
before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
play_chunk(level, 1, 0, int(sys.argv[1]), 24)
print(before, resource.getrusage(resource.RUSAGE_SELF).ru_maxrss)
"""


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--sizes", default="1000,10000")
    args = parser.parse_args()
    print(f"{'replicas':>9} {'peak RSS MB':>12} {'before play MB':>15}")
    for size in [int(x) for x in args.sizes.split(",")]:
        out = subprocess.run([sys.executable, "-c", CODE, str(size)], capture_output=True, text=True, check=True)
        before, peak = (int(x) for x in out.stdout.split())
        print(f"{size:>9,} {peak / 1024:>12.0f} {before / 1024:>15.0f}")


if __name__ == "__main__":
    main()
