"""Rules: everything about a game that does not change while it runs, as frozen arrays.

Built once from a validated level. Yearly rates become per-turn figures here, so the step
never thinks about calendars. Index order everywhere: labs L (the level's labs, then empty
slots for labs founded mid-game), chip classes K, grids N, countries/governments C,
markets M, events E, government reactions Q.
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


def per_turn_growth(per_year: float, dt: float) -> float:
    return (1.0 + per_year) ** dt


def per_turn_chance(per_year: float, dt: float) -> float:
    return 1.0 - (1.0 - per_year) ** dt


@dataclass(frozen=True)
class Rules:
    level_id: str
    horizon: int
    months_per_turn: int
    start_year: int
    start_month: int
    dt: float  # years per turn
    seconds_per_turn: float

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
    lab_build_turns: np.ndarray  # (L,) construction time of a data centre
    lab_run_turns: np.ndarray
    lab_parent_funding: np.ndarray
    lab_state_backed: np.ndarray

    # chips (K,)
    chip_perf_train: np.ndarray
    chip_perf_infer: np.ndarray
    chip_power_mw: np.ndarray  # MW at the wall per chip (with servers and PUE)
    chip_price0: np.ndarray
    chip_supply0: np.ndarray
    chip_growth: np.ndarray  # per turn factor
    chip_available: np.ndarray
    chip_control_tier: np.ndarray
    chip_domestic_only: np.ndarray
    chip_producer: np.ndarray
    chip_hbm_tier: np.ndarray
    chip_hbm_penalty: np.ndarray

    # grids (N,)
    grid_country: np.ndarray
    grid_demand_growth: np.ndarray
    grid_price0: np.ndarray
    grid_reserve_target: np.ndarray
    grid_approvals0: np.ndarray
    grid_invest_appetite: np.ndarray
    grid_mix: np.ndarray  # (N, 3) shares of new generation by kind
    grid_x: np.ndarray
    grid_y: np.ndarray
    gen_turns: np.ndarray  # (3,) lead time of gas, solar_storage, nuclear
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
    market_size0: np.ndarray
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

    # AI personalities (A, ...)
    style_numbers: np.ndarray  # (A, len(ARCHETYPE_NUMBERS))
    style_flags: np.ndarray  # (A, len(ARCHETYPE_FLAGS))
    style_lobby_goal: np.ndarray  # (A,)

    founder_slots: int
    founder_seed_usd: float
    founder_talent_share: float
    founder_rented_mw: float

    other_compute0: float
    other_compute_growth: float

    # tuning constants, per turn where they are rates
    c: dict = field(default_factory=dict)

    @property
    def n_labs(self) -> int:
        return len(self.lab_ids)

    def style(self, name: str) -> np.ndarray:
        """Column of a personality number for every archetype (A,)."""
        return self.style_numbers[:, ARCHETYPE_NUMBERS.index(name)]

    def flag(self, name: str) -> np.ndarray:
        return self.style_flags[:, ARCHETYPE_FLAGS.index(name)]

    def turn_date(self, turn: int) -> str:
        months = self.start_month - 1 + turn * self.months_per_turn
        return f"{self.start_year + months // 12}-{months % 12 + 1:02d}"


def build_rules(level) -> Rules:
    d = level.data
    r = d["rules"]
    months = d["time"]["months_per_turn"]
    dt = months / 12.0
    year, month = (int(x) for x in d["time"]["start"].split("-"))

    govs = [g["id"] for g in d["governments"]]
    gi = {g: i for i, g in enumerate(govs)}
    chips = d["chips"]
    ki = {c["id"]: i for i, c in enumerate(chips)}
    grids = d["grids"]
    ni = {g["id"]: i for i, g in enumerate(grids)}
    labs = d["labs"]
    li = {lab["id"]: i for i, lab in enumerate(labs)}
    slots = d["founders"]["slots"]
    n_labs = len(labs) + slots

    comp = r["compute"]
    watts_to_mw = comp["server_overhead"] * comp["pue"] / 1e6
    build_months = r["power"]["dc_build_months"]

    def lab_column(key, blank):
        return _frozen([lab[key] for lab in labs] + [blank] * slots)

    build_turns = [max(1, math.ceil(math.ceil(build_months / months) / lab["build_speed"])) for lab in labs]
    build_turns += [max(1, math.ceil(build_months / months))] * slots

    controls = np.zeros((len(govs), len(govs)), dtype=bool)
    for g in d["governments"]:
        for target in g["controls_target"]:
            controls[gi[g["id"]], gi[target]] = True

    reactions = [(gi[g["id"]], x) for g in d["governments"] for x in g["reactions"]]

    events = d["events"]
    kinds, targets = [], []
    markets = d["markets"]
    for ev in events:
        kind, index = _event_target(ev, ki, ni, gi, li, {m["id"]: i for i, m in enumerate(markets)})
        kinds.append(kind)
        targets.append(index)

    styles = d["archetypes"]
    style_numbers = [[styles[a][k] for k in ARCHETYPE_NUMBERS] for a in ARCHETYPES]
    style_flags = [[styles[a][k] for k in ARCHETYPE_FLAGS] for a in ARCHETYPES]

    names = d["founders"]["names"]
    pw, rs, mk, fi, ta, sa = (r[k] for k in ("power", "research", "market", "finance", "talent", "safety"))
    constants = {
        # compute
        "flop_per_h100e": comp["flop_per_h100e"],
        "utilisation": comp["utilisation"],
        "training_gain": per_turn_growth(comp["training_gain_per_year"], dt),
        "chip_keep": (1 - comp["chip_retire_per_year"]) ** dt,
        "talent_need": comp["talent_need"],
        "multi_site": comp["multi_site"],
        "talent_need_exponent": comp["talent_need_exponent"],
        # chips
        "chip_price_decline": (1 - r["chips"]["price_decline_per_year"]) ** dt,
        "chip_price_response": r["chips"]["price_response"],
        "chip_max_price_step": r["chips"]["max_price_step"],
        "smuggle_max": r["chips"]["smuggle_max"],
        "smuggle_premium": r["chips"]["smuggle_premium"],
        "retaliation_cost": r["chips"]["retaliation_cost"],
        "chip_ops": r["chips"]["ops_per_year"] * dt,
        "max_spend_share": r["chips"]["max_spend_share"],
        # power
        "dc_capex": pw["dc_capex_usd_per_mw"],
        "onsite_capex": pw["onsite_capex_usd_per_mw"],
        "onsite_turns": max(1, math.ceil(pw["onsite_build_months"] / months)),
        "onsite_price": pw["onsite_usd_per_mwh"],
        "onsite_supply": pw["onsite_supply_mw_per_turn"],
        "onsite_growth": per_turn_growth(pw["onsite_supply_growth_per_year"], dt),
        "ppa_capex": pw["ppa_capex_usd_per_mw"],
        "price_stress": pw["price_stress"],
        "max_price_multiple": pw["max_price_multiple"],
        "gas_carbon": pw["gas_carbon"],
        "hours_per_turn": months * 30.4375 * 24,
        # research
        "efficiency_rate": rs["efficiency_per_year"] * dt,
        "focus_exponent": rs["focus_exponent"],
        "reasoning_rate": rs["reasoning_per_year"] * dt,
        "safety_rate": rs["safety_per_year"] * dt,
        "nominal_research": rs["nominal_research_h100e"],
        "research_elasticity": rs["research_elasticity"],
        "spillover": per_turn_chance(rs["spillover_per_year"], dt),
        "open_diffusion": per_turn_chance(rs["open_diffusion"], dt),
        "distill_gap": rs["distill_gap"],
        "constrained_bonus": rs["constrained_bonus"],
        "run_noise": rs["run_noise"],
        "regulation_drag": rs["regulation_drag"],
        # market
        "growth_per_oom": mk["growth_per_oom"],
        "adoption": per_turn_growth(mk["adoption_per_year"], dt),
        "capability_weight": mk["capability_weight"],
        "price_weight": mk["price_weight"],
        "price_per_oom": mk["price_per_oom"],
        "open_revenue_share": mk["open_revenue_share"],
        "share_inertia": mk["share_inertia"],
        "serve_usd": mk["serve_usd_per_h100e_year"] * dt,
        # finance
        "salary": fi["salary_usd_per_talent_year"] * dt,
        "revenue_multiple": fi["revenue_multiple"],
        "hype_usd": fi["hype_usd"],
        "round_share": fi["round_share"],
        "round_chance": fi["round_chance"],
        "round_cap_usd": fi["round_cap_usd"],
        "raise_cooldown": max(1, math.ceil(fi["raise_cooldown_months"] / months)),
        "state_backing_usd": fi["state_backing_usd"],
        "partner_share": fi["partner_share_of_valuation"],
        "partner_cut": fi["partner_revenue_cut"],
        "token_share": fi["token_share_of_valuation"],
        "token_volatility": fi["token_volatility"],
        "token_fine_chance": fi["token_fine_chance"],
        "token_fine_share": fi["token_fine_share"],
        "champion_weight": fi["subsidy_champion_weight"],
        "lobby_usd": fi["lobby_usd"],
        "lobby_effect": fi["lobby_effect"],
        "intel_usd": fi["intel_usd"],
        "intel_keep": (1 - fi["intel_decay_per_year"]) ** dt,
        # talent
        "hire_usd": ta["hire_usd_per_talent"],
        "attrition": per_turn_chance(ta["attrition_per_year"], dt),
        "founder_chance": per_turn_chance(ta["founder_chance_per_year"], dt),
        "retention_effect": ta["retention_effect"],
        # safety and victory
        "incident_chance": per_turn_chance(sa["incident_per_year"], dt),
        "incident_gap_factor": sa["incident_gap_factor"],
        "incident_reputation": sa["incident_reputation"],
        "incident_regulation": sa["incident_regulation"],
        "safety_start": sa["start_capability"],
        "agi_capability": d["victory"]["agi_capability"],
        "safety_required": d["victory"]["safety_required"],
        "safety_spread": d["victory"]["safety_spread"],
        "score_capability": d["victory"]["score_capability"],
        "score_market": d["victory"]["score_market"],
        "score_cash": d["victory"]["score_cash"],
        "score_safety": d["victory"]["score_safety"],
        "frontier0": max(lab["capability"] for lab in labs),
        # difficulty
        "easy_cash": r["difficulty"]["easy_cash"],
        "hard_cash": r["difficulty"]["hard_cash"],
        "hard_ai_capex": r["difficulty"]["hard_ai_capex"],
    }

    return Rules(
        level_id=d["id"],
        horizon=d["time"]["horizon_turns"],
        months_per_turn=months,
        start_year=year,
        start_month=month,
        dt=dt,
        seconds_per_turn=months * SECONDS_PER_MONTH,
        lab_ids=tuple(lab["id"] for lab in labs) + tuple(f"new_{i + 1}" for i in range(slots)),
        lab_names=tuple(lab["name"] or lab["id"] for lab in labs) + tuple(f"New lab {i + 1}" for i in range(slots)),
        chip_ids=tuple(ki),
        chip_names=tuple(c["name"] or c["id"] for c in chips),
        grid_ids=tuple(ni),
        grid_names=tuple(g["name"] or g["id"] for g in grids),
        country_ids=tuple(govs),
        country_names=tuple(g["name"] or g["id"] for g in d["governments"]),
        market_ids=tuple(m["id"] for m in markets),
        event_ids=tuple(e["id"] for e in events),
        founder_names=tuple(tuple(names.get(g, [])) for g in govs),
        n_level_labs=len(labs),
        lab_playable=lab_column("playable", False),
        lab_build_turns=_frozen(build_turns),
        lab_run_turns=lab_column("run_turns", 2),
        lab_parent_funding=lab_column("parent_funding_usd_per_turn", 0.0),
        lab_state_backed=lab_column("state_backed", False),
        chip_perf_train=_frozen([c["perf_train"] for c in chips]),
        chip_perf_infer=_frozen([c["perf_infer"] for c in chips]),
        chip_power_mw=_frozen([c["power_w"] * watts_to_mw for c in chips]),
        chip_price0=_frozen([c["price_usd"] for c in chips]),
        chip_supply0=_frozen([c["supply_per_turn"] for c in chips]),
        chip_growth=_frozen([per_turn_growth(c["supply_growth_per_year"], dt) for c in chips]),
        chip_available=_frozen([c["available_turn"] for c in chips]),
        chip_control_tier=_frozen([c["control_tier"] for c in chips]),
        chip_domestic_only=_frozen([c["domestic_only"] for c in chips]),
        chip_producer=_frozen([gi[c["producer"]] for c in chips]),
        chip_hbm_tier=_frozen([c["hbm_tier"] for c in chips]),
        chip_hbm_penalty=_frozen([c["hbm_growth_penalty"] for c in chips]),
        grid_country=_frozen([gi[g["country"]] for g in grids]),
        grid_demand_growth=_frozen([per_turn_growth(g["demand_growth_per_year"], dt) for g in grids]),
        grid_price0=_frozen([g["price_usd_per_mwh"] for g in grids]),
        grid_reserve_target=_frozen([g["reserve_target"] for g in grids]),
        grid_approvals0=_frozen([g["approvals_mw_per_turn"] for g in grids]),
        grid_invest_appetite=_frozen([g["invest_appetite"] for g in grids]),
        grid_mix=_frozen([_mix(g["build_mix"]) for g in grids]),
        grid_x=_frozen([g["x"] for g in grids]),
        grid_y=_frozen([g["y"] for g in grids]),
        gen_turns=_frozen([max(1, math.ceil(pw[f"{k}_months"] / months)) for k in ("gas", "solar_storage", "nuclear")]),
        gen_credit=_frozen([1.0, pw["solar_storage_credit"], 1.0]),
        controls=_frozen(controls),
        gov_hold_tier=_frozen([g["hold_export_tier"] for g in d["governments"]]),
        mega_mw=_frozen([g["mega_project_mw"] for g in d["governments"]]),
        mega_usd=_frozen([g["mega_project_usd"] for g in d["governments"]]),
        reaction_gov=_frozen(np.array([q[0] for q in reactions], dtype=np.int64)),
        reaction_when=_frozen(np.array([CONDITIONS.index(q[1]["when"]) for q in reactions], dtype=np.int64)),
        reaction_threshold=_frozen(np.array([q[1]["threshold"] for q in reactions], dtype=float)),
        reaction_then=_frozen(np.array([ACTIONS.index(q[1]["then"]) for q in reactions], dtype=np.int64)),
        reaction_amount=_frozen(np.array([q[1]["amount"] for q in reactions], dtype=float)),
        reaction_chance=_frozen(np.array([q[1]["chance"] for q in reactions], dtype=float)),
        reaction_cooldown=_frozen(np.array([q[1]["cooldown_turns"] for q in reactions], dtype=np.int64)),
        market_size0=_frozen([m["usd_per_year"] for m in markets]),
        market_access=_frozen([[m["access"].get(g, 0.0) for g in govs] for m in markets]),
        event_turn=_frozen(np.array([e["turn"] for e in events], dtype=np.int64)),
        event_chance=_frozen(np.array([e["probability"] for e in events], dtype=float)),
        event_first=_frozen(np.array([e["first_turn"] for e in events], dtype=np.int64)),
        event_last=_frozen(np.array([e["last_turn"] for e in events], dtype=np.int64)),
        event_once=_frozen(np.array([e["once"] for e in events], dtype=bool)),
        event_effect=_frozen(np.array([EFFECTS.index(e["effect"]) for e in events], dtype=np.int64)),
        event_target_kind=_frozen(np.array(kinds, dtype=np.int64)),
        event_target=_frozen(np.array(targets, dtype=np.int64)),
        event_amount=_frozen(np.array([e["amount"] for e in events], dtype=float)),
        event_duration=_frozen(np.array([e["duration_turns"] for e in events], dtype=np.int64)),
        event_titles=tuple(e["title"] or e["id"] for e in events),
        event_news=tuple(e["news"] for e in events),
        style_numbers=_frozen(np.array(style_numbers, dtype=float)),
        style_flags=_frozen(np.array(style_flags, dtype=bool)),
        style_lobby_goal=_frozen(np.array([LOBBY_GOALS.index(styles[a]["lobby_goal"]) for a in ARCHETYPES])),
        founder_slots=slots,
        founder_seed_usd=d["founders"]["seed_usd"],
        founder_talent_share=d["founders"]["talent_share"],
        founder_rented_mw=d["founders"]["rented_mw"],
        other_compute0=d["world"]["other_compute_h100e"],
        other_compute_growth=per_turn_growth(d["world"]["other_compute_growth_per_year"], dt),
        c=constants,
    )


def _mix(shares: dict) -> list:
    kinds = ("gas", "solar_storage", "nuclear")
    total = sum(shares.get(k, 0.0) for k in kinds)
    return [shares.get(k, 0.0) / total for k in kinds]


def _event_target(ev, ki, ni, gi, li, mi):
    """(kind, index) of an event's target; see Rules.event_target_kind."""
    target, effect = ev["target"], ev["effect"]
    if effect in ("chip_supply", "chip_price"):
        return 1, ki[target]
    if effect == "grid_capacity":
        return 2, ni[target]
    if effect in LAB_TARGETED:
        return (4, li[target]) if target in li else (5, gi[target])
    if effect == "market":
        return (6, mi[target]) if target else (0, -1)
    return 3, gi[target]
