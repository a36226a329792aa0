"""Governments follow the reaction rules in their level, and bend to lobbying."""

from __future__ import annotations

import numpy as np

from ..level.schema import ACTIONS, CONDITIONS, LOBBY_GOALS
from ..engine.util import ratio

LOBBY_ACTION = {
    "loosen_controls": ("lower_export_tier", 1.0),
    "tighten_controls": ("raise_export_tier", 1.0),
    "permitting": ("faster_permitting", 0.1),
    "deregulate": ("loosen_regulation", 0.05),
    "subsidy": ("raise_subsidy", 5e8),
}


def condition(view, s, rules, g, when, threshold):
    """Whether government g's condition holds, per replica."""
    name = CONDITIONS[when]
    rivals = rules.controls[g] if rules.controls[g].any() else (np.arange(len(rules.country_ids)) != g)
    mine = view.best_by_country[:, g]
    rival_best = np.where(rivals[None, :], view.best_by_country, -np.inf).max(axis=1)
    lead = np.where(np.isfinite(mine) & np.isfinite(rival_best), mine - rival_best, 0.0)
    if name == "always":
        return np.ones(len(mine), dtype=bool)
    if name == "turn_at_least":
        return np.full(len(mine), s.turn >= threshold)
    if name == "rival_share_above":
        return (view.compute_share * rivals[None, :]).sum(axis=1) > threshold
    if name == "lead_below":
        return lead < threshold
    if name == "lead_above":
        return lead > threshold
    if name == "controls_against_us_at_least":
        return (s.export_tier * rules.controls[:, g][None, :]).max(axis=1) >= threshold
    if name == "power_bound_share_above":
        return view.power_bound_share[:, g] > threshold
    if name == "incidents_at_least":
        return s.incidents_last[:, g] >= max(threshold, 1)
    if name == "lagging_by_more_than":
        return np.where(np.isfinite(mine), view.frontier - mine, 0.0) > threshold
    if name == "milestone_at_least":
        return view.milestone_by_country[:, g] >= threshold
    if name == "rival_milestone_at_least":
        return np.where(rivals[None, :], view.milestone_by_country, 0).max(axis=1) >= threshold
    raise ValueError(name)


def act(orders, g, action, amount, mask) -> None:
    """Apply one policy action for government g where ``mask``."""
    o = orders.govs
    name = ACTIONS[action] if isinstance(action, (int, np.integer)) else action
    step = int(round(amount)) or 1
    if name == "raise_export_tier":
        o.export_tier[:, g] = np.where(mask, np.minimum(3, o.export_tier[:, g] + step), o.export_tier[:, g])
    elif name == "lower_export_tier":
        o.export_tier[:, g] = np.where(mask, np.maximum(0, o.export_tier[:, g] - step), o.export_tier[:, g])
    elif name == "raise_enforcement":
        o.enforcement[:, g] = np.where(mask, np.minimum(1.0, o.enforcement[:, g] + amount), o.enforcement[:, g])
    elif name == "lower_enforcement":
        o.enforcement[:, g] = np.where(mask, np.maximum(0.0, o.enforcement[:, g] - amount), o.enforcement[:, g])
    elif name == "raise_subsidy":
        o.subsidy[:, g] = np.where(mask, o.subsidy[:, g] + amount, o.subsidy[:, g])
    elif name == "cut_subsidy":
        o.subsidy[:, g] = np.where(mask, np.maximum(0.0, o.subsidy[:, g] - amount), o.subsidy[:, g])
    elif name == "faster_permitting":
        o.permitting[:, g] = np.where(mask, np.minimum(10.0, o.permitting[:, g] * (1.0 + amount)), o.permitting[:, g])
    elif name == "tighten_regulation":
        o.regulation[:, g] = np.where(mask, np.minimum(1.0, o.regulation[:, g] + amount), o.regulation[:, g])
    elif name == "loosen_regulation":
        o.regulation[:, g] = np.where(mask, np.maximum(0.0, o.regulation[:, g] - amount), o.regulation[:, g])
    elif name == "start_mega_project":
        o.start_mega[:, g] |= mask
    elif name == "retaliate":
        o.retaliation[:, g] |= mask
    elif name == "end_retaliation":
        o.retaliation[:, g] &= ~mask
    else:
        raise ValueError(name)


def plan_government(view, s, rules, g: int, orders, rng) -> np.ndarray:
    """Write government g's orders (they start as its current policy). Returns the
    (R, Q) mask of its reactions that fired, for the news."""
    R = s.alive.shape[0]
    Q = len(rules.reaction_gov)
    u = rng.uniform(s.turn, "policy", (Q + len(LOBBY_GOALS),))
    fired = np.zeros((R, Q), dtype=bool)
    for q in np.flatnonzero(rules.reaction_gov == g):
        holds = condition(view, s, rules, g, rules.reaction_when[q], rules.reaction_threshold[q])
        fire = holds & (s.reaction_wait[:, q] == 0) & (u[:, q] < rules.reaction_chance[q])
        act(orders, g, rules.reaction_then[q], rules.reaction_amount[q], fire)
        orders.govs.reaction_wait[:, q] = np.where(fire, rules.reaction_cooldown[q], orders.govs.reaction_wait[:, q])
        fired[:, q] = fire
    # Lobbying by the country's labs: more money, better odds of the move they ask for.
    c = rules.at(s.turn)
    mine = s.alive & (s.country == g)
    for i, goal in enumerate(LOBBY_GOALS):
        if goal not in LOBBY_ACTION:
            continue
        spend = (s.lobby_usd * mine * (s.lobby_goal == i)).sum(axis=1)
        chance = c["lobby_effect"] * ratio(spend, spend + c["lobby_usd"])
        action, amount = LOBBY_ACTION[goal]
        act(orders, g, action, amount, u[:, Q + i] < chance)
    if rules.gov_hold_tier[g]:  # a what-if study holds the tier fixed
        orders.govs.export_tier[:, g] = s.export_tier[:, g]
    return fired
