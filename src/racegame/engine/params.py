"""Rules: everything about a game that does not change while it runs, as frozen arrays.

Built once from a validated level, one builder per section of the level. Turns may change
length during a game (quarters first, then half-years), so yearly rates become per-turn
figures for each turn here: ``rules.at(turn)`` is that turn's dictionary of constants, and
the step never thinks about calendars. Amounts a level gives "per turn" (chip production,
grid approvals, subsidies, a parent's funding) are per turn of the first stage; a longer turn
gets proportionally more (``turn_scale``).

Index order everywhere: labs L (the level's labs, then empty slots for labs founded
mid-game), chip classes K, grids N, countries/governments C, markets M, events E,
government reactions Q, timeline milestones T.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np

from ..level.schema import ACTIONS, ARCHETYPES, CONDITIONS, EFFECTS, LOBBY_GOALS

SECONDS_PER_MONTH = 30.4375 * 86400
ARCHETYPE_NUMBERS = (
    "capex_share", "dc_share", "onsite_share", "ppa_share", "train", "serve", "research",
    "focus_efficiency", "focus_reasoning", "focus_safety", "price_level", "raise_below_turns",
    "hire_share", "retention_share", "lobby_share", "risk", "publish_share",
)
ARCHETYPE_FLAGS = ("open_weights", "seeks_state_backing", "partner_deals", "token_financing", "commits")
# Effects whose target is a lab (or a country: one of its labs at random).
LAB_TARGETED = ("algo_breakthrough", "talent", "cash", "incident")


def _frozen(value):
    arr = np.array(value)
    arr.setflags(write=False)
    return arr


def calendar(time: dict) -> np.ndarray:
    """Months in each turn (T,): ``months_per_turn`` until a stage starting at
    ``from_turn`` changes it (quarters first, then half-years, say)."""
    months = np.full(time["horizon_turns"], time["months_per_turn"], dtype=np.int64)
    for stage in sorted(time["stages"], key=lambda x: x["from_turn"]):
        months[stage["from_turn"]:] = stage["months_per_turn"]
    return months


def month_of_turn(time: dict, turn: int) -> tuple[int, int]:
    """(year, month) at the start of ``turn`` of a level's calendar (its ``time`` table, as
    in a save; stages may be missing from hand-made or old data)."""
    year, month = (int(x) for x in time["start"].split("-"))
    months = calendar({"horizon_turns": max(int(turn), 1), "months_per_turn": int(time.get("months_per_turn", 3)),
                       "stages": [st for st in time.get("stages", []) if isinstance(st, dict)]})
    elapsed = month - 1 + int(months[: max(int(turn), 0)].sum())
    return year + elapsed // 12, elapsed % 12 + 1


def lead_turns(months: np.ndarray, start: int, wait_months: float) -> int:
    """Turns from the start of turn ``start`` until ``wait_months`` have passed (at least one;
    past the horizon the last turn's length goes on)."""
    elapsed, k = 0.0, 0
    while elapsed < wait_months - 1e-9:
        elapsed += months[min(start + k, len(months) - 1)]
        k += 1
    return max(1, k)


@dataclass(frozen=True)
class Rules:
    level_id: str
    horizon: int
    months_per_turn: int  # months in a turn of the first stage
    start_year: int
    start_month: int
    turn_months: np.ndarray  # (horizon,) months in each turn
    turn_years: np.ndarray  # (horizon + 1,) years elapsed at the start of each turn

    # names, for reports and the UI
    lab_ids: tuple
    lab_names: tuple
    chip_ids: tuple
    chip_names: tuple
    grid_ids: tuple
    grid_names: tuple
    country_ids: tuple
    country_names: tuple
    market_ids: tuple
    event_ids: tuple
    founder_names: tuple  # per country: tuple of names for labs founded mid-game

    n_level_labs: int
    # per lab slot, from the level (founded slots hold neutral values)
    lab_playable: np.ndarray
    lab_build_months: np.ndarray  # (L,) construction time of a data centre
    lab_run_turns: np.ndarray
    lab_parent_funding: np.ndarray  # per first-stage turn
    lab_parent_budget: np.ndarray  # the most the parent puts in over the game
    lab_parent_patience: np.ndarray  # OOM behind the frontier before the parent cuts funding
    lab_distribution: np.ndarray  # weight of its products and channels with buyers
    lab_state_backed: np.ndarray
    lab_security0: np.ndarray  # security level at the start

    # chips (K,)
    chip_perf_train: np.ndarray
    chip_perf_infer: np.ndarray
    chip_power_mw: np.ndarray  # MW at the wall per chip (with servers and PUE)
    chip_price0: np.ndarray
    chip_available: np.ndarray  # (K,) first turn on sale (the median, for an uncertain date)
    chip_arrival_shape: np.ndarray  # (K,) 0: a known date; else log-logistic shape of the drawn one
    chip_tool_tier: np.ndarray  # (K,) rivals' tier whose tools controls hold the class to its date (0: none)
    chip_tools_bought_years: np.ndarray  # (K,) once those controls lift, the class comes within this
    chip_control_tier: np.ndarray
    chip_domestic_only: np.ndarray
    chip_producer: np.ndarray
    chip_units: np.ndarray  # (K, P) units of each supply input one chip needs

    # the supply chain's inputs (P,): the level's, then one own production line per chip
    # class that names no inputs
    input_ids: tuple
    input_names: tuple
    input_country: np.ndarray
    input_capacity0: np.ndarray  # good units per first-stage turn
    input_growth_per_year: np.ndarray  # at the start
    input_growth_halflife: np.ndarray  # years over which that rate halves (0: never)
    input_yield0: np.ndarray
    input_yield_gain: np.ndarray  # per year
    input_control_tier: np.ndarray
    input_substitute: np.ndarray  # index of the input used instead when controls cut this one (-1: none)
    input_tool_tier: np.ndarray
    input_tool_penalty: np.ndarray

    # grids (N,)
    grid_country: np.ndarray
    grid_demand_growth_per_year: np.ndarray
    grid_price0: np.ndarray
    grid_reserve_target: np.ndarray
    grid_approvals0: np.ndarray  # per first-stage turn
    grid_build_per_year: np.ndarray  # firm MW a year
    grid_build_growth: np.ndarray
    grid_other_requests: np.ndarray  # MW a year
    grid_invest_appetite: np.ndarray
    grid_mix: np.ndarray  # (N, 3) shares of new generation by kind
    grid_x: np.ndarray
    grid_y: np.ndarray
    gen_months: np.ndarray  # (3,) lead time of gas, solar_storage, nuclear
    gen_credit: np.ndarray  # (3,) firm-capacity credit

    # governments (C,), controls[g, c]: g's export controls apply to c
    controls: np.ndarray
    gov_hold_tier: np.ndarray  # (C,) the government never changes its export tier
    mega_mw: np.ndarray
    mega_usd: np.ndarray
    spy_usd0: np.ndarray  # (C,) intelligence spending per turn at the start
    cloud_controls: np.ndarray  # (C,) share of third countries' cloud it closes to the countries it controls
    gov_cooperation: np.ndarray  # (C,) AI: readiness to propose and sign agreements
    gov_temptation: np.ndarray  # (C,) AI: readiness to cheat on a pause
    gov_restraint: np.ndarray  # (C,) AI: the lead (OOM) at which it may pause its own labs alone
    gov_pool_max: np.ndarray  # (C,) the largest share of its other labs' compute it may pool in one lab
    investor_capital: np.ndarray  # (C,) USD a year into AI labs' rounds at the start

    # reactions (Q,)
    reaction_gov: np.ndarray
    reaction_when: np.ndarray
    reaction_threshold: np.ndarray
    reaction_then: np.ndarray
    reaction_amount: np.ndarray
    reaction_chance: np.ndarray
    reaction_cooldown: np.ndarray

    # markets (M,), access[m, c]
    market_size0: np.ndarray  # USD per year
    market_access: np.ndarray

    # events (E,)
    event_turn: np.ndarray
    event_chance: np.ndarray
    event_first: np.ndarray
    event_last: np.ndarray
    event_once: np.ndarray
    event_effect: np.ndarray
    event_target_kind: np.ndarray  # 0 none, 1 chip, 2 grid, 3 gov, 4 lab, 5 country's labs, 6 market, 7 supply input
    event_target: np.ndarray
    event_amount: np.ndarray
    event_duration: np.ndarray
    event_titles: tuple
    event_news: tuple

    # the timeline: milestones on the way to AGI (T,), the last one is AGI
    milestone_ids: tuple
    milestone_names: tuple
    milestone_gap: np.ndarray  # median OOM above the previous milestone (the first: above frontier0)
    milestone_shape: np.ndarray  # spread of each gap's log-logistic distribution
    milestone_labour: np.ndarray  # research labour multiplier once a lab's model passes it
    milestone_safety: np.ndarray  # safety stock a calm passage needs
    milestone_market: np.ndarray  # market growth when the world's best model passes it
    milestone_quantile: float  # -1: every game draws; else every game takes this quantile
    belief: object  # timeline.Belief: what seats can infer about the milestones still ahead

    # AI personalities (A, ...)
    style_numbers: np.ndarray  # (A, len(ARCHETYPE_NUMBERS))
    style_flags: np.ndarray  # (A, len(ARCHETYPE_FLAGS))
    style_lobby_goal: np.ndarray  # (A,)

    founder_slots: int
    founder_seed_usd: float
    founder_talent_share: float
    founder_rented_mw: float

    other_compute0: float
    other_compute_growth_per_year: float

    # constants that do not depend on the length of a turn; ``at(t)`` adds the per-turn ones
    c: dict = field(default_factory=dict)
    per_turn: tuple = ()  # one dict per turn (see ``at``)

    @property
    def n_labs(self) -> int:
        return len(self.lab_ids)

    @property
    def n_milestones(self) -> int:
        return len(self.milestone_ids)

    def at(self, turn: int) -> dict:
        """Every constant as it applies in ``turn`` (per-turn rates for that turn's length)."""
        return self.per_turn[min(max(int(turn), 0), self.horizon - 1)]

    def style(self, name: str) -> np.ndarray:
        """Column of a personality number for every archetype (A,)."""
        return self.style_numbers[:, ARCHETYPE_NUMBERS.index(name)]

    def flag(self, name: str) -> np.ndarray:
        return self.style_flags[:, ARCHETYPE_FLAGS.index(name)]

    def turn_length(self, turn: int) -> int:
        """Months in ``turn``."""
        return int(self.turn_months[min(max(int(turn), 0), self.horizon - 1)])

    def years_at(self, turn) -> np.ndarray | float:
        """Years elapsed at the start of ``turn`` (a turn number or an array of them)."""
        return self.turn_years[np.clip(turn, 0, self.horizon)]

    def other_compute(self, turn):
        """H100e outside the game's labs at the start of ``turn`` (a number or an array)."""
        return self.other_compute0 * (1.0 + self.other_compute_growth_per_year) ** self.years_at(turn)

    def calendar_words(self) -> str:
        """The calendar in words: 'turns of 3 months, 6 months from 2030-01'."""
        parts = [f"turns of {int(self.turn_months[0])} months"]
        for t in range(1, self.horizon):
            if self.turn_months[t] != self.turn_months[t - 1]:
                parts.append(f"{int(self.turn_months[t])} months from {self.turn_date(t)}")
        return ", ".join(parts)

    def turn_date(self, turn: int) -> str:
        turn = int(turn)
        months = self.start_month - 1 + int(self.turn_months[: max(turn, 0)].sum())
        months += max(turn - self.horizon, 0) * int(self.turn_months[-1])
        return f"{self.start_year + months // 12}-{months % 12 + 1:02d}"


def build_rules(level) -> Rules:
    """The level as frozen arrays, one builder per section of the level, and each turn's
    constants (``Rules.at``), worked out once so the step never reads the level."""
    d = level.data
    months = calendar(d["time"])
    index = _Index(d)
    constants = _constants(d)
    parts = dict(
        level_id=d["id"],
        c=constants,
        **_calendar_rules(d["time"], months),
        **_lab_rules(d),
        **_founder_rules(d),
        **_chip_rules(d, index),
        **_supply_rules(d, index),
        **_grid_rules(d, index),
        **_government_rules(d, index),
        **_market_rules(d),
        **_world_rules(d),
        **_event_rules(d, index),
        **_style_rules(d),
        **_timeline_rules(d),
    )
    parts["per_turn"] = tuple(_turn_constants(d, constants, parts, months, t) for t in range(len(months)))
    return Rules(**parts)


class _Index:
    """Id -> position maps for cross-references inside a level."""

    def __init__(self, d):
        self.gov = {g["id"]: i for i, g in enumerate(d["governments"])}
        self.chip = {c["id"]: i for i, c in enumerate(d["chips"])}
        self.grid = {g["id"]: i for i, g in enumerate(d["grids"])}
        self.lab = {lab["id"]: i for i, lab in enumerate(d["labs"])}
        self.market = {m["id"]: i for i, m in enumerate(d["markets"])}
        self.supply = {p["id"]: i for i, p in enumerate(supply_inputs(d))}


def _calendar_rules(time: dict, months: np.ndarray) -> dict:
    """The calendar ([time]): turns may change length mid-game, so the months of every turn
    and the years elapsed at its start are kept, for dates and for rates per turn."""
    year, month = (int(x) for x in time["start"].split("-"))
    return dict(
        horizon=time["horizon_turns"],
        months_per_turn=time["months_per_turn"],
        start_year=year,
        start_month=month,
        turn_months=_frozen(months),
        turn_years=_frozen(np.concatenate([[0.0], np.cumsum(months) / 12.0])),
    )


def _lab_rules(d) -> dict:
    """Labs ([[labs]]), then an empty slot for each lab that may be founded mid-game: slots
    hold neutral values so that every lab array keeps one length for the whole game."""
    labs, slots = d["labs"], d["founders"]["slots"]
    build_months = d["rules"]["power"]["dc_build_months"]

    def column(key, blank):
        return _frozen([lab[key] for lab in labs] + [blank] * slots)

    return dict(
        lab_ids=tuple(lab["id"] for lab in labs) + tuple(f"new_{i + 1}" for i in range(slots)),
        lab_names=tuple(lab["name"] or lab["id"] for lab in labs) + tuple(f"New lab {i + 1}" for i in range(slots)),
        n_level_labs=len(labs),
        lab_playable=column("playable", False),
        lab_build_months=_frozen([build_months / lab["build_speed"] for lab in labs] + [float(build_months)] * slots),
        lab_run_turns=column("run_turns", 2),
        lab_parent_funding=column("parent_funding_usd_per_turn", 0.0),
        lab_parent_budget=_frozen([lab["parent_budget_usd"] or 20.0 * lab["parent_funding_usd_per_turn"] for lab in labs] + [0.0] * slots),
        lab_parent_patience=column("parent_patience_oom", 1.0),
        lab_distribution=column("distribution", 1.0),
        lab_state_backed=column("state_backed", False),
        lab_security0=column("security_level", 2),
    )


def _founder_rules(d) -> dict:
    """Founders ([founders]): how many labs may start mid-game, what each starts with, and
    the names each country gives them (per government, in the governments' order)."""
    founders = d["founders"]
    return dict(
        founder_names=tuple(tuple(founders["names"].get(g["id"], [])) for g in d["governments"]),
        founder_slots=founders["slots"],
        founder_seed_usd=founders["seed_usd"],
        founder_talent_share=founders["talent_share"],
        founder_rented_mw=founders["rented_mw"],
    )


def _chip_rules(d, index) -> dict:
    """Chip classes ([[chips]]): power is counted at the wall (servers and cooling included)
    because that is what a grid has to supply."""
    chips = d["chips"]
    comp = d["rules"]["compute"]
    watts_to_mw = comp["server_overhead"] * comp["pue"] / 1e6
    return dict(
        chip_ids=tuple(c["id"] for c in chips),
        chip_names=tuple(c["name"] or c["id"] for c in chips),
        chip_perf_train=_frozen([c["perf_train"] for c in chips]),
        chip_perf_infer=_frozen([c["perf_infer"] for c in chips]),
        chip_power_mw=_frozen([c["power_w"] * watts_to_mw for c in chips]),
        chip_price0=_frozen([c["price_usd"] for c in chips]),
        chip_available=_frozen([c["available_turn"] for c in chips]),
        chip_arrival_shape=_frozen([c["arrival_shape"] for c in chips]),
        chip_tool_tier=_frozen([c["tool_tier"] for c in chips]),
        chip_tools_bought_years=_frozen([c["tools_bought_years"] for c in chips]),
        chip_control_tier=_frozen([c["control_tier"] for c in chips]),
        chip_domestic_only=_frozen([c["domestic_only"] for c in chips]),
        chip_producer=_frozen([index.gov[c["producer"]] for c in chips]),
    )


def supply_inputs(d) -> list[dict]:
    """The level's supply inputs, then an own production line for each chip class that
    names no inputs (so every chip is made from inputs, one rule for all)."""
    inputs = [dict(p) for p in d["supply"]]
    for chip in d["chips"]:
        if not any(chip["inputs"].values()):
            inputs.append({"id": f"{chip['id']}_line", "name": f"{chip['name'] or chip['id']} production line",
                           "country": chip["producer"], "units_per_turn": chip["supply_per_turn"],
                           "growth_per_year": chip["supply_growth_per_year"], "growth_halflife_years": 0.0,
                           "yield": 1.0, "yield_gain_per_year": 0.0,
                           "control_tier": 0, "substitute": "", "tool_tier": 0, "tool_penalty": 0.0})
    return inputs


def _supply_rules(d, index) -> dict:
    """The supply chain ([[supply]]) and the units of each input one chip needs (K, P):
    with a production line of their own for chips that name no inputs, one rule makes
    every chip."""
    inputs = supply_inputs(d)
    where = {p["id"]: i for i, p in enumerate(inputs)}
    units = np.zeros((len(d["chips"]), len(inputs)))
    for k, chip in enumerate(d["chips"]):
        if any(chip["inputs"].values()):
            for key, n in chip["inputs"].items():
                units[k, where[key]] = n
        else:
            units[k, where[f"{chip['id']}_line"]] = 1.0

    def column(key, dtype=float):
        return _frozen(np.array([p[key] for p in inputs], dtype=dtype))

    return dict(
        chip_units=_frozen(units),
        input_ids=tuple(where),
        input_names=tuple(p["name"] or p["id"] for p in inputs),
        input_country=_frozen(np.array([index.gov[p["country"]] for p in inputs], dtype=np.int64)),
        input_capacity0=column("units_per_turn"),
        input_growth_per_year=column("growth_per_year"),
        input_growth_halflife=column("growth_halflife_years"),
        input_yield0=column("yield"),
        input_yield_gain=column("yield_gain_per_year"),
        input_control_tier=column("control_tier", np.int64),
        input_substitute=_frozen(np.array([where[p["substitute"]] if p["substitute"] else -1 for p in inputs], dtype=np.int64)),
        input_tool_tier=column("tool_tier", np.int64),
        input_tool_penalty=column("tool_penalty"),
    )


def _grid_rules(d, index) -> dict:
    """Grids ([[grids]]), each with its own prices, approvals and building, and the lead time
    and firm credit of the three kinds of generation they build (gas, solar with storage,
    nuclear)."""
    grids, pw = d["grids"], d["rules"]["power"]
    return dict(
        grid_ids=tuple(g["id"] for g in grids),
        grid_names=tuple(g["name"] or g["id"] for g in grids),
        grid_country=_frozen([index.gov[g["country"]] for g in grids]),
        grid_demand_growth_per_year=_frozen([g["demand_growth_per_year"] for g in grids]),
        grid_price0=_frozen([g["price_usd_per_mwh"] for g in grids]),
        grid_reserve_target=_frozen([g["reserve_target"] for g in grids]),
        grid_approvals0=_frozen([g["approvals_mw_per_turn"] for g in grids]),
        grid_build_per_year=_frozen([g["build_mw_per_year"] for g in grids]),
        grid_build_growth=_frozen([g["build_growth_per_year"] for g in grids]),
        grid_other_requests=_frozen([g["other_requests_mw_per_year"] for g in grids]),
        grid_invest_appetite=_frozen([g["invest_appetite"] for g in grids]),
        grid_mix=_frozen([_mix(g["build_mix"]) for g in grids]),
        grid_x=_frozen([g["x"] for g in grids]),
        grid_y=_frozen([g["y"] for g in grids]),
        gen_months=_frozen([pw[f"{k}_months"] for k in ("gas", "solar_storage", "nuclear")]),
        gen_credit=_frozen([1.0, pw["solar_storage_credit"], 1.0]),
    )


def _government_rules(d, index) -> dict:
    """Governments ([[governments]]): whose export controls reach whom (C, C), what each
    spends, and their reaction rules (Q,) as columns, so every rule is checked at once."""
    govs = d["governments"]
    controls = np.zeros((len(govs), len(govs)), dtype=bool)
    for g in govs:
        for target in g["controls_target"]:
            controls[index.gov[g["id"]], index.gov[target]] = True
    reactions = [(index.gov[g["id"]], x) for g in govs for x in g["reactions"]]

    def reaction(fn, dtype):
        return _frozen(np.array([fn(q) for q in reactions], dtype=dtype))

    return dict(
        country_ids=tuple(g["id"] for g in govs),
        country_names=tuple(g["name"] or g["id"] for g in govs),
        controls=_frozen(controls),
        gov_hold_tier=_frozen([g["hold_export_tier"] for g in govs]),
        mega_mw=_frozen([g["mega_project_mw"] for g in govs]),
        mega_usd=_frozen([g["mega_project_usd"] for g in govs]),
        spy_usd0=_frozen([g["spy_usd_per_turn"] for g in govs]),
        cloud_controls=_frozen([g["cloud_controls"] for g in govs]),
        gov_cooperation=_frozen([g["cooperation"] for g in govs]),
        gov_temptation=_frozen([g["temptation"] for g in govs]),
        gov_restraint=_frozen([g["restraint_lead_oom"] for g in govs]),
        gov_pool_max=_frozen([g["pool_max"] for g in govs]),
        investor_capital=_frozen([g["investor_capital_usd_per_year"] for g in govs]),
        reaction_gov=reaction(lambda q: q[0], np.int64),
        reaction_when=reaction(lambda q: CONDITIONS.index(q[1]["when"]), np.int64),
        reaction_threshold=reaction(lambda q: q[1]["threshold"], float),
        reaction_then=reaction(lambda q: ACTIONS.index(q[1]["then"]), np.int64),
        reaction_amount=reaction(lambda q: q[1]["amount"], float),
        reaction_chance=reaction(lambda q: q[1]["chance"], float),
        reaction_cooldown=reaction(lambda q: q[1]["cooldown_turns"], np.int64),
    )


def _market_rules(d) -> dict:
    """Markets ([[markets]]): their size and which countries' labs may sell there (M, C)."""
    markets, govs = d["markets"], [g["id"] for g in d["governments"]]
    return dict(
        market_ids=tuple(m["id"] for m in markets),
        market_size0=_frozen([m["usd_per_year"] for m in markets]),
        market_access=_frozen([[m["access"].get(g, 0.0) for g in govs] for m in markets]),
    )


def _world_rules(d) -> dict:
    """The world outside the labs ([world]): its compute, against which the labs' shares are
    measured."""
    world = d["world"]
    return dict(
        other_compute0=world["other_compute_h100e"],
        other_compute_growth_per_year=world["other_compute_growth_per_year"],
    )


def _event_rules(d, index) -> dict:
    """Events ([[events]]): when and how likely, what each does and to what (a target kind
    and an index, so that every effect is applied to arrays, not looked up by id)."""
    events = d["events"]
    targets = [_event_target(ev, index) for ev in events]

    def column(key, dtype):
        return _frozen(np.array([e[key] for e in events], dtype=dtype))

    return dict(
        event_ids=tuple(e["id"] for e in events),
        event_turn=column("turn", np.int64),
        event_chance=column("probability", float),
        event_first=column("first_turn", np.int64),
        event_last=column("last_turn", np.int64),
        event_once=column("once", bool),
        event_effect=_frozen(np.array([EFFECTS.index(e["effect"]) for e in events], dtype=np.int64)),
        event_target_kind=_frozen(np.array([t[0] for t in targets], dtype=np.int64)),
        event_target=_frozen(np.array([t[1] for t in targets], dtype=np.int64)),
        event_amount=column("amount", float),
        event_duration=column("duration_turns", np.int64),
        event_titles=tuple(e["title"] or e["id"] for e in events),
        event_news=tuple(e["news"] for e in events),
    )


def _style_rules(d) -> dict:
    """AI personalities ([archetypes]) as an (A, number) and an (A, flag) table, read by name
    through ``Rules.style`` and ``Rules.flag``."""
    styles = d["archetypes"]
    return dict(
        style_numbers=_frozen(np.array([[styles[a][k] for k in ARCHETYPE_NUMBERS] for a in ARCHETYPES], dtype=float)),
        style_flags=_frozen(np.array([[styles[a][k] for k in ARCHETYPE_FLAGS] for a in ARCHETYPES], dtype=bool)),
        style_lobby_goal=_frozen(np.array([LOBBY_GOALS.index(styles[a]["lobby_goal"]) for a in ARCHETYPES])),
    )


def _timeline_rules(d) -> dict:
    """The milestone ladder to AGI ([timeline]), and the belief about it that seats may see:
    worked out once per level, since it is the same for everyone who knows the same things."""
    from .timeline import Belief

    tl = d["timeline"]
    steps = tl["milestones"]

    def column(key):
        return _frozen([m[key] for m in steps])

    gap, shape = column("gap_oom"), column("shape")
    frontier0 = max(lab["capability"] for lab in d["labs"])
    return dict(
        milestone_ids=tuple(m["id"] for m in steps),
        milestone_names=tuple(m["name"] or m["id"] for m in steps),
        milestone_gap=gap,
        milestone_shape=shape,
        milestone_labour=column("labour_multiplier"),
        milestone_safety=column("safety_need"),
        milestone_market=column("market_multiplier"),
        milestone_quantile=float(tl["quantile"]),
        belief=Belief(frontier0, gap, shape),
    )


def _constants(d) -> dict:
    """Constants that do not depend on the length of a turn (per-year rates stay per year
    here; ``_turn_constants`` turns them into per-turn figures), one builder for each section
    of the level's [rules] (or a few related ones)."""
    r = d["rules"]
    return {
        **_diplomacy_constants(r["diplomacy"]),
        **_espionage_constants(r["espionage"]),
        **_chip_constants(r["compute"], r["chips"]),
        **_power_constants(r["power"]),
        **_research_constants(r["research"]),
        **_economy_constants(r["market"], r["finance"], r["talent"]),
        **_race_constants(r["safety"], d["timeline"], d["victory"], d["labs"]),
        **_difficulty_constants(r["difficulty"]),
    }


def _diplomacy_constants(dp) -> dict:
    """Agreements ([rules.diplomacy]): how pauses and safety standards are verified, what
    cheating and broken commitments cost, and what published safety research does."""
    return {
        "pause_margin": dp["pause_margin_oom"],
        "safety_floor": dp["safety_floor"],
        "incident_sharing": dp["incident_sharing"],
        "tracking_strength": dp["tracking_strength"],
        "inspection_strength": dp["inspection_strength"],
        "detect_oom": dp["detect_oom"],
        "cheat_reputation": dp["cheat_reputation"],
        "cheat_tension": dp["cheat_tension"],
        "tracking_smuggling_cut": dp["tracking_smuggling_cut"],
        "publish_uptake": dp["publish_uptake"],
        "publish_reveal": dp["publish_reveal"],
        "publish_trust": dp["publish_trust"],
        "commit_odds": dp["commit_odds"],
        "broken_reputation": dp["broken_reputation"],
    }


def _espionage_constants(sp) -> dict:
    """Espionage ([rules.espionage]): what a theft takes, and what each security level (an
    array indexed by level) defends, slows and discovers."""
    return {
        "secrets_share": sp["secrets_share"],
        "adaptation_oom": sp["adaptation_oom"],
        "spy_usd": sp["spy_usd"],
        "security_defence": np.array(sp["security_defence"]),
        "security_slowdown": np.array(sp["security_slowdown"]),
        "security_discovery": np.array(sp["security_discovery"]),
        "theft_tension": sp["theft_tension"],
    }


def _chip_constants(comp, ch) -> dict:
    """Chips into FLOP ([rules.compute]) and the chip market ([rules.chips]): prices,
    smuggling round export controls, and how much of its money a lab may spend on chips."""
    return {
        "flop_per_h100e": comp["flop_per_h100e"],
        "utilisation": comp["utilisation"],
        "talent_need": comp["talent_need"],
        "multi_site": comp["multi_site"],
        "talent_need_exponent": comp["talent_need_exponent"],
        "chip_price_response": ch["price_response"],
        "chip_max_price_step": ch["max_price_step"],
        "smuggle_share": ch["smuggle_share"],
        "smuggle_premium": ch["smuggle_premium"],
        # the premium's cap is never below the premium itself, whatever a level says
        "smuggle_premium_max": max(ch["smuggle_premium_max"], ch["smuggle_premium"]),
        "smuggle_elasticity": ch["smuggle_elasticity"],
        "retaliation_cost": ch["retaliation_cost"],
        "max_spend_share": ch["max_spend_share"],
    }


def _power_constants(pw) -> dict:
    """Power ([rules.power]): what data centres and their own generation cost, and how grids
    price and ration power under stress."""
    return {
        "dc_capex": pw["dc_capex_usd_per_mw"],
        "onsite_capex": pw["onsite_capex_usd_per_mw"],
        "onsite_price": pw["onsite_usd_per_mwh"],
        "ppa_capex": pw["ppa_capex_usd_per_mw"],
        "price_stress": pw["price_stress"],
        "emergency_margin": pw["emergency_margin"],
        "dc_curtail_weight": pw["dc_curtail_weight"],
        "max_price_multiple": pw["max_price_multiple"],
        "gas_carbon": pw["gas_carbon"],
    }


def _research_constants(rs) -> dict:
    """Research ([rules.research]): how compute and focus become progress in the three
    programmes, distillation of open weights, and the noise of training runs."""
    return {
        "focus_exponent": rs["focus_exponent"],
        "nominal_research": rs["nominal_research_h100e"],
        "efficiency_elasticity": rs["efficiency_elasticity"],
        "reasoning_elasticity": rs["reasoning_elasticity"],
        "safety_elasticity": rs["safety_elasticity"],
        "alignment_tax": rs["alignment_tax"],
        "distill_gap": rs["distill_gap"],
        "distill_h100e": rs["distill_h100e"],
        "run_noise": rs["run_noise"],
        "regulation_drag": rs["regulation_drag"],
        "breakthrough_share": rs["breakthrough_share"],
        "breakthrough_max_years": rs["breakthrough_max_years"],
        "efficiency_ceiling": rs["efficiency_ceiling_oom"],
    }


def _economy_constants(mk, fi, ta) -> dict:
    """The economy: markets ([rules.market]), money ([rules.finance]: rounds, backers,
    partners, tokens, lobbying, intelligence) and people ([rules.talent])."""
    return {
        "growth_per_oom": mk["growth_per_oom"],
        "capability_weight": mk["capability_weight"],
        "price_weight": mk["price_weight"],
        "price_per_oom": mk["price_per_oom"],
        "open_revenue_share": mk["open_revenue_share"],
        "reasoning_serving_cost": mk["reasoning_serving_cost"],
        "revenue_multiple": fi["revenue_multiple"],
        "hype_usd": fi["hype_usd"],
        "valuation_cap": fi["valuation_cap_usd"],
        "round_share": fi["round_share"],
        "round_chance": fi["round_chance"],
        "round_cap_usd": fi["round_cap_usd"],
        "state_backing_usd": fi["state_backing_usd"],
        "partner_share": fi["partner_share_of_valuation"],
        "partner_cut": fi["partner_revenue_cut"],
        "token_share": fi["token_share_of_valuation"],
        "token_volatility": fi["token_volatility"],
        "token_fine_chance": fi["token_fine_chance"],
        "token_fine_share": fi["token_fine_share"],
        "champion_weight": fi["subsidy_champion_weight"],
        "lobby_effect": fi["lobby_effect"],
        "fast_track": fi["lobby_fast_track"],
        "intel_usd": fi["intel_usd"],
        "hire_usd": ta["hire_usd_per_talent"],
        "retention_effect": ta["retention_effect"],
    }


def _race_constants(sa, tl, v, labs) -> dict:
    """The race itself: incidents ([rules.safety]), the pace and the passages of the
    milestone ladder ([timeline]), the scores ([victory]), and the frontier it starts from."""
    return {
        "incident_gap_factor": sa["incident_gap_factor"],
        "incident_reputation": sa["incident_reputation"],
        "incident_regulation": sa["incident_regulation"],
        "safety_start": sa["start_capability"],
        "pace_reference": tl["pace_reference_oom_per_year"],
        "pace_exponent": tl["pace_exponent"],
        "race_pressure": tl["race_pressure"],
        "race_lead": tl["race_lead_oom"],
        "pressure_min": tl["pressure_min"],
        "pressure_max": tl["pressure_max"],
        "passage_spread": tl["passage_spread"],
        "automation_h100e": tl["automation_h100e"],
        "safety_automation": tl["safety_automation"],
        "withdraw_oom": tl["withdraw_oom"],
        "score_capability": v["score_capability"],
        "score_market": v["score_market"],
        "score_cash": v["score_cash"],
        "score_safety": v["score_safety"],
        "frontier0": max(lab["capability"] for lab in labs),
    }


def _difficulty_constants(df) -> dict:
    """Difficulty ([rules.difficulty]): the player's cash and training edge, and the AI
    rivals' capital spending, on easy and hard."""
    return {
        "easy_cash": df["easy_cash"],
        "hard_cash": df["hard_cash"],
        "hard_ai_capex": df["hard_ai_capex"],
        "easy_ai_capex": df["easy_ai_capex"],
        "easy_edge": df["easy_edge"],
        "hard_edge": df["hard_edge"],
    }


def _turn_constants(d, invariant: dict, parts: dict, months: np.ndarray, t: int) -> dict:
    """Turn ``t``'s constants: the invariant ones plus rates for a turn of its length."""
    r = d["rules"]
    comp, ch, pw, rs, mk, fi, ta, sa = (r[k] for k in ("compute", "chips", "power", "research", "market", "finance", "talent", "safety"))
    dt = months[t] / 12.0
    scale = months[t] / d["time"]["months_per_turn"]
    years = float(parts["turn_years"][t])
    next_years = float(parts["turn_years"][t + 1])

    def growth(per_year):  # a yearly growth rate over this turn
        return (1.0 + per_year) ** dt

    def chance(per_year):  # a yearly chance over this turn
        return 1.0 - (1.0 - per_year) ** dt

    def lead(wait_months):
        return lead_turns(months, t, wait_months)

    return {
        **invariant,
        "dt": dt,
        "turn_scale": scale,
        "years": years,
        "seconds_per_turn": months[t] * SECONDS_PER_MONTH,
        "hours_per_turn": months[t] * 30.4375 * 24,
        # cumulative gains since the start
        "training_scale": (1.0 + comp["training_gain_per_year"]) ** years,
        "adoption_scale": (1.0 + mk["adoption_per_year"]) ** years,
        "onsite_supply": pw["onsite_supply_mw_per_turn"] * scale * (1.0 + pw["onsite_supply_growth_per_year"]) ** years,
        "chip_price_trend_years": next_years,  # list prices follow their trend to the end of the turn
        "chip_price_decline_per_year": 1.0 - ch["price_decline_per_year"],
        # this turn's rates
        "chip_keep": (1.0 - comp["chip_retire_per_year"]) ** dt,
        "chip_price_decline": (1.0 - ch["price_decline_per_year"]) ** dt,
        "chip_ops": ch["ops_per_year"] * dt,
        "rent_price": ch["rent_usd_per_h100e_year"] * dt,
        "rent_pool": ch["rent_capacity_h100e"] * (1.0 + ch["rent_growth_per_year"]) ** years,
        "input_growth": np.array([growth(g * (0.5 ** (years / h) if h > 0 else 1.0))
                                  for g, h in zip(parts["input_growth_per_year"], parts["input_growth_halflife"])]),
        "input_yield_gain": parts["input_yield_gain"] * dt,
        "chip_supply_scale": scale,
        "grid_demand_growth": np.array([growth(g) for g in parts["grid_demand_growth_per_year"]]),
        "approvals": parts["grid_approvals0"] * scale,
        "grid_build": parts["grid_build_per_year"] * (1.0 + parts["grid_build_growth"]) ** years * dt,
        "other_requests": parts["grid_other_requests"] * dt,
        "efficiency_rate": rs["efficiency_per_year"] * dt,
        "breakthrough_chance": chance(rs["breakthrough_chance_per_year"]),
        "breakthrough_cap_turns": rs["breakthrough_max_years"] / dt,
        "reasoning_rate": rs["reasoning_per_year"] * dt,
        "safety_rate": rs["safety_per_year"] * dt,
        "spillover": chance(rs["spillover_per_year"]),
        "reasoning_spillover": chance(rs["reasoning_spillover_per_year"]),
        "open_diffusion": chance(rs["open_diffusion"]),
        "distill_rate": rs["distill_per_year"] * dt,
        "share_inertia": mk["share_inertia"] ** scale,
        "serve_usd": mk["serve_usd_per_h100e_year"] * dt,
        "market_usd": parts["market_size0"] * dt,
        "market_cap_usd": d["world"]["ai_spending_cap_usd_per_year"] * dt,
        "investor_usd": parts["investor_capital"] * dt,
        "salary": fi["salary_usd_per_talent_year"] * dt,
        "lobby_usd": fi["lobby_usd"] * scale,
        "intel_keep": (1.0 - fi["intel_decay_per_year"]) ** dt,
        "theft_chance": chance(r["espionage"]["theft_per_year"]),
        "pause_allowance": r["diplomacy"]["pause_allowance_oom_per_year"] * dt,
        "pause_notice": lead(r["diplomacy"]["pause_notice_months"]) if r["diplomacy"]["pause_notice_months"] > 0 else 0,
        "spy_detection": r["diplomacy"]["spy_detection"],
        "alarm_keep": (1.0 - r["diplomacy"]["alarm_decay_per_year"]) ** dt,
        "secrets_chance": chance(r["espionage"]["secrets_per_year"]),
        "spy_keep": (1.0 - r["espionage"]["spy_decay_per_year"]) ** dt,
        "tension_keep": (1.0 - r["espionage"]["tension_decay_per_year"]) ** dt,
        "security_cost": np.array(r["espionage"]["security_cost_usd_per_turn"]) * scale,
        "parent_funding": parts["lab_parent_funding"] * scale,
        "subsidy_scale": scale,
        "attrition": chance(ta["attrition_per_year"]),
        "founder_chance": chance(ta["founder_chance_per_year"]),
        "incident_chance": chance(sa["incident_per_year"]),
        "smoothing": 1.0 - 0.75 ** scale,  # a quarter's weight of news in slow averages
        "recovery": 1.0 - 0.9 ** scale,  # reputation's recovery towards neutral
        "pace_keep": 0.5 ** (dt / 0.5),  # a lab's pace is a slow average: half-life six months
        # lead times from this turn, in turns
        "build_turns": np.array([lead(m) for m in parts["lab_build_months"]], dtype=np.int64),
        "onsite_turns": lead(pw["onsite_build_months"]),
        "gen_turns": np.array([lead(m) for m in parts["gen_months"]], dtype=np.int64),
        "raise_cooldown": lead(fi["raise_cooldown_months"]),
    }


def _mix(shares: dict) -> list:
    kinds = ("gas", "solar_storage", "nuclear")
    total = sum(shares.get(k, 0.0) for k in kinds)
    return [shares.get(k, 0.0) / total for k in kinds]


def _event_target(ev, index):
    """(kind, index) of an event's target; see Rules.event_target_kind."""
    target, effect = ev["target"], ev["effect"]
    if effect in ("chip_supply", "chip_price"):
        return 1, index.chip[target]
    if effect == "grid_capacity":
        return 2, index.grid[target]
    if effect in LAB_TARGETED:
        return (4, index.lab[target]) if target in index.lab else (5, index.gov[target])
    if effect == "market":
        return (6, index.market[target]) if target else (0, -1)
    if effect == "supply_capacity":
        return 7, index.supply[target]
    return 3, index.gov[target]
