"""The one place where a person's (or a script's) choices become orders.

A ``PlayerPlan`` holds the levers of GAME_DESIGN in human terms (dollars, megawatts, shares,
yes/no). ``PlanController`` writes it into the player's column of the turn's orders. The
UI edits a plan; scripted strategies produce one each turn; tests build them directly.
``preview`` says what a plan would cost and do before the turn ends.
"""

from __future__ import annotations

from dataclasses import MISSING, asdict, dataclass, field, fields

import numpy as np

from .agents.lab_ai import plan_labs
from .level.fields import Bool, MapOf, Num, Str, Table
from .level.schema import LOBBY_GOALS


class JsonPlan:
    """A plan dataclass as JSON for saves. Reading keeps the fields it knows, so a save from a
    version with more (or fewer) levers still loads; the orders a plan becomes are clipped by
    the engine (``engine.step.sanitise``) whatever the file held."""

    def to_json(self) -> dict:
        return asdict(self)

    @classmethod
    def from_json(cls, blob: dict):
        """The plan in ``blob``; ValueError naming the field if a value is of the wrong kind
        (each is checked like a level's, by the type of its default)."""
        if not isinstance(blob, dict):
            raise ValueError(f"expected a table of levers, got {type(blob).__name__}")
        schema = _plan_schema(cls)
        problems: list[str] = []
        values = schema.check({k: v for k, v in blob.items() if k in schema.fields}, "", problems)
        if problems:
            raise ValueError("; ".join(problems[:3]))
        return cls(**values)


_PLAN_SCHEMAS: dict = {}


def _plan_schema(cls) -> Table:
    if cls not in _PLAN_SCHEMAS:
        _PLAN_SCHEMAS[cls] = Table(fields={f.name: _plan_field(f) for f in fields(cls)})
    return _PLAN_SCHEMAS[cls]


def _plan_field(f):
    default = f.default if f.default is not MISSING else f.default_factory()
    if isinstance(default, bool):
        return Bool(default=default)
    if isinstance(default, (int, float)):
        return Num(default=default, integer=isinstance(default, int))
    if isinstance(default, str):
        return Str(default=default, max_len=200)
    return MapOf(value=Num(), default=default)  # chip_mix: id -> share


@dataclass
class PlayerPlan(JsonPlan):
    chip_budget_usd: float = 0.0
    chip_mix: dict = field(default_factory=dict)  # chip id -> share of the budget; empty = best value
    build_mw: float = 0.0
    build_grid: str = ""  # grid id; empty = the lab's first grid
    onsite_share: float = 0.0  # of the new capacity, powered by on-site generation
    ppa_share: float = 0.0  # of the new capacity, backed by a power purchase agreement
    train: float = 0.5
    serve: float = 0.35
    research: float = 0.15
    focus_efficiency: float = 0.4
    focus_reasoning: float = 0.4
    focus_safety: float = 0.2
    run_turns: int = 2
    open_weights: bool = False
    price_level: float = 1.0
    raise_round: bool = False
    seek_state: bool = False
    partner_deal: bool = False
    token_financing: bool = False
    hire_usd: float = 0.0
    retention_usd: float = 0.0
    lobby_usd: float = 0.0
    lobby_goal: str = "none"
    intel_usd: float = 0.0  # intelligence on rivals: sharper figures in fog-of-war games

    ONE_SHOT = ("raise_round", "seek_state", "partner_deal", "token_financing")

    def after_turn(self) -> None:
        """Financing moves are one-off requests; everything else carries over."""
        for name in self.ONE_SHOT:
            setattr(self, name, False)


