"""Scripted player strategies: fixed ways of steering one lab, for balance tests and for
classroom comparisons. Each is the AI rulebook with a fixed personality, except doing
nothing, which spends nothing at all, and the human-like plan, which keeps the lab's own
personality with a few changes a thoughtful player makes."""

from __future__ import annotations

import numpy as np

from .agents.lab_ai import plan_labs, resplit_power

STRATEGIES = {
    "rush_compute": dict(capex_share=0.95, dc_share=0.35, onsite_share=0.5, ppa_share=0.0, train=0.75, serve=0.15,
                         research=0.10, focus_efficiency=0.3, focus_reasoning=0.65, focus_safety=0.05, risk=1.0,
                         raise_below_turns=8, open_weights=False),
    "balanced": dict(capex_share=0.55, dc_share=0.25, onsite_share=0.2, ppa_share=0.2, train=0.5, serve=0.3,
                     research=0.2, focus_efficiency=0.4, focus_reasoning=0.35, focus_safety=0.25, risk=0.5,
                     price_level=1.0, raise_below_turns=5, open_weights=False),
    "safety_first": dict(capex_share=0.45, dc_share=0.25, onsite_share=0.1, ppa_share=0.2, train=0.4, serve=0.35,
                         research=0.25, focus_efficiency=0.25, focus_reasoning=0.25, focus_safety=0.5, risk=0.1,
                         raise_below_turns=5, open_weights=False),
    "efficiency_first": dict(capex_share=0.5, dc_share=0.25, onsite_share=0.2, ppa_share=0.1, train=0.45, serve=0.2,
                             research=0.35, focus_efficiency=0.75, focus_reasoning=0.15, focus_safety=0.1, risk=0.5,
                             raise_below_turns=5),
    "open_weights": dict(capex_share=0.55, dc_share=0.25, onsite_share=0.2, ppa_share=0.2, train=0.5, serve=0.3,
                         research=0.2, focus_efficiency=0.4, focus_reasoning=0.4, focus_safety=0.2, risk=0.5,
                         price_level=0.5, raise_below_turns=5, open_weights=True),
    "do_nothing": None,
}
# What a thoughtful player does with the advisor's draft of their own lab: keep its character
# (every number not named here is the lab's own), but invest more of the spare cash, raise
# money well before it runs out, and ship each model a turn sooner.
HUMAN_LIKE = dict(capex_share=0.8, raise_below_turns=10)
STRATEGIES["human_like"] = HUMAN_LIKE
# Orders a strategy changes after the rulebook has drafted them (see LeverController).
ORDER_CHANGES = {"human_like": {"run_turns": -1}}


# Order changes that are shares of the new capacity the rulebook plans to build, as a
# player's plan gives them (player.order_values), rather than amounts.
POWER_SHARES = ("onsite_share", "ppa_share")


class LeverController:
    """Steers a lab by its AI rulebook with some personality numbers overridden and some
    orders changed afterwards (``order_changes``: run_turns is added; ``onsite_share`` and
    ``ppa_share`` power that share of the planned new capacity, exactly, as a player's plan
    does; others are set)."""

    def __init__(self, overrides: dict | None = None, order_changes: dict | None = None):
        self.overrides = dict(overrides or {})
        self.order_changes = dict(order_changes or {})

    def decide(self, lab, view, orders) -> None:
        model = lab.model
        plan = plan_labs(view, model.state, model.rules, [lab.slot], 1.0, self.overrides)
        for name, value in self.order_changes.items():
            if name == "run_turns":
                plan[name] = np.clip(plan[name] + value, 1, 8)
            elif name not in POWER_SHARES:
                plan[name] = np.full_like(np.asarray(plan[name], dtype=float), value)
        if any(name in self.order_changes for name in POWER_SHARES):
            resplit_power(plan, *(self.order_changes.get(name) for name in POWER_SHARES))
        orders.labs.set_columns([lab.slot], plan)


class StrategyController(LeverController):
    """Steers a lab with a scripted strategy, in any number of replicas at once."""

    def __init__(self, name: str):
        if name not in STRATEGIES:
            raise ValueError(f"unknown strategy {name!r}; known: {', '.join(STRATEGIES)}")
        self.name = name
        super().__init__(STRATEGIES[name], ORDER_CHANGES.get(name))

    def decide(self, lab, view, orders) -> None:
        if STRATEGIES[self.name] is None:
            return  # doing nothing: the turn's standing orders, which spend nothing
        super().decide(lab, view, orders)
