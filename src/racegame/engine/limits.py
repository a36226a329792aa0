"""Where every number of a game may be: one table for what a turn may produce and a save may hold.

The table has two jobs. A save is checked against it on load: a value outside is a damaged
file. And the model checks the state against it after every turn: a value outside (or NaN,
or an infinity) means the level's numbers drove the simulation past what its arithmetic is
built for, and the game is refused there, with the array, lab, replica and turn named,
rather than carrying NaN into charts, saves and batch files. The level format's ranges
(``level/schema.py``) are chosen so that a valid level stays inside: the tests play levels
set to the edges of those ranges.

A new state array needs an entry here (a test fails otherwise); true/false arrays need none.
"""

from __future__ import annotations

from dataclasses import fields

import numpy as np

from .state import State

# Integer arrays that index something: (lowest, highest) from the state's own shapes.
INDEX_RANGES = {
    "country": lambda s: (0, s.export_tier.shape[1] - 1),
    "archetype": lambda s: (0, 5),
    "dc_ring_grid": lambda s: (0, s.capacity.shape[1] - 1),
    "onsite_ring_grid": lambda s: (0, s.capacity.shape[1] - 1),
    "lobby_goal": lambda s: (0, 5),
    "binding": lambda s: (0, 6),
    "export_tier": lambda s: (0, 3),
    "outcome": lambda s: (0, 3),
    "parent": lambda s: (-1, s.alive.shape[1] - 1),
    "winner": lambda s: (-1, s.alive.shape[1] - 1),
    "agi_lab": lambda s: (-1, s.alive.shape[1] - 1),
    "ppa_ring_grid": lambda s: (0, s.capacity.shape[1] - 1),
    "milestone": lambda s: (0, s.milestone_req.shape[1]),
    "failed_milestone": lambda s: (-1, s.milestone_req.shape[1] - 1),
    "security": lambda s: (1, 5),
    "treaty": lambda s: (0, 2),
    "pause_notice_by": lambda s: (-1, s.export_tier.shape[1] - 1),
}

# Every other number where the game can put it. Money and counts may grow far past today's
# figures in a long game (the ends leave room for that, and for arithmetic on them), but a
# dollar figure beyond 1e21 is a broken game, not a rich lab.
BIG = 1e21
VALUE_RANGES = {
    "cash": (-BIG, BIG), "revenue": (0, BIG), "lobby_usd": (0, BIG), "subsidy": (0, 1e13),
    "chips": (0, 1e20), "built": (0, 1e12), "approved": (0, 1e12), "queued": (0, 1e12), "onsite": (0, 1e12),
    "dc_ring_mw": (0, 1e12), "onsite_ring_mw": (0, 1e12), "gas_ring": (0, 1e12), "solar_ring": (0, 1e12),
    "nuclear_ring": (0, 1e12), "capacity": (1, 1e12), "demand": (0, 1e12), "queue_other": (0, 1e12),
    "price": (0.01, 1e6), "carbon": (0, 10), "curtail": (0, 1), "outage": (-1, 0.99), "queue_wait": (0, 99),
    "chip_price": (1e-12, 1e10), "supply_shock": (0, 100), "market_shock": (0.001, 1000),
    "smuggle_premium": (0, 20), "smuggle_fill": (0, 1), "input_capacity": (0, 1e20), "input_yield": (0, 1),
    "input_shock": (0, 100), "input_shock_left": (0, 1000), "ppa_ring_mw": (0, 1e12),
    "milestone_turn": (-1, 1000), "pace": (-100, 100), "milestone_req": (0, 100), "distilled": (0, 60), "edge": (0.1, 10),
    "open_best": (0, 60), "served": (0, 1), "parent_left": (0, BIG), "spy_usd": (0, 1e13),
    "gov_intel": (0, 1e12), "tension": (0, 1), "inspections": (0, 1), "treaty_since": (0, 1000),
    "treaty_cap": (0, 100), "pause_notice": (0, 24), "alarm": (0, 1), "chip_arrival": (0, 1000),
    "efficiency": (-20, 40), "capability": (0, 60), "reasoning": (0, 40), "safety": (0, 1e4),
    "talent": (0, 1e4), "reputation": (0, 100), "run_flop": (0, 1e45), "share": (0, 1),
    "market_use": (0, 1), "partner_share": (0, 0.95), "equity": (0, 1), "momentum": (-60, 60),
    "cap_average": (0, 60), "intel": (0, 1e6), "enforcement": (0, 1), "permitting": (0.1, 10), "regulation": (0, 1), "pool": (0, 1),
    "raise_cooldown": (0, 1000), "partner_cooldown": (0, 1000), "run_age": (0, 1000), "incidents": (0, 10**6),
    "reaction_wait": (0, 1000), "outage_left": (0, 1000), "supply_shock_left": (0, 1000),
    "market_shock_left": (0, 1000), "founders_used": (0, 1000), "incidents_last": (0, 1000),
    "end_turn": (-1, 1000), "founded_turn": (-1, 1000), "name_index": (-1, 1000),
}

# Arrays whose second axis is the lab slot (State lists them from 'alive' to 'binding').
_NAMES = [f.name for f in fields(State)]
LAB_ARRAYS = frozenset(_NAMES[_NAMES.index("alive"): _NAMES.index("binding") + 1])


def bounds(name: str, state: State):
    """(lowest, highest) allowed for array ``name``, or None for true/false arrays."""
    if name in INDEX_RANGES:
        return INDEX_RANGES[name](state)
    return VALUE_RANGES.get(name)


def within(arr: np.ndarray, lo, hi) -> bool:
    """Whether every value of ``arr`` lies in [lo, hi]. min and max are one pass each, and
    NaN makes both NaN, so the common case (all well) costs two reductions."""
    return lo <= arr.min() and arr.max() <= hi


def first_problem(state: State, in_range=within):
    """The first value outside its range, as (name, index, value, lo, hi), or None.
    ``in_range(arr, lo, hi)`` scans an array (the compiled engine passes a kernel); the
    offending element is looked for only on failure."""
    for name, arr in state.arrays():
        if arr.dtype.kind == "b" or not arr.size:
            continue
        lo, hi = bounds(name, state)
        if in_range(arr, lo, hi):
            continue
        bad = ~((arr >= lo) & (arr <= hi))  # NaN fails both comparisons
        index = tuple(int(i) for i in np.argwhere(bad)[0])
        return name, index, arr[index].item(), lo, hi
    return None


def describe(problem, lab_ids=(), replica_ids=None) -> str:
    """'state.cash of lab 'keel' (replica 3) became inf (allowed -1e+18..1e+18)'."""
    name, index, value, lo, hi = problem
    where = []
    if name in LAB_ARRAYS and len(index) > 1 and index[1] < len(lab_ids):
        where.append(f"lab '{lab_ids[index[1]]}'")
    if replica_ids is not None:
        where.append(f"replica {int(replica_ids[index[0]])}")
    detail = f" of {', '.join(where)}" if where else ""
    return f"state.{name}{detail} became {value!r} (allowed {lo:g}..{hi:g})"