def order_values(plan: PlayerPlan, view, state, rules, slot: int) -> dict:
    """The plan as LabOrders column values for ``slot``."""
    K = len(rules.chip_ids)
    mix = np.zeros(K)
    for chip, share in plan.chip_mix.items():
        if chip in rules.chip_ids:
            mix[rules.chip_ids.index(chip)] = max(0.0, float(share))
    if mix.sum() <= 0:  # best value for money among what the lab may legally buy
        available = state.turn >= rules.chip_available
        legal = available & ~view.blocked[0, slot] & ~view.controlled[0, slot]
        if not legal.any():
            legal = available & ~view.blocked[0, slot]
        value = np.where(legal, rules.chip_perf_train / np.maximum(view.unit_price[0, slot], 1.0), 0.0)
        mix[int(np.argmax(value))] = 1.0
    chip_usd = max(0.0, plan.chip_budget_usd) * mix / mix.sum()
    grid = rules.grid_ids.index(plan.build_grid) if plan.build_grid in rules.grid_ids else -1
    if grid < 0 or rules.grid_country[grid] != state.country[0, slot]:
        grid = int(np.flatnonzero(rules.grid_country == state.country[0, slot])[0])
    build = max(0.0, plan.build_mw)
    onsite = min(1.0, max(0.0, plan.onsite_share))
    ppa = min(1.0 - onsite, max(0.0, plan.ppa_share))
    return {
        "chip_usd": chip_usd,
        "build_mw": build,
        "build_grid": grid,
        "onsite_mw": build * onsite,
        "ppa_mw": build * ppa,
        "train": plan.train,
        "serve": plan.serve,
        "research": plan.research,
        "focus_efficiency": plan.focus_efficiency,
        "focus_reasoning": plan.focus_reasoning,
        "focus_safety": plan.focus_safety,
        "run_turns": int(plan.run_turns),
        "open_weights": bool(plan.open_weights),
        "price_level": plan.price_level,
        "raise_round": bool(plan.raise_round),
        "seek_state": bool(plan.seek_state),
        "partner_deal": bool(plan.partner_deal),
        "token_financing": bool(plan.token_financing),
        "hire_usd": max(0.0, plan.hire_usd),
        "retention_usd": max(0.0, plan.retention_usd),
        "lobby_usd": max(0.0, plan.lobby_usd),
        "lobby_goal": LOBBY_GOALS.index(plan.lobby_goal) if plan.lobby_goal in LOBBY_GOALS else 0,
        "intel_usd": max(0.0, plan.intel_usd),
    }


class PlanController:
    """Steers a lab with a ``PlayerPlan`` (the UI changes ``plan`` between turns)."""

    def __init__(self, plan: PlayerPlan | None = None):
        self.plan = plan or PlayerPlan()

    def after_turn(self, model, agent) -> None:
        self.plan.after_turn()

    def decide(self, lab, view, orders) -> None:
        model = lab.model
        orders.labs.set_column(lab.slot, order_values(self.plan, view, model.state, model.rules, lab.slot))


class ScriptController:
    """Steers a lab with a function ``(view, state, rules, slot) -> PlayerPlan`` each turn."""

    def __init__(self, script):
        self.script = script

    def decide(self, lab, view, orders) -> None:
        model = lab.model
        plan = self.script(view, model.state, model.rules, lab.slot)
        orders.labs.set_column(lab.slot, order_values(plan, view, model.state, model.rules, lab.slot))


def advisor_plan(model, slot: int) -> PlayerPlan:
    """What the lab's AI personality would do this turn, as a plan the player can edit."""
    from .engine.observe import observe

    view = model.view if model.view is not None and model.view.turn == model.state.turn else observe(model.state, model.rules)
    values = plan_labs(view, model.state, model.rules, [slot], model.ai_capex)
    rules = model.rules
    one = {k: np.asarray(v)[0, 0] for k, v in values.items()}
    budget = float(one["chip_usd"].sum())
    mix = {rules.chip_ids[k]: float(one["chip_usd"][k] / budget) for k in range(len(rules.chip_ids)) if budget > 0 and one["chip_usd"][k] > 0}
    build = float(one["build_mw"])
    return PlayerPlan(
        chip_budget_usd=budget,
        chip_mix=mix,
        build_mw=build,
        build_grid=rules.grid_ids[int(one["build_grid"])],
        onsite_share=float(one["onsite_mw"]) / build if build > 0 else 0.0,
        ppa_share=float(one["ppa_mw"]) / build if build > 0 else 0.0,
        train=float(one["train"]), serve=float(one["serve"]), research=float(one["research"]),
        focus_efficiency=float(one["focus_efficiency"]), focus_reasoning=float(one["focus_reasoning"]),
        focus_safety=float(one["focus_safety"]), run_turns=int(one["run_turns"]),
        open_weights=bool(one["open_weights"]), price_level=float(one["price_level"]),
        raise_round=bool(one["raise_round"]), seek_state=bool(one["seek_state"]),
        partner_deal=bool(one["partner_deal"]), token_financing=bool(one["token_financing"]),
        hire_usd=float(one["hire_usd"]), retention_usd=float(one["retention_usd"]),
        lobby_usd=float(one["lobby_usd"]), lobby_goal=LOBBY_GOALS[int(one["lobby_goal"])],
    )


