"""The advisor, and a plan as a policy for the turns to come.

The advisor is the lab's own AI personality (``agents.lab_ai.plan_labs``) speaking as a
draft the player can edit. It never overrides what the player set: a plan remembers the
levers the player touched (``PlayerPlan.mine``), and a draft fills only the others.

A plan is also a policy. After a turn, one-off moves (purchases, financing) are spent;
then either the plan carries over as it stands, or (advisor on) the advisor redrafts the
levers the player has not set. ``drafted_values`` is that redraft for any number of
replicas at once: the live game turns its single replica into the plan the player sees
(``draft``), and futures and batches play it directly (``PolicyController``), so a forecast
plays exactly the policy the game will play.
"""

from __future__ import annotations

import numpy as np

from .agents.lab_ai import resplit_power
from .level.schema import LOBBY_GOALS
from .player import ONE_OFF, TRIOS, PlanController, PlayerPlan, best_value_mix, lever_group, order_values

# Plan fields the advisor drafts that map one to one onto an order field.
DIRECT = ("train", "serve", "research", "focus_efficiency", "focus_reasoning", "focus_safety", "run_turns",
          "open_weights", "price_level", "raise_round", "seek_state", "partner_deal", "token_financing", "hire_usd",
          "retention_usd", "lobby_usd", "intel_usd", "security", "cap_capability", "publish_safety", "commit_pause", "rent_usd")


_DEFAULTS = PlayerPlan()


def advisor_values(model, slot: int, view=None) -> dict:
    """The advisor's orders for lab ``slot``: LabOrders field -> (R,) array ((R, K) for chips)."""
    from .engine.observe import observe

    if view is None:
        view = model.view if model.view is not None and model.view.turn == model.state.turn else observe(model.state, model.rules)
    values = {k: np.array(v[:, slot]) for k, v in model.lab_plan(view, 1.0).items()}
    # The engine uses shares in proportion; the advisor states them as the 100% the levers show.
    for trio in TRIOS.values():
        total = sum(values[name] for name in trio)
        for name in trio:
            values[name] = np.where(total > 0, values[name] / np.where(total > 0, total, 1.0), 1.0 / len(trio))
    return values


def drafted_values(values: dict, mine: PlayerPlan, view, state, rules, slot: int) -> dict:
    """The advisor's ``values`` with every standing lever the player set in ``mine`` kept.

    One-off levers are never kept: they were for the turn in which the player set them.
    Works on any number of replicas; the result has the shapes of ``values``."""
    pins = set(mine.mine) - set(ONE_OFF)
    out = {k: np.array(v, copy=True) for k, v in values.items()}
    R = len(out["build_mw"])
    for name in DIRECT:
        if name in pins:
            out[name] = np.full(R, getattr(mine, name))
    if "lobby_goal" in pins:
        out["lobby_goal"] = np.full(R, LOBBY_GOALS.index(mine.lobby_goal) if mine.lobby_goal in LOBBY_GOALS else 0)
    if "chip_mix" in pins:
        total = out["chip_usd"].sum(axis=1, keepdims=True)
        out["chip_usd"] = total * _mix(mine, view, state, rules, slot, R)
    if "build_grid" in pins:
        grid = rules.grid_ids.index(mine.build_grid) if mine.build_grid in rules.grid_ids else -1
        home = rules.grid_country[grid] == state.country[:, slot] if grid >= 0 else np.zeros(R, dtype=bool)
        out["build_grid"] = np.where(home, grid, out["build_grid"])
    if "onsite_share" in pins or "ppa_share" in pins:
        resplit_power(out, mine.onsite_share if "onsite_share" in pins else None,
                      mine.ppa_share if "ppa_share" in pins else None)
    return out


def _mix(plan: PlayerPlan, view, state, rules, slot: int, R: int) -> np.ndarray:
    """(R, K) shares of chip money: the plan's chosen classes, or the best value per replica."""
    mix = np.array([max(0.0, float(plan.chip_mix.get(chip, 0.0))) for chip in rules.chip_ids])
    if mix.sum() > 0:
        return np.broadcast_to(mix / mix.sum(), (R, len(mix)))
    return best_value_mix(view, state, rules, slot)


def plan_from_values(values: dict, rules, replica: int = 0) -> PlayerPlan:
    """The plan a player sees for one replica's orders (the inverse of ``order_values``)."""
    one = {k: np.asarray(v)[replica] for k, v in values.items()}
    budget = float(one["chip_usd"].sum())
    mix = {rules.chip_ids[k]: float(one["chip_usd"][k] / budget) for k in range(len(rules.chip_ids))
           if budget > 0 and one["chip_usd"][k] > 0}
    build = float(one["build_mw"])
    return PlayerPlan(
        chip_budget_usd=budget, chip_mix=mix, build_mw=build, build_grid=rules.grid_ids[int(one["build_grid"])],
        onsite_share=float(one["onsite_mw"]) / build if build > 0 else 0.0,
        ppa_share=float(one["ppa_mw"]) / build if build > 0 else 0.0,
        lobby_goal=LOBBY_GOALS[int(one["lobby_goal"])],
        **{name: type(getattr(_DEFAULTS, name))(one[name]) if name in one else getattr(_DEFAULTS, name)
           for name in DIRECT},
    )


