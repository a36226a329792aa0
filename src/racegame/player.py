"""The one place where a person's (or a script's) choices become orders.

A ``PlayerPlan`` holds the levers of GAME_DESIGN in human terms (dollars, megawatts, shares,
yes/no), and remembers which of them the player set (``mine``): the advisor drafts only
the others (``advisor.py``). ``PlanController`` writes it into the player's column of the
turn's orders. The UI edits a plan; scripted strategies produce one each turn; tests build
them directly. ``preview`` says what a plan would cost and do before the turn ends.
"""

from __future__ import annotations

from dataclasses import MISSING, asdict, dataclass, field, fields

import numpy as np

from .level.fields import Bool, ListOf, MapOf, Num, Str, Table
from .level.schema import LOBBY_GOALS

# Moves for one turn only: purchases and financing. After the turn they are spent (zero, off)
# and no longer the player's: the next turn starts from nothing, or from the advisor's draft.
ONE_OFF = ("chip_budget_usd", "build_mw", "raise_round", "seek_state", "partner_deal", "token_financing")
# Shares that add to 100%: the player sets them together.
TRIOS = {"split": ("train", "serve", "research"), "focus": ("focus_efficiency", "focus_reasoning", "focus_safety")}


def lever_group(name: str) -> str:
    """The lever a plan field belongs to: a share of a trio counts as its trio."""
    return next((trio for trio, names in TRIOS.items() if name in names), name)


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
    if isinstance(default, list):  # mine: the names of the levers the player set
        return ListOf(item=Str(pattern=r"[a-z_]{1,40}"), default=default, max_len=100)
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
    security: int = 2  # security level of the model weights, 1..5 (one level a turn)
    cap_capability: float = 0.0  # train no model beyond this capability (a pause); 0: no cap
    publish_safety: float = 0.0  # share of safety research published
    commit_pause: bool = False  # a public commitment to pause rather than pass a milestone unprepared
    rent_usd: float = 0.0  # compute rented abroad this turn (what a lab under export controls can still get)
    mine: list = field(default_factory=list)  # the levers the player set (the advisor leaves them alone)

    def __post_init__(self) -> None:
        known = {f.name for f in fields(self)} - {"mine"}
        self.mine = [m for m in dict.fromkeys(self.mine if isinstance(self.mine, list) else []) if m in known]

    def set(self, name: str, value) -> None:
        """The player sets a lever: it is theirs until they hand it back."""
        setattr(self, name, value)
        group = next((trio for trio in TRIOS.values() if name in trio), (name,))
        self.mine = [m for m in self.mine if m not in group] + list(group)

    def release(self) -> None:
        """Hand every lever back to the advisor."""
        self.mine = []

    def after_turn(self) -> None:
        """One-off moves are spent (zero, off) and no longer the player's; the rest carries over."""
        fresh = PlayerPlan()
        for name in ONE_OFF:
            setattr(self, name, getattr(fresh, name))
        self.mine = [m for m in self.mine if m not in ONE_OFF]


def best_value_mix(view, state, rules, slot: int) -> np.ndarray:
    """(R, K): all chip money on the class with the most training performance per dollar the
    lab may legally buy (controlled classes only when nothing else is for sale), per replica."""
    available = state.turn >= state.chip_arrival
    blocked, controlled = view.blocked[:, slot], view.controlled[:, slot]
    legal = available & ~blocked & ~controlled
    legal = np.where(legal.any(axis=1, keepdims=True), legal, available & ~blocked)
    value = np.where(legal, rules.chip_perf_train / np.maximum(view.unit_price[:, slot], 1.0), 0.0)
    mix = np.zeros_like(value)
    mix[np.arange(len(mix)), np.argmax(value, axis=1)] = 1.0
    return mix


def order_values(plan: PlayerPlan, view, state, rules, slot: int) -> dict:
    """The plan as LabOrders column values for ``slot`` (of the first replica's view)."""
    K = len(rules.chip_ids)
    mix = np.zeros(K)
    for chip, share in plan.chip_mix.items():
        if chip in rules.chip_ids:
            mix[rules.chip_ids.index(chip)] = max(0.0, float(share))
    if mix.sum() <= 0:
        mix = best_value_mix(view, state, rules, slot)[0]
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
        "security": int(plan.security),
        "cap_capability": plan.cap_capability,
        "publish_safety": plan.publish_safety,
        "commit_pause": bool(plan.commit_pause),
        "rent_usd": max(0.0, plan.rent_usd),
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


