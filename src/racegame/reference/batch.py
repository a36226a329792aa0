"""The reference rules over a batch: one replica at a time, joined back into batch arrays.

``RaceModel(engine="reference")`` (and ``racegame batch --engine reference``) resolves each
turn with this: every replica goes through ``reference_step`` alone, and the results are
stacked along the replica axis so the rest of the model (the agents, the records, the batch
files) sees the same shapes as from the vectorised engine. It is slow on purpose: it is the
plain statement of the rules, for checking and for benchmarks.
"""

from __future__ import annotations

from dataclasses import replace

import numpy as np

from ..engine.state import stack
from ..engine.step import TurnReport
from .turn import reference_step


def _replica_orders(orders, j: int):
    """Replica ``j`` of a batch's orders, as one-replica orders (copies)."""

    def pick(group):
        return replace(group, **{k: np.asarray(v)[j : j + 1].copy() for k, v in vars(group).items()})

    injects = None if orders.injects is None else np.asarray(orders.injects)[j : j + 1].copy()
    return replace(orders, labs=pick(orders.labs), govs=pick(orders.govs), grids=pick(orders.grids), injects=injects)


def reference_step_batch(state, orders, rules, rng):
    """``engine.step`` by the reference rules for any number of replicas: ``(state, report)``
    with the report a ``TurnReport`` whose fields have the leading replica axis."""
    results = [reference_step(state.subset([j]), _replica_orders(orders, j), rules, rng.subset([j]))
               for j in range(state.replicas)]
    new_state = stack([s for s, _ in results])
    report = TurnReport(results[0][1].turn)
    for name in vars(results[0][1]):
        if name != "turn":
            setattr(report, name, np.concatenate([np.asarray(getattr(rep, name)) for _, rep in results]))
    return new_state, report