def advisor_plan(model, slot: int) -> PlayerPlan:
    """What the lab's AI personality would do this turn, as a plan the player can edit."""
    return plan_from_values(advisor_values(model, slot), model.rules)


def draft(model, slot: int, mine: PlayerPlan) -> PlayerPlan:
    """This turn's plan by the advisor, keeping every standing lever the player set in ``mine``
    exactly as the player set it."""
    from .engine.observe import observe

    rules, state = model.rules, model.state
    view = model.view if model.view is not None and model.view.turn == state.turn else observe(state, rules)
    values = drafted_values(advisor_values(model, slot, view), mine, view, state, rules, slot)
    plan = plan_from_values(values, rules)
    kept = [name for name in mine.mine if name not in ONE_OFF]
    for name in kept:
        setattr(plan, name, getattr(mine, name))
    plan.mine = kept
    return plan


LEVERS = ("chip_budget_usd", "chip_mix", "build_mw", "build_grid", "onsite_share", "ppa_share", *DIRECT, "lobby_goal")


def changes(before: PlayerPlan, after: PlayerPlan) -> list[str]:
    """The levers that differ between two plans, leaving out those the player set in ``after``
    (money within 1%, shares within half a point count as the same)."""
    out = []
    for name in LEVERS:
        a, b = getattr(before, name), getattr(after, name)
        if name in after.mine:
            continue
        if name == "chip_mix":
            same = set(k for k, v in a.items() if v > 0) == set(k for k, v in b.items() if v > 0)
        elif isinstance(a, float) and not isinstance(a, bool):
            same = abs(a - b) <= max(0.01 * max(abs(a), abs(b)), 0.005)
        else:
            same = a == b
        if not same:
            out.append(name)
    return out


class AdvisedController(PlanController):
    """A person's lab: their plan, and (``advisor`` on) the advisor's redraft after each turn
    of every lever they have not set. ``drafted`` and ``kept`` say what the last redraft
    changed and which of the player's levers it kept, for the desk to show."""

    def __init__(self, plan: PlayerPlan | None = None, advisor: bool = False):
        super().__init__(plan)
        self.advisor = bool(advisor)
        self.drafted: list[str] = []
        self.kept: list[str] = []

    def redraft(self, model, slot: int) -> None:
        """Fill every lever the player has not set with the advisor's choice for this turn."""
        before = self.plan
        self.plan = draft(model, slot, before)
        self.drafted = changes(before, self.plan)
        self.kept = [name for name in self.plan.mine if name in LEVERS]

    def after_turn(self, model, agent) -> None:
        super().after_turn(model, agent)
        self.drafted, self.kept = [], []
        if self.advisor and model.running and model.replicas == 1 and bool(model.state.alive[0, agent.slot]):
            self.redraft(model, agent.slot)


class PolicyController:
    """Plays a player's plan as a policy in many replicas at once (futures, batches).

    The first turn it decides plays ``plan`` exactly as it stands. Later turns play the
    policy: with ``advisor``, the advisor's redraft around the levers the player set;
    without, the plan as it stands, with its one-off moves spent."""

    def __init__(self, plan: PlayerPlan, advisor: bool, first_turn: int):
        self.plan = PlayerPlan.from_json(plan.to_json())
        self.advisor = bool(advisor)
        self.first_turn = int(first_turn)
        self.carried = PlayerPlan.from_json(plan.to_json())
        self.carried.after_turn()

    @classmethod
    def following(cls, controller, model) -> "PolicyController":
        """The policy of a live game's player controller (its plan and advisor setting) from now."""
        return cls(controller.plan, getattr(controller, "advisor", False), model.state.turn)

    @property
    def kept(self) -> list[str]:
        return [name for name in self.plan.mine if name not in ONE_OFF]

    def describe(self) -> str:
        """The policy in words, for the screens that show its futures."""
        kept = {lever_group(name) for name in self.kept}
        if not self.advisor:
            return "your plan as it stands, every turn; purchases and financing moves only this turn"
        if not kept:
            return "this turn your plan; every later turn your advisor's draft"
        return (f"this turn your plan; every later turn your advisor's draft, keeping the {len(kept)} "
                f"lever{'s' * (len(kept) != 1)} you set")

    def decide(self, lab, view, orders) -> None:
        model = lab.model
        state, rules, slot = model.state, model.rules, lab.slot
        if state.turn == self.first_turn or not self.advisor:
            plan = self.plan if state.turn == self.first_turn else self.carried
            values = order_values(plan, view, state, rules, slot)
            if not plan.chip_mix:  # best value differs between replicas: choose per replica
                values["chip_usd"] = float(np.sum(values["chip_usd"])) * best_value_mix(view, state, rules, slot)
        else:
            values = drafted_values(advisor_values(model, slot, view), self.plan, view, state, rules, slot)
        orders.labs.set_column(slot, values)


__all__ = ["AdvisedController", "PolicyController", "advisor_plan", "changes", "draft", "drafted_values", "plan_from_values"]