def preview(plan: PlayerPlan, model, slot: int) -> dict:
    """Costs and expected effects of a plan, before the turn ends (for one watched game)."""
    from .engine.observe import observe

    rules, s = model.rules, model.state
    c = rules.at(s.turn)
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
    build_turns = int(rules.at(s.turn)["build_turns"][slot])
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
    pool: float = 0.0  # share of the other labs' compute pooled in the champion (up to the scenario's pool_max)
    start_mega: bool = False  # launch the national compute project (once)
    retaliation: bool = False
    # Diplomacy (engine/diplomacy.py). For each agreement a move this turn: "keep" (stay as
    # it is), "propose", "sign" or "leave", and for the pause "alone" (pause the country's own
    # labs at once, nobody else bound); what is possible depends on its status.
    pause_move: str = "keep"
    safety_move: str = "keep"
    cheat: bool = False  # secretly let its labs past a pause's cap
    tracking: bool = False  # chip-location verification on its chips
    inspections: float = -1.0  # inspections it accepts under a pause, 0..1; below 0: as in force
    intel_usd: float = -1.0  # intelligence services' spending a turn; below 0: as in force

    def after_turn(self) -> None:
        self.start_mega = False
        self.pause_move = self.safety_move = "keep"


def gov_plan_from_state(model, index: int) -> GovPlan:
    """The government's current policy as a plan (what a team starts from)."""
    s = model.state
    return GovPlan(
        export_tier=int(s.export_tier[0, index]),
        enforcement=float(s.enforcement[0, index]),
        subsidy_usd=float(s.subsidy[0, index]),
        permitting=float(s.permitting[0, index]),
        regulation=float(s.regulation[0, index]),
        pool=float(s.pool[0, index]),
        retaliation=bool(s.retaliation[0, index]),
        cheat=bool(s.cheating[0, index]),
        tracking=bool(s.tracking[0, index]),
        inspections=float(s.inspections[0, index]),
        intel_usd=float(s.spy_usd[0, index]),
    )


AGREEMENT_MOVES = ("keep", "propose", "alone", "sign", "leave")


def write_diplomacy(plan: GovPlan, o, g: int) -> None:
    """A team's diplomatic moves into government ``g``'s column of the turn's orders (which
    start from holding everything as it is: signatures kept, nobody leaving)."""
    from .engine.diplomacy import AGREEMENTS, ALONE, PAUSE

    for a, move in enumerate((plan.pause_move, plan.safety_move)[:len(AGREEMENTS)]):
        if move == "propose" and not (o.propose[:, g] > 0).any():  # one proposal a turn: the pause first
            o.propose[:, g] = a + 1
        elif move == "alone" and a == PAUSE:
            o.propose[:, g] = ALONE
        elif move == "sign":
            o.sign[:, g, a] = True
        elif move == "leave":
            o.sign[:, g, a] = False
            o.leave[:, g, a] = True
    o.cheat[:, g] = bool(plan.cheat)
    o.tracking[:, g] = bool(plan.tracking)
    if plan.inspections >= 0:
        o.inspections[:, g] = min(1.0, float(plan.inspections))
    if plan.intel_usd >= 0:
        o.intel_usd[:, g] = float(plan.intel_usd)


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
        o.pool[:, g] = min(1.0, max(0.0, plan.pool))  # the turn holds it to the scenario's pool_max
        o.start_mega[:, g] = bool(plan.start_mega)
        o.retaliation[:, g] = bool(plan.retaliation)
        write_diplomacy(plan, o, g)


class GovPolicyController:
    """A government team's plan played as a policy in many replicas at once (futures): the
    first turn the plan as it stands; every later turn each replica keeps the policy in force
    there (the turn's orders start as that policy). That is what the plan becomes in the game
    itself, where it restarts from the policy in force after every turn
    (``GovPlanController.after_turn``), read here per replica rather than from one of them."""

    def __init__(self, plan: GovPlan, first_turn: int):
        self.plan = GovPlan.from_json(plan.to_json())
        self.first_turn = int(first_turn)

    @classmethod
    def following(cls, controller, model) -> "GovPolicyController":
        return cls(controller.plan, model.state.turn)

    def decide(self, gov, view, orders) -> None:
        if gov.model.state.turn == self.first_turn:
            GovPlanController(self.plan).decide(gov, view, orders)


def controller_for(kind: str, plan_json: dict | None = None):
    """A fresh controller for a seat of ``kind`` ('lab' or 'government'), with a saved plan."""
    if kind == "lab":
        return PlanController(PlayerPlan.from_json(plan_json) if plan_json else None)
    return GovPlanController(GovPlan.from_json(plan_json) if plan_json else None)
