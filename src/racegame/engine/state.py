"""State: everything that changes during a game, as arrays with a leading replica axis R.

One interactive game is R = 1; a Monte Carlo batch is R = 10,000 through the same code.
Shapes use L labs, K chip classes, N grids, C countries, M markets, E events, Q reactions,
T timeline milestones, P supply inputs, B data-centre ring slots, O on-site ring slots, and G_k ring slots for
generation kind k.
"""

from __future__ import annotations

from dataclasses import dataclass, fields, replace

import numpy as np

OUTCOMES = ("running", "safe_agi", "catastrophe", "horizon")
RUNNING, SAFE_AGI, CATASTROPHE, HORIZON = range(4)


@dataclass
class State:
    turn: int
    # labs (R, L)
    alive: np.ndarray
    country: np.ndarray
    archetype: np.ndarray
    cash: np.ndarray
    chips: np.ndarray  # (R, L, K)
    built: np.ndarray  # (R, L, N) data-centre MW built
    approved: np.ndarray  # (R, L, N) MW of grid connection approved
    queued: np.ndarray  # (R, L, N) MW waiting in the interconnection queue
    onsite: np.ndarray  # (R, L, N) MW of on-site generation
    dc_ring_mw: np.ndarray  # (R, L, B) data-centre MW arriving in slot turn % B
    dc_ring_grid: np.ndarray  # (R, L, B)
    onsite_ring_mw: np.ndarray  # (R, L, O)
    onsite_ring_grid: np.ndarray  # (R, L, O)
    ppa_ring_mw: np.ndarray  # (R, L, S) MW a PPA connects when its generation comes online
    ppa_ring_grid: np.ndarray  # (R, L, S)
    efficiency: np.ndarray  # log10 algorithmic multiplier
    capability: np.ndarray  # best model, log10 effective FLOP
    distilled: np.ndarray  # best model it has made from open weights (fine-tuned, distilled)
    edge: np.ndarray  # multiplier on its training compute (1; the player's lab on easy or hard differs)
    reasoning: np.ndarray
    safety: np.ndarray
    talent: np.ndarray
    reputation: np.ndarray
    run_flop: np.ndarray
    run_age: np.ndarray
    model_open: np.ndarray
    revenue: np.ndarray  # last turn's revenue
    share: np.ndarray  # last turn's share of use
    served: np.ndarray  # share of its buyers' demand the lab could serve last turn
    market_use: np.ndarray  # (R, L, M) share of each market's use
    partner_share: np.ndarray
    equity: np.ndarray
    parent_left: np.ndarray  # what the parent business will still put in
    raise_cooldown: np.ndarray
    partner_cooldown: np.ndarray
    momentum: np.ndarray  # capability minus its slow average
    cap_average: np.ndarray
    lobby_usd: np.ndarray
    intel: np.ndarray  # intelligence on rivals (fog of war), in units of rules intel_usd
    lobby_goal: np.ndarray
    founded_turn: np.ndarray
    parent: np.ndarray
    name_index: np.ndarray
    incidents: np.ndarray
    binding: np.ndarray  # last turn's binding constraint (index into step.BINDING)
    security: np.ndarray  # security level of its model weights, 1..5
    committed: np.ndarray  # a public commitment to pause without good odds of a safe passage
    milestone: np.ndarray  # milestones the lab's best model has passed (0..T)
    milestone_turn: np.ndarray  # (R, L, T) turn the lab passed each milestone (-1: not yet)
    pace: np.ndarray  # OOM a year of the lab's best model, a slow average
    failed_milestone: np.ndarray  # the last milestone the lab failed to pass (-1: none): it now knows where it is
    # grids (R, N)
    capacity: np.ndarray  # firm MW
    carbon: np.ndarray  # t/MWh of the mix
    demand: np.ndarray
    price: np.ndarray
    queue_other: np.ndarray
    curtail: np.ndarray
    queue_wait: np.ndarray  # turns a new interconnection request waits at the current pace
    outage: np.ndarray  # share of capacity lost to an event
    outage_left: np.ndarray
    gas_ring: np.ndarray  # (R, N, G_gas)
    solar_ring: np.ndarray
    nuclear_ring: np.ndarray
    # governments (R, C)
    export_tier: np.ndarray
    enforcement: np.ndarray
    subsidy: np.ndarray
    permitting: np.ndarray
    regulation: np.ndarray
    pool: np.ndarray  # share of its other labs' powered compute pooled in one lab (a national compute pool)
    mega_started: np.ndarray
    retaliation: np.ndarray
    reaction_wait: np.ndarray  # (R, Q)
    incidents_last: np.ndarray
    founders_used: np.ndarray  # (R, C)
    spy_usd: np.ndarray  # (R, C) intelligence spending per turn
    gov_intel: np.ndarray  # (R, C) intelligence stock, in units of rules spy_usd
    tension: np.ndarray  # (R, C) hostility towards rivals after discovered thefts or cheating, 0..1
    tracking: np.ndarray  # (R, C) chip-location verification on its chips
    inspections: np.ndarray  # (R, C) inspections it accepts, 0..1
    cheating: np.ndarray  # (R, C) secretly letting its labs past a pause's cap
    # agreements (R, A): 0 none, 1 proposed, 2 in force
    treaty: np.ndarray
    treaty_members: np.ndarray  # (R, A, C)
    treaty_since: np.ndarray  # (R, A) turn proposed, then turn in force
    treaty_cap: np.ndarray  # (R,) a pause's capability cap (0: none)
    pause_notice: np.ndarray  # (R,) turns a pause still binds after a member gave notice to leave it (0: no notice)
    pause_notice_by: np.ndarray  # (R,) the country that gave that notice (-1: none)
    alarm: np.ndarray  # (R,) the world's alarm after alignment failures, fading
    # chips (R, K)
    chip_arrival: np.ndarray  # turn the class goes on sale: this game's draw where the date is uncertain
    chip_price: np.ndarray
    smuggle_premium: np.ndarray  # smugglers' premium over the list price
    smuggle_fill: np.ndarray  # share of contraband orders that got through last time someone tried
    supply_shock: np.ndarray  # (R, K) production multiplier of a chip class (events)
    supply_shock_left: np.ndarray
    # supply inputs (R, P)
    input_capacity: np.ndarray  # units per first-stage turn
    input_yield: np.ndarray
    input_shock: np.ndarray  # capacity multiplier (events)
    input_shock_left: np.ndarray
    # markets (R, M)
    market_shock: np.ndarray
    market_shock_left: np.ndarray
    # game (R,) and events (R, E)
    outcome: np.ndarray
    winner: np.ndarray
    agi_lab: np.ndarray
    end_turn: np.ndarray
    event_done: np.ndarray
    milestone_req: np.ndarray  # (R, T) capability each milestone takes: this game's secret draw
    open_best: np.ndarray  # (R,) the best open model as of last turn (0: none yet)

    @property
    def replicas(self) -> int:
        return self.alive.shape[0]

    @property
    def ended(self) -> np.ndarray:
        return self.outcome != RUNNING

    @property
    def winner_country(self) -> np.ndarray:
        """(R,) the winning lab's country, -1 where nobody has won."""
        lab_country = self.country[np.arange(self.replicas), np.maximum(self.winner, 0)]
        return np.where(self.winner >= 0, lab_country, -1)

    @property
    def turns_played(self) -> np.ndarray:
        """(R,) turns each game has played: to its end, or so far."""
        return np.where(self.end_turn >= 0, self.end_turn + 1, self.turn)

    def arrays(self):
        for f in fields(self):
            if f.name != "turn":
                yield f.name, getattr(self, f.name)

    def copy(self) -> "State":
        return replace(self, **{name: arr.copy() for name, arr in self.arrays()})

    def subset(self, index) -> "State":
        """The same game restricted to some replicas (a boolean mask or index array)."""
        index = np.asarray(index)
        rows = np.flatnonzero(index) if index.dtype == bool else index  # a mask becomes rows once, not per array
        return replace(self, **{name: arr.take(rows, axis=0) for name, arr in self.arrays()})

    def to_json(self) -> dict:
        return {
            "turn": self.turn,
            "arrays": {name: {"dtype": arr.dtype.str, "shape": list(arr.shape), "data": arr.ravel().tolist()} for name, arr in self.arrays()},
        }

    @classmethod
    def from_json(cls, blob: dict) -> "State":
        """Inverse of ``to_json``; raises KeyError/ValueError/TypeError on malformed input."""
        arrays = {}
        for f in fields(cls):
            if f.name == "turn":
                continue
            spec = blob["arrays"][f.name]
            dtype = np.dtype(spec["dtype"])
            if dtype.kind not in "bif":
                raise ValueError(f"array '{f.name}' has unsupported dtype {spec['dtype']}")
            data = spec["data"]
            if dtype.kind in "ib" and any(not isinstance(x, (int, bool)) for x in _flat(data)):
                raise ValueError(f"array '{f.name}' holds a value that is not a whole number")
            arr = np.array(data, dtype=dtype)
            arrays[f.name] = arr.reshape([int(n) for n in spec["shape"]])
        turn = blob["turn"]
        if not isinstance(turn, int) or isinstance(turn, bool) or turn < 0:
            raise ValueError("turn must be a non-negative integer")
        extra = set(blob["arrays"]) - set(arrays)
        if extra:
            raise ValueError(f"unknown arrays {sorted(extra)}")
        return cls(turn=turn, **arrays)


def _flat(data):
    """Every scalar in a nested list (the JSON form of an array)."""
    for x in data if isinstance(data, list) else [data]:
        if isinstance(x, list):
            yield from _flat(x)
        else:
            yield x


def stack(states: list[State]) -> State:
    """Join states of equal turn along the replica axis (used to merge chunks)."""
    first = states[0]
    return replace(first, **{name: np.concatenate([getattr(s, name) for s in states]) for name, _ in first.arrays()})
