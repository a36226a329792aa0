"""Forecast latency: 1,000 futures of 8 turns from a game in progress, the player's lab
playing its plan as the game would with the advisor on (redrafted each future turn); then
the same futures looked at to the end of the game (the futures screen's longest wait).

Each look-ahead is timed in this process (``--workers 1``) and in the worker processes the
window uses (``--workers``, by default one per core, at most four), alternating, so both
meet the machine in the same state. The worker pool is started and warmed first (the
window starts it with the first forecast the player asks for).

Usage: python bench/bench_forecast.py [--runs 1000] [--turns 8] [--engine vectorised|compiled]
                                      [--workers N] [--repeats 7]
"""

import argparse
import statistics
import time

from racegame import RaceModel, forecast, forecast_workers
from racegame.advisor import AdvisedController, advisor_plan


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=1000)
    parser.add_argument("--turns", type=int, default=8)
    parser.add_argument("--engine", choices=("vectorised", "compiled"), default="vectorised")
    parser.add_argument("--workers", type=int, default=forecast_workers.default_count())
    parser.add_argument("--repeats", type=int, default=7)
    args = parser.parse_args()
    controller = AdvisedController(advisor=True)
    model = RaceModel(level="baseline", rng=3, player="keel", controller=controller, engine=args.engine)
    controller.plan = advisor_plan(model, model.player)
    for _ in range(3):
        model.step()
    forecast_workers.start(args.engine, args.workers, wait_ready=True)
    forecast(model, runs=50, turns=2)  # warm up, here and in the workers
    forecast(model, runs=200, turns=2, workers=args.workers)
    counts = sorted({1, args.workers})
    for turns in (args.turns, model.rules.horizon):
        times = {n: [] for n in counts}
        results = {}
        for _ in range(args.repeats):
            for n in counts:
                start = time.perf_counter()
                results[n] = forecast(model, runs=args.runs, turns=turns, workers=n)
                times[n].append(time.perf_counter() - start)
        for n in counts:
            where = "this process" if n == 1 else f"{n} worker processes"
            print(f"{args.engine} engine, forecast of {args.runs:,} futures x {results[n].turns} turns in {where}: "
                  f"median {statistics.median(times[n]) * 1000:.0f} ms, best {min(times[n]) * 1000:.0f} ms, "
                  f"worst {max(times[n]) * 1000:.0f} ms ({args.repeats} runs)")
        if len(counts) > 1:
            print(f"  same forecast either way: {results[counts[0]] == results[counts[-1]]}")


if __name__ == "__main__":
    main()