def preview(plan: PlayerPlan, model, slot: int) -> dict:
    """Costs and expected effects of a plan, before the turn ends (for one watched game)."""
    from .engine.observe import observe

    rules, s = model.rules, model.state
    c = rules.c
    view = model.view if model.view is not None and model.view.turn == s.turn else observe(s, rules)
    values = order_values(plan, view, s, rules, slot)
    price = view.unit_price[0, slot]
    chips = values["chip_usd"] / np.maximum(price, 1.0)
    leak = np.where(view.controlled[0, slot], view.leak[0], 1.0)
    chips = chips * leak
    capex = values["build_mw"] * c["dc_capex"] + values["onsite_mw"] * c["onsite_capex"] + values["ppa_mw"] * c["ppa_capex"]
    spend = float(values["chip_usd"].sum() + capex + values["hire_usd"] + values["retention_usd"] + values["lobby_usd"] + values["intel_usd"])
    grid = int(values["build_grid"])
    wait = float(view.queue_wait[0, grid])
    build_turns = int(rules.lab_build_turns[slot])
    cash = float(s.cash[0, slot])
    budget = c["max_spend_share"] * max(cash, 0.0)
    return {
        "cash_usd": cash,
        "spend_usd": spend,
        "affordable": spend <= budget,
        "spend_scale": 1.0 if spend <= budget or spend == 0 else budget / spend,
        "chips": {rules.chip_ids[k]: float(chips[k]) for k in range(len(chips)) if chips[k] > 0},
        "chips_h100e": float(chips @ rules.chip_perf_train),
        "chips_mw": float(chips @ rules.chip_power_mw),
        "capex_usd": float(capex),
        "build_ready_turn": s.turn + build_turns,
        "grid_wait_turns": wait,
        "grid_ready_turn": s.turn + max(build_turns, int(np.ceil(wait))),
        "onsite_ready_turn": s.turn + int(c["onsite_turns"]),
        "running_costs_usd": float(view.burn[0, slot]),
        "controlled_classes": [rules.chip_ids[k] for k in np.flatnonzero(view.controlled[0, slot])],
    }


@dataclass
class GovPlan(JsonPlan):
    """A government team's levers, in human terms."""

    export_tier: int = 0
    enforcement: float = 0.5
    subsidy_usd: float = 0.0  # per turn, shared among the country's labs
    permitting: float = 1.0
    regulation: float = 0.0
    start_mega: bool = False  # launch the national compute project (once)
    retaliation: bool = False

    def after_turn(self) -> None:
        self.start_mega = False


def gov_plan_from_state(model, index: int) -> GovPlan:
    """The government's current policy as a plan (what a team starts from)."""
    s = model.state
    return GovPlan(
        export_tier=int(s.export_tier[0, index]),
        enforcement=float(s.enforcement[0, index]),
        subsidy_usd=float(s.subsidy[0, index]),
        permitting=float(s.permitting[0, index]),
        regulation=float(s.regulation[0, index]),
        retaliation=bool(s.retaliation[0, index]),
    )


class GovPlanController:
    """Steers a government with a ``GovPlan`` (a classroom team edits ``plan`` between turns)."""

    def __init__(self, plan: GovPlan | None = None):
        self.plan = plan or GovPlan()

    def after_turn(self, model, agent) -> None:
        # A team starts each turn from the policy actually in force: a scripted inject or an
        # incident may have changed it since the team last decided.
        self.plan = gov_plan_from_state(model, agent.index)

    def decide(self, gov, view, orders) -> None:
        g, plan, o = gov.index, self.plan, orders.govs
        o.export_tier[:, g] = int(min(3, max(0, plan.export_tier)))
        o.enforcement[:, g] = min(1.0, max(0.0, plan.enforcement))
        o.subsidy[:, g] = max(0.0, plan.subsidy_usd)
        o.permitting[:, g] = min(10.0, max(0.1, plan.permitting))
        o.regulation[:, g] = min(1.0, max(0.0, plan.regulation))
        o.start_mega[:, g] = bool(plan.start_mega)
        o.retaliation[:, g] = bool(plan.retaliation)


def controller_for(kind: str, plan_json: dict | None = None):
    """A fresh controller for a seat of ``kind`` ('lab' or 'government'), with a saved plan."""
    if kind == "lab":
        return PlanController(PlayerPlan.from_json(plan_json) if plan_json else None)
    return GovPlanController(GovPlan.from_json(plan_json) if plan_json else None)
