"""Forecast latency: 1,000 futures of 8 turns from a game in progress, the player's lab
playing its plan as the game would with the advisor on (redrafted each future turn); then
the same futures looked at to the end of the game (the futures screen's longest wait).

Usage: python bench/bench_forecast.py [--runs 1000] [--turns 8] [--engine vectorised|compiled]
"""

import argparse
import statistics
import time

from racegame import RaceModel, forecast
from racegame.advisor import AdvisedController, advisor_plan


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=1000)
    parser.add_argument("--turns", type=int, default=8)
    parser.add_argument("--engine", choices=("vectorised", "compiled"), default="vectorised")
    args = parser.parse_args()
    controller = AdvisedController(advisor=True)
    model = RaceModel(level="baseline", rng=3, player="keel", controller=controller, engine=args.engine)
    controller.plan = advisor_plan(model, model.player)
    for _ in range(3):
        model.step()
    forecast(model, runs=50, turns=2)  # warm up
    for turns in (args.turns, model.rules.horizon):
        times = []
        for _ in range(7):
            start = time.perf_counter()
            played = forecast(model, runs=args.runs, turns=turns).turns
            times.append(time.perf_counter() - start)
        print(f"{args.engine} engine, forecast of {args.runs:,} futures x {played} turns: median {statistics.median(times) * 1000:.0f} ms, "
              f"best {min(times) * 1000:.0f} ms, worst {max(times) * 1000:.0f} ms (7 runs)")


if __name__ == "__main__":
    main()
