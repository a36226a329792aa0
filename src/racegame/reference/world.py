"""The reference engine's world: one plain object per lab, grid, government, chip class and
market, holding its fixed rules and its changing state as Python floats, ints, bools and
short lists; and the conversion to and from the vectorised engine's ``State``.

Each record's changing fields carry the names of the ``State`` arrays they come from (a
chip class's ``price`` is ``State.chip_price``), so reading one engine beside the other is
easy. ``FIELDS`` maps every ``State`` array to its owner; a new array that nobody owns
makes the conversion fail loudly rather than go silently missing from the parity tests.
"""

from __future__ import annotations

import copy
from dataclasses import fields as dataclass_fields

import numpy as np

from ..engine.orders import rules_first_grid
from ..engine.params import ARCHETYPE_NUMBERS
from ..engine.state import RUNNING, State

LAB_FIELDS = (
    "alive", "country", "archetype", "cash", "chips", "built", "approved", "queued", "onsite",
    "dc_ring_mw", "dc_ring_grid", "onsite_ring_mw", "onsite_ring_grid", "ppa_ring_mw", "ppa_ring_grid", "efficiency", "capability",
    "reasoning", "safety", "talent", "reputation", "run_flop", "run_age", "model_open", "revenue",
    "share", "served", "distilled", "market_use", "partner_share", "equity", "parent_left", "raise_cooldown", "partner_cooldown", "momentum",
    "cap_average", "lobby_usd", "intel", "lobby_goal", "founded_turn", "parent", "name_index", "incidents", "binding",
    "milestone", "milestone_turn", "pace", "failed_milestone", "security", "committed", "edge",
)
GRID_FIELDS = (
    "capacity", "carbon", "demand", "price", "queue_other", "curtail", "queue_wait", "outage",
    "outage_left", "gas_ring", "solar_ring", "nuclear_ring",
)
GOV_FIELDS = (
    "export_tier", "enforcement", "subsidy", "permitting", "regulation", "pool", "mega_started", "retaliation",
    "incidents_last", "founders_used", "spy_usd", "gov_intel", "tension", "tracking", "inspections", "cheating",
)
CHIP_FIELDS = {"chip_arrival": "available", "chip_price": "price", "smuggle_premium": "premium", "smuggle_fill": "smuggle_fill", "supply_shock": "shock",
               "supply_shock_left": "shock_left"}
INPUT_FIELDS = {"input_capacity": "capacity", "input_yield": "yield_", "input_shock": "shock", "input_shock_left": "shock_left"}
MARKET_FIELDS = {"market_shock": "shock", "market_shock_left": "shock_left"}
WORLD_FIELDS = ("reaction_wait", "event_done", "outcome", "winner", "agi_lab", "end_turn", "milestone_req", "open_best",
                "treaty", "treaty_members", "treaty_since", "treaty_cap", "pause_notice", "pause_notice_by", "alarm")

# State array -> (which collection of the world owns it, attribute name on the owner).
FIELDS = {
    **{name: ("labs", name) for name in LAB_FIELDS},
    **{name: ("grids", name) for name in GRID_FIELDS},
    **{name: ("govs", name) for name in GOV_FIELDS},
    **{name: ("chips", attr) for name, attr in CHIP_FIELDS.items()},
    **{name: ("inputs", attr) for name, attr in INPUT_FIELDS.items()},
    **{name: ("markets", attr) for name, attr in MARKET_FIELDS.items()},
    **{name: (None, name) for name in WORLD_FIELDS},
}
_missing = {f.name for f in dataclass_fields(State)} - {"turn"} - set(FIELDS)
if _missing:  # pragma: no cover - guards against State growing behind the reference's back
    raise ImportError(f"reference world does not hold State arrays {sorted(_missing)}")


class Lab:
    """An AI lab (or an empty slot where a founder may start one)."""

    def __init__(self, rules, index: int):
        self.index = index
        self.run_turns = int(rules.lab_run_turns[index])
        self.state_backed = bool(rules.lab_state_backed[index])
        self.parent_patience = float(rules.lab_parent_patience[index])
        self.distribution = float(rules.lab_distribution[index])


class Grid:
    def __init__(self, rules, index: int):
        self.index = index
        self.country = int(rules.grid_country[index])
        self.price0 = float(rules.grid_price0[index])

    @property
    def rings(self):
        """Generation under construction, by kind: gas, solar with storage, nuclear."""
        return (self.gas_ring, self.solar_ring, self.nuclear_ring)


class Government:
    def __init__(self, rules, index: int):
        self.index = index
        self.controls = [bool(x) for x in rules.controls[index]]  # controls[c]: our controls cover c
        self.mega_mw = float(rules.mega_mw[index])
        self.mega_usd = float(rules.mega_usd[index])
        self.pool_max = float(rules.gov_pool_max[index])  # the most of its labs' compute it may pool
        self.first_grid = int(rules_first_grid(rules)[index])  # where founders rent space
        self.founder_names = rules.founder_names[index]


