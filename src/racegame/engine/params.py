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

import math
from dataclasses import dataclass, field

import numpy as np

from ..level.schema import ACTIONS, ARCHETYPES, CONDITIONS, EFFECTS, LOBBY_GOALS

SECONDS_PER_MONTH = 30.4375 * 86400
ARCHETYPE_NUMBERS = (
    "capex_share", "dc_share", "onsite_share", "ppa_share", "train", "serve", "research",
    "focus_efficiency", "focus_reasoning", "focus_safety", "price_level", "raise_below_turns",
    "hire_share", "retention_share", "lobby_share", "risk",
)
ARCHETYPE_FLAGS = ("open_weights", "seeks_state_backing", "partner_deals", "token_financing")
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
    lab_state_backed: np.ndarray

    # chips (K,)
    chip_perf_train: np.ndarray
    chip_perf_infer: np.ndarray
    chip_power_mw: np.ndarray  # MW at the wall per chip (with servers and PUE)
    chip_price0: np.ndarray
    chip_supply0: np.ndarray  # per first-stage turn
    chip_growth_per_year: np.ndarray
    chip_available: np.ndarray
    chip_control_tier: np.ndarray
    chip_domestic_only: np.ndarray
    chip_producer: np.ndarray
    chip_hbm_tier: np.ndarray
    chip_hbm_penalty: np.ndarray

    # grids (N,)
    grid_country: np.ndarray
    grid_demand_growth_per_year: np.ndarray
    grid_price0: np.ndarray
    grid_reserve_target: np.ndarray
    grid_approvals0: np.ndarray  # per first-stage turn
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
    event_target_kind: np.ndarray  # 0 none, 1 chip, 2 grid, 3 gov, 4 lab, 5 country's labs, 6 market
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
    d = level.data
    labs = d["labs"]
    slots = d["founders"]["slots"]
    months = calendar(d["time"])
    govs = [g["id"] for g in d["governments"]]
    index = _Index(govs, d)
    constants = _constants(d)
    year, month = (int(x) for x in d["time"]["start"].split("-"))
    parts = dict(
        level_id=d["id"],
        horizon=d["time"]["horizon_turns"],
        months_per_turn=d["time"]["months_per_turn"],
        start_year=year,
        start_month=month,
        turn_months=_frozen(months),
        turn_years=_frozen(np.concatenate([[0.0], np.cumsum(months) / 12.0])),
        lab_ids=tuple(lab["id"] for lab in labs) + tuple(f"new_{i + 1}" for i in range(slots)),
        lab_names=tuple(lab["name"] or lab["id"] for lab in labs) + tuple(f"New lab {i + 1}" for i in range(slots)),
        chip_ids=tuple(c["id"] for c in d["chips"]),
        chip_names=tuple(c["name"] or c["id"] for c in d["chips"]),
        grid_ids=tuple(g["id"] for g in d["grids"]),
        grid_names=tuple(g["name"] or g["id"] for g in d["grids"]),
        country_ids=tuple(govs),
        country_names=tuple(g["name"] or g["id"] for g in d["governments"]),
        market_ids=tuple(m["id"] for m in d["markets"]),
        event_ids=tuple(e["id"] for e in d["events"]),
        founder_names=tuple(tuple(d["founders"]["names"].get(g, [])) for g in govs),
        n_level_labs=len(labs),
        founder_slots=slots,
        founder_seed_usd=d["founders"]["seed_usd"],
        founder_talent_share=d["founders"]["talent_share"],
        founder_rented_mw=d["founders"]["rented_mw"],
        other_compute0=d["world"]["other_compute_h100e"],
        other_compute_growth_per_year=d["world"]["other_compute_growth_per_year"],
        c=constants,
        **_lab_rules(d),
        **_chip_rules(d, index),
        **_grid_rules(d, index),
        **_government_rules(d, index),
        **_market_rules(d, govs),
        **_event_rules(d, index),
        **_style_rules(d),
        **_timeline_rules(d),
    )
    parts["per_turn"] = tuple(_turn_constants(d, constants, parts, months, t) for t in range(len(months)))
    return Rules(**parts)


class _Index:
    """Id -> position maps for cross-references inside a level."""

    def __init__(self, govs, d):
        self.gov = {g: i for i, g in enumerate(govs)}
        self.chip = {c["id"]: i for i, c in enumerate(d["chips"])}
        self.grid = {g["id"]: i for i, g in enumerate(d["grids"])}
        self.lab = {lab["id"]: i for i, lab in enumerate(d["labs"])}
        self.market = {m["id"]: i for i, m in enumerate(d["markets"])}


