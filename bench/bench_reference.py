"""The vectorised engine against the reference engine on the same games, in one run.

Usage: python bench/bench_reference.py [--games 40]
Both engines resolve the same recorded turns (AI orders recorded once, from the same seeds):
the reference one replica at a time, the vectorised engine all replicas at once.
"""

import argparse
import time

import numpy as np

from racegame import RaceModel
from racegame.engine import step
from racegame.engine.orders import GovOrders, GridOrders, LabOrders, Orders
from racegame.level.loader import load_level
from racegame.reference.game import ReferenceGame
from racegame.reference.orders import plain_orders


def record(level, seed, games):
    """Per game: the list of (pre-turn state, orders) for every turn it played."""
    model = RaceModel(level=level, rng=seed, replicas=games)
    turns = []
    while model.running:
        view, orders = model.decide()
        turns.append((model.state, orders))
        model.resolve(orders)
    return model, turns


def one_replica(orders, k):
    def pick(obj, cls):
        return cls(**{name: value[k:k + 1] for name, value in vars(obj).items()})

    return Orders(pick(orders.labs, LabOrders), pick(orders.govs, GovOrders), pick(orders.grids, GridOrders))


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--games", type=int, default=40)
    args = parser.parse_args()
    level = load_level("baseline")
    model, turns = record(level, 1, args.games)

    start = time.perf_counter()
    for state, orders in turns:
        step(state, orders, model.rules, model.draws)
    vectorised = time.perf_counter() - start
    replica_turns = sum(int((~state.ended).sum()) for state, _ in turns)

    plain = [[plain_orders(one_replica(orders, k)) for k in range(args.games)] for _, orders in turns]
    start = time.perf_counter()
    played = 0
    for k in range(args.games):
        game = ReferenceGame(level, seed=1, replica=k)
        for t in range(len(turns)):
            if not game.running:
                break
            game.play(plain[t][k])
            played += 1
    reference = time.perf_counter() - start

    v_rate, r_rate = replica_turns / vectorised, played / reference
    print(f"games: {args.games}; turns: {len(turns)}; replica-turns: vectorised {replica_turns:,}, reference {played:,}")
    print(f"vectorised engine: {vectorised:.3f} s -> {v_rate:,.0f} replica-turns/s (all {args.games} replicas at once)")
    print(f"reference engine:  {reference:.3f} s -> {r_rate:,.0f} replica-turns/s (one replica at a time)")
    print(f"ratio: {v_rate / r_rate:.0f}x")
    for R in (1000, 10000):
        big = RaceModel(level=level, rng=1, replicas=R)
        for _ in range(6):
            big.step()
        _, orders = big.decide()
        times = []
        for _ in range(3):
            start = time.perf_counter()
            step(big.state, orders, big.rules, big.draws)
            times.append(time.perf_counter() - start)
        rate = R / min(times)
        print(f"vectorised engine at R={R:,}: {min(times) * 1000:.1f} ms a turn -> {rate:,.0f} replica-turns/s = {rate / r_rate:.0f}x the reference")


if __name__ == "__main__":
    main()