class ChipClass:
    def __init__(self, rules, index: int):
        self.index = index
        self.perf_train = float(rules.chip_perf_train[index])
        self.perf_infer = float(rules.chip_perf_infer[index])
        self.power_mw = float(rules.chip_power_mw[index])
        self.price0 = float(rules.chip_price0[index])
        self.control_tier = int(rules.chip_control_tier[index])
        self.domestic_only = bool(rules.chip_domestic_only[index])
        self.tool_tier = int(rules.chip_tool_tier[index])
        self.tools_bought_years = float(rules.chip_tools_bought_years[index])
        self.producer = int(rules.chip_producer[index])
        self.units = [float(x) for x in rules.chip_units[index]]  # of each supply input, per chip


class SupplyInput:
    """An input chips are made from (wafers, packaging, memory), or a chip's own line."""

    def __init__(self, rules, index: int):
        self.index = index
        self.country = int(rules.input_country[index])
        self.control_tier = int(rules.input_control_tier[index])
        self.substitute = int(rules.input_substitute[index])
        self.tool_tier = int(rules.input_tool_tier[index])
        self.tool_penalty = float(rules.input_tool_penalty[index])


class Market:
    def __init__(self, rules, index: int):
        self.index = index
        self.access = [float(x) for x in rules.market_access[index]]  # by country


class Event:
    def __init__(self, rules, index: int):
        self.index = index
        self.turn = int(rules.event_turn[index])  # scripted turn, or -1 for a random event
        self.chance = float(rules.event_chance[index])
        self.first = int(rules.event_first[index])
        self.last = int(rules.event_last[index])
        self.once = bool(rules.event_once[index])
        self.effect = int(rules.event_effect[index])
        self.target_kind = int(rules.event_target_kind[index])
        self.target = int(rules.event_target[index])
        self.amount = float(rules.event_amount[index])
        self.duration = int(rules.event_duration[index])


class World:
    """Everything in one game: the agents with their fixed rules, and the changing state.

    Build it once per game (``World(rules)`` then ``load(state)``); the turn functions then
    change it in place.
    """

    def __init__(self, rules):
        self.rules = rules
        self.c = rules.at(0)  # the constants of the turn being played (``step_world`` sets them)
        self.labs = [Lab(rules, i) for i in range(rules.n_labs)]
        self.grids = [Grid(rules, i) for i in range(len(rules.grid_ids))]
        self.govs = [Government(rules, i) for i in range(len(rules.country_ids))]
        self.chips = [ChipClass(rules, i) for i in range(len(rules.chip_ids))]
        self.inputs = [SupplyInput(rules, i) for i in range(len(rules.input_ids))]
        self.markets = [Market(rules, i) for i in range(len(rules.market_ids))]
        self.events = [Event(rules, i) for i in range(len(rules.event_ids))]
        # Chip classes by compute per MW, best first: the order in which a lab short of power
        # keeps its chips running (stable sort, as the engine's argsort).
        self.chips_by_efficiency = sorted(self.chips, key=lambda chip: -(chip.perf_train / chip.power_mw))
        self.n_level_labs = rules.n_level_labs
        self.founder_slots = rules.founder_slots
        self.gen_credit = [float(x) for x in rules.gen_credit]
        self.horizon = rules.horizon
        self.founder_seed_usd = float(rules.founder_seed_usd)
        self.founder_talent_share = float(rules.founder_talent_share)
        self.founder_rented_mw = float(rules.founder_rented_mw)
        self.risk = [float(x) for x in rules.style_numbers[:, ARCHETYPE_NUMBERS.index("risk")]]  # by archetype

    # -- the changing state ------------------------------------------------
    @property
    def ended(self) -> bool:
        return self.outcome != RUNNING

    def load(self, state: State, replica: int = 0) -> "World":
        """Take the changing state of one replica of ``state`` (copied, never shared)."""
        self.turn = int(state.turn)
        for name, arr in state.arrays():
            owner, attr = FIELDS[name]
            row = arr[replica].tolist()
            if owner is None:
                setattr(self, attr, row)
            else:
                for agent, value in zip(getattr(self, owner), row):
                    setattr(agent, attr, value)
        return self

    def to_state(self, like: State) -> State:
        """This world as a one-replica ``State``, with the dtypes and shapes of ``like``."""
        arrays = {}
        for name, template in like.arrays():
            owner, attr = FIELDS[name]
            if owner is None:
                data = getattr(self, attr)
            else:
                data = [getattr(agent, attr) for agent in getattr(self, owner)]
            arrays[name] = np.array(data, dtype=template.dtype).reshape((1,) + template.shape[1:])
        return State(turn=self.turn, **arrays)

    def snapshot(self) -> dict:
        """The changing state, deep-copied (for restoring a finished game)."""
        saved = {"turn": self.turn}
        for name, (owner, attr) in FIELDS.items():
            if owner is None:
                saved[name] = copy.copy(getattr(self, attr))
            else:
                saved[name] = [copy.copy(getattr(agent, attr)) for agent in getattr(self, owner)]
        return saved

    def restore(self, saved: dict) -> None:
        self.turn = saved["turn"]
        for name, (owner, attr) in FIELDS.items():
            if owner is None:
                setattr(self, attr, saved[name])
            else:
                for agent, value in zip(getattr(self, owner), saved[name]):
                    setattr(agent, attr, value)


def world_from_state(state: State, rules, replica: int = 0) -> World:
    return World(rules).load(state, replica)