def _lab_rules(d) -> dict:
    labs, slots = d["labs"], d["founders"]["slots"]
    build_months = d["rules"]["power"]["dc_build_months"]

    def column(key, blank):
        return _frozen([lab[key] for lab in labs] + [blank] * slots)

    return dict(
        lab_playable=column("playable", False),
        lab_build_months=_frozen([build_months / lab["build_speed"] for lab in labs] + [float(build_months)] * slots),
        lab_run_turns=column("run_turns", 2),
        lab_parent_funding=column("parent_funding_usd_per_turn", 0.0),
        lab_state_backed=column("state_backed", False),
    )


def _chip_rules(d, index) -> dict:
    chips = d["chips"]
    comp = d["rules"]["compute"]
    watts_to_mw = comp["server_overhead"] * comp["pue"] / 1e6
    return dict(
        chip_perf_train=_frozen([c["perf_train"] for c in chips]),
        chip_perf_infer=_frozen([c["perf_infer"] for c in chips]),
        chip_power_mw=_frozen([c["power_w"] * watts_to_mw for c in chips]),
        chip_price0=_frozen([c["price_usd"] for c in chips]),
        chip_supply0=_frozen([c["supply_per_turn"] for c in chips]),
        chip_growth_per_year=_frozen([c["supply_growth_per_year"] for c in chips]),
        chip_available=_frozen([c["available_turn"] for c in chips]),
        chip_control_tier=_frozen([c["control_tier"] for c in chips]),
        chip_domestic_only=_frozen([c["domestic_only"] for c in chips]),
        chip_producer=_frozen([index.gov[c["producer"]] for c in chips]),
        chip_hbm_tier=_frozen([c["hbm_tier"] for c in chips]),
        chip_hbm_penalty=_frozen([c["hbm_growth_penalty"] for c in chips]),
    )


def _grid_rules(d, index) -> dict:
    grids, pw = d["grids"], d["rules"]["power"]
    return dict(
        grid_country=_frozen([index.gov[g["country"]] for g in grids]),
        grid_demand_growth_per_year=_frozen([g["demand_growth_per_year"] for g in grids]),
        grid_price0=_frozen([g["price_usd_per_mwh"] for g in grids]),
        grid_reserve_target=_frozen([g["reserve_target"] for g in grids]),
        grid_approvals0=_frozen([g["approvals_mw_per_turn"] for g in grids]),
        grid_invest_appetite=_frozen([g["invest_appetite"] for g in grids]),
        grid_mix=_frozen([_mix(g["build_mix"]) for g in grids]),
        grid_x=_frozen([g["x"] for g in grids]),
        grid_y=_frozen([g["y"] for g in grids]),
        gen_months=_frozen([pw[f"{k}_months"] for k in ("gas", "solar_storage", "nuclear")]),
        gen_credit=_frozen([1.0, pw["solar_storage_credit"], 1.0]),
    )


def _government_rules(d, index) -> dict:
    govs = d["governments"]
    controls = np.zeros((len(govs), len(govs)), dtype=bool)
    for g in govs:
        for target in g["controls_target"]:
            controls[index.gov[g["id"]], index.gov[target]] = True
    reactions = [(index.gov[g["id"]], x) for g in govs for x in g["reactions"]]

    def reaction(fn, dtype):
        return _frozen(np.array([fn(q) for q in reactions], dtype=dtype))

    return dict(
        controls=_frozen(controls),
        gov_hold_tier=_frozen([g["hold_export_tier"] for g in govs]),
        mega_mw=_frozen([g["mega_project_mw"] for g in govs]),
        mega_usd=_frozen([g["mega_project_usd"] for g in govs]),
        reaction_gov=reaction(lambda q: q[0], np.int64),
        reaction_when=reaction(lambda q: CONDITIONS.index(q[1]["when"]), np.int64),
        reaction_threshold=reaction(lambda q: q[1]["threshold"], float),
        reaction_then=reaction(lambda q: ACTIONS.index(q[1]["then"]), np.int64),
        reaction_amount=reaction(lambda q: q[1]["amount"], float),
        reaction_chance=reaction(lambda q: q[1]["chance"], float),
        reaction_cooldown=reaction(lambda q: q[1]["cooldown_turns"], np.int64),
    )


def _market_rules(d, govs) -> dict:
    markets = d["markets"]
    return dict(
        market_size0=_frozen([m["usd_per_year"] for m in markets]),
        market_access=_frozen([[m["access"].get(g, 0.0) for g in govs] for m in markets]),
    )


def _event_rules(d, index) -> dict:
    events = d["events"]
    targets = [_event_target(ev, index) for ev in events]

    def column(key, dtype):
        return _frozen(np.array([e[key] for e in events], dtype=dtype))

    return dict(
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
    styles = d["archetypes"]
    return dict(
        style_numbers=_frozen(np.array([[styles[a][k] for k in ARCHETYPE_NUMBERS] for a in ARCHETYPES], dtype=float)),
        style_flags=_frozen(np.array([[styles[a][k] for k in ARCHETYPE_FLAGS] for a in ARCHETYPES], dtype=bool)),
        style_lobby_goal=_frozen(np.array([LOBBY_GOALS.index(styles[a]["lobby_goal"]) for a in ARCHETYPES])),
    )


def _timeline_rules(d) -> dict:
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
    here; ``_turn_constants`` turns them into per-turn figures)."""
    r = d["rules"]
    comp, ch, pw, rs, mk, fi, ta, sa = (r[k] for k in ("compute", "chips", "power", "research", "market", "finance", "talent", "safety"))
    v, tl = d["victory"], d["timeline"]
    return {
        # compute
        "flop_per_h100e": comp["flop_per_h100e"],
        "utilisation": comp["utilisation"],
        "talent_need": comp["talent_need"],
        "multi_site": comp["multi_site"],
        "talent_need_exponent": comp["talent_need_exponent"],
        # chips
        "chip_price_response": ch["price_response"],
        "chip_max_price_step": ch["max_price_step"],
        "smuggle_max": ch["smuggle_max"],
        "smuggle_premium": ch["smuggle_premium"],
        "retaliation_cost": ch["retaliation_cost"],
        "max_spend_share": ch["max_spend_share"],
        # power
        "dc_capex": pw["dc_capex_usd_per_mw"],
        "onsite_capex": pw["onsite_capex_usd_per_mw"],
        "onsite_price": pw["onsite_usd_per_mwh"],
        "ppa_capex": pw["ppa_capex_usd_per_mw"],
        "price_stress": pw["price_stress"],
        "max_price_multiple": pw["max_price_multiple"],
        "gas_carbon": pw["gas_carbon"],
        # research
        "focus_exponent": rs["focus_exponent"],
        "nominal_research": rs["nominal_research_h100e"],
        "research_elasticity": rs["research_elasticity"],
        "distill_gap": rs["distill_gap"],
        "constrained_bonus": rs["constrained_bonus"],
        "run_noise": rs["run_noise"],
        "regulation_drag": rs["regulation_drag"],
        # market
        "growth_per_oom": mk["growth_per_oom"],
        "capability_weight": mk["capability_weight"],
        "price_weight": mk["price_weight"],
        "price_per_oom": mk["price_per_oom"],
        "open_revenue_share": mk["open_revenue_share"],
        # finance
        "revenue_multiple": fi["revenue_multiple"],
        "hype_usd": fi["hype_usd"],
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
        "intel_usd": fi["intel_usd"],
        # talent
        "hire_usd": ta["hire_usd_per_talent"],
        "retention_effect": ta["retention_effect"],
        # safety, the timeline and victory
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
        "frontier0": max(lab["capability"] for lab in d["labs"]),
        # difficulty
        "easy_cash": r["difficulty"]["easy_cash"],
        "hard_cash": r["difficulty"]["hard_cash"],
        "hard_ai_capex": r["difficulty"]["hard_ai_capex"],
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
        "chip_growth": np.array([growth(g) for g in parts["chip_growth_per_year"]]),
        "chip_supply_scale": scale,
        "grid_demand_growth": np.array([growth(g) for g in parts["grid_demand_growth_per_year"]]),
        "approvals": parts["grid_approvals0"] * scale,
        "efficiency_rate": rs["efficiency_per_year"] * dt,
        "reasoning_rate": rs["reasoning_per_year"] * dt,
        "safety_rate": rs["safety_per_year"] * dt,
        "spillover": chance(rs["spillover_per_year"]),
        "open_diffusion": chance(rs["open_diffusion"]),
        "share_inertia": mk["share_inertia"] ** scale,
        "serve_usd": mk["serve_usd_per_h100e_year"] * dt,
        "market_usd": parts["market_size0"] * dt,
        "salary": fi["salary_usd_per_talent_year"] * dt,
        "lobby_usd": fi["lobby_usd"] * scale,
        "intel_keep": (1.0 - fi["intel_decay_per_year"]) ** dt,
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
    return 3, index.gov[target]
