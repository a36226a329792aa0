"""Governments follow the reaction rules in their level, and bend to lobbying."""

from __future__ import annotations

import numpy as np

from ..level.schema import ACTIONS, CONDITIONS, LOBBY_GOALS
from ..engine.diplomacy import ALONE, paused_alone, verification
from ..engine.util import any_over, max_over, ratio
from .lab_ai import milestone_near

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
    if name == "always":
        return np.ones(len(mine), dtype=bool)
    if name == "turn_at_least":
        return np.full(len(mine), s.turn >= threshold)
    if name == "rival_share_above":
        return (view.compute_share * rivals[None, :]).sum(axis=1) > threshold
    if name in ("lead_below", "lead_above"):
        rival_best = max_over(np.where(rivals[None, :], view.best_by_country, -np.inf), 1)
        lead = np.where(np.isfinite(mine) & np.isfinite(rival_best), mine - rival_best, 0.0)
        return lead < threshold if name == "lead_below" else lead > threshold
    if name == "controls_against_us_at_least":
        return max_over(s.export_tier * rules.controls[:, g][None, :], 1) >= threshold
    if name == "power_bound_share_above":
        return view.power_bound_share[:, g] > threshold
    if name == "incidents_at_least":
        return s.incidents_last[:, g] >= max(threshold, 1)
    if name == "lagging_by_more_than":
        return np.where(np.isfinite(mine), view.frontier - mine, 0.0) > threshold
    if name == "tension_above":
        return s.tension[:, g] > threshold
    if name == "milestone_at_least":
        return view.milestone_by_country[:, g] >= threshold
    if name == "rival_milestone_at_least":
        return max_over(np.where(rivals[None, :], view.milestone_by_country, 0), 1) >= threshold
    raise ValueError(name)


def act(orders, g, action, amount, mask) -> None:
    """Apply one policy action for government g where ``mask``."""
    if not np.any(mask):  # nothing moves (every branch below leaves unmasked replicas be)
        return
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


RESUME_SHARE = 0.4  # a government pausing alone resumes when its lead falls to this share of its restraint


DIPLOMACY_ORDERS = ("propose", "sign", "leave", "inspections", "cheat", "tracking")  # what plan_diplomacy writes


def plan_diplomacy(view, s, rules, g: int, orders, u) -> None:
    """Agreements: a government wants a pause when the world is alarmed (an alignment failure),
    when its own leading lab is near its next milestone and would pass it unprepared, or when
    it trails a rival near a milestone; a leader whose labs are ready does not. It signs what it would
    propose, unless it is hostile; it leaves a pause once its labs are ready and ahead; and,
    tempted, it may cheat when it lags and verification is weak.

    A leader whose labs are not ready may pause alone when its lead can pay for the wait
    (at least its ``restraint`` in OOM): its labs gain safety while rivals close in. It
    resumes once they are ready, or once the lead has shrunk to 40% of the restraint, before
    a rival can overtake: restraint is a bet on the lead, not a gift of it."""
    o = orders.govs
    mine = s.alive & (s.country == g)
    has_lab = any_over(mine, 1)
    if not has_lab.any():
        return
    # A replica where the country has no lab left keeps its orders as they were, as the
    # same game played alone does (this early return), whatever the rest of the batch holds.
    before = {name: getattr(o, name)[:, g].copy() for name in DIPLOMACY_ORDERS}
    best = np.argmax(np.where(mine, s.capability, -np.inf), axis=1)
    rows = np.arange(len(best))
    own_odds = np.where(has_lab, view.next_odds[rows, best], 1.0)
    rivals = _rivals(rules, g)
    rival_best = max_over(np.where(rivals[None, :], view.best_by_country, -np.inf), 1)
    own_best = view.best_by_country[:, g]
    lead = np.where(np.isfinite(own_best) & np.isfinite(rival_best), own_best - rival_best, 0.0)  # < 0: trailing
    rival_milestone = max_over(np.where(rivals[None, :], view.milestone_by_country, 0), 1)
    # Nobody pauses the race over a milestone years away: the leading lab's unreadiness
    # counts as it nears its next milestone (on the 10% belief: it may come early).
    near = np.where(has_lab, milestone_near(view, s, rules, slice(None), True)[0][rows, best], 0.0)
    unready = (1.0 - own_odds) * np.clip(1.0 - np.abs(lead) / 1.0, 0.0, 1.0) * near
    trailing = np.clip(-lead, 0.0, 1.0) * (rival_milestone >= 1)
    motive = np.maximum.reduce([s.alarm, unready, trailing])
    calm = 1.0 - s.tension[:, g]
    coop = rules.gov_cooperation[g]
    pause, safety = 0, 1
    free = s.treaty[:, pause] == 0
    o.propose[:, g] = np.where(free & (u[:, 0] < coop * motive * calm), pause + 1, o.propose[:, g])
    o.propose[:, g] = np.where((o.propose[:, g] == 0) & (s.treaty[:, safety] == 0) & (u[:, 1] < coop * s.alarm * calm), safety + 1, o.propose[:, g])
    o.sign[:, g, pause] = s.treaty_members[:, pause, g] | (u[:, 2] < coop * (motive + 0.3 * s.alarm) * calm * 2.0)
    o.sign[:, g, safety] = s.treaty_members[:, safety, g] | (u[:, 2] < coop * (s.alarm + 0.3) * calm * 2.0)
    ready = (own_odds > 0.8) & (lead >= 0.0)
    restraint = rules.gov_restraint[g]
    affords = (restraint > 0) & (lead >= restraint) & ~ready
    alone_wish = free & affords & (u[:, 4] < coop * np.maximum(s.alarm, 1.0 - own_odds) * calm * 2.0)
    o.propose[:, g] = np.where(alone_wish & (o.propose[:, g] != pause + 1), ALONE, o.propose[:, g])
    in_force = s.treaty[:, pause] == 2
    alone_now = paused_alone(s) & s.treaty_members[:, pause, g]
    squeezed = alone_now & (lead < RESUME_SHARE * restraint)
    o.leave[:, g, pause] = in_force & s.treaty_members[:, pause, g] & (ready | (s.tension[:, g] > 0.7) | squeezed)
    o.inspections[:, g] = np.where(s.treaty_members[:, pause, g] | (o.propose[:, g] == pause + 1), coop, 0.0)
    weak = verification(s, rules) < 0.4
    o.cheat[:, g] = in_force & s.treaty_members[:, pause, g] & ~alone_now & (lead < 0.0) & weak & (u[:, 3] < rules.gov_temptation[g])
    o.tracking[:, g] = o.tracking[:, g] | (s.enforcement[:, g] > 0.7) | s.treaty_members[:, pause, g]
    keep_without_labs(o, g, before, has_lab)


def keep_without_labs(o, g: int, before: dict, has_lab) -> None:
    """Put back government g's diplomacy orders ``before`` (name -> column) in the replicas
    where its country has no lab (``has_lab`` false there): the same game played alone
    returns before writing any."""
    for name, kept in before.items():
        column = getattr(o, name)
        keep = ~has_lab.reshape((-1,) + (1,) * (kept.ndim - 1))
        column[:, g] = np.where(keep, kept, column[:, g])


def _rivals(rules, g):
    """(C,) the countries g races: those its controls target or that target it (else all others)."""
    linked = rules.controls[g] | rules.controls[:, g]
    return linked if linked.any() else np.arange(len(rules.country_ids)) != g


POOL_TRAIL = 0.6  # OOM: a government that may pool its labs' compute does so while its best lab trails by this much


def plan_pool(view, s, rules, g: int, orders) -> None:
    """A government that may pool its labs' compute in one lab (``pool_max`` > 0) pools all it
    may while its best lab trails the best rival's by POOL_TRAIL or more, and only with two
    labs or more to pool: no single lab of its own is in the race, so it backs one. Once
    within reach again it gives the labs their compute back."""
    if rules.gov_pool_max[g] <= 0:
        return
    rivals = _rivals(rules, g)
    rival_best = max_over(np.where(rivals[None, :], view.best_by_country, -np.inf), 1)
    own_best = view.best_by_country[:, g]
    trailing = np.isfinite(own_best) & np.isfinite(rival_best) & (rival_best - own_best >= POOL_TRAIL)
    labs = (s.alive & (s.country == g)).sum(axis=1)
    orders.govs.pool[:, g] = np.where(trailing & (labs >= 2), rules.gov_pool_max[g], 0.0)


def react(view, s, rules, g: int, orders, u) -> np.ndarray:
    """Government g's reaction rules from the level, each with its chance (``u[:, q]``) and
    cooldown; returns the (R, Q) mask of those that fired."""
    Q = len(rules.reaction_gov)
    fired = np.zeros((s.alive.shape[0], Q), dtype=bool)
    for q in np.flatnonzero(rules.reaction_gov == g):
        holds = condition(view, s, rules, g, rules.reaction_when[q], rules.reaction_threshold[q])
        fire = holds & (s.reaction_wait[:, q] == 0) & (u[:, q] < rules.reaction_chance[q])
        act(orders, g, rules.reaction_then[q], rules.reaction_amount[q], fire)
        orders.govs.reaction_wait[:, q] = np.where(fire, rules.reaction_cooldown[q], orders.govs.reaction_wait[:, q])
        fired[:, q] = fire
    return fired


def government_draws(rng, turn: int, g: int, rules) -> tuple[np.ndarray, np.ndarray]:
    """Government g's draws for the turn: (R, Q + lobby goals) for its reactions (one column
    per reaction of the level, each government's own) and for the lobbying it answers, and
    (R, 5) for its diplomacy. Every government has its own lobbying and diplomacy columns:
    two governments deciding on one number would propose, sign, cheat and pause together
    far more often than two separate choices."""
    Q, G, goals = len(rules.reaction_gov), len(rules.country_ids), len(LOBBY_GOALS)
    policy = rng.uniform(turn, "policy", (Q + G * goals,))
    u = np.concatenate([policy[:, :Q], policy[:, Q + g * goals:Q + (g + 1) * goals]], axis=1)
    return u, rng.uniform(turn, "diplomacy", (G, 5))[:, g]


def plan_government(view, s, rules, g: int, orders, rng) -> np.ndarray:
    """Write government g's orders (they start as its current policy). Returns the
    (R, Q) mask of its reactions that fired, for the news."""
    Q = len(rules.reaction_gov)
    u, u_diplomacy = government_draws(rng, s.turn, g, rules)
    fired = react(view, s, rules, g, orders, u)
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
    # Intelligence services: more effort when the country lags, and more again as rivals
    # pass milestones (the stakes rise).
    mine_best = view.best_by_country[:, g]
    lag = np.where(np.isfinite(mine_best), np.maximum(view.frontier - mine_best, 0.0), 0.0)
    rivals = rules.controls[g] | rules.controls[:, g]
    rival_milestone = max_over(np.where(rivals[None, :], view.milestone_by_country, 0), 1)
    base = rules.spy_usd0[g] * c["turn_scale"]
    orders.govs.intel_usd[:, g] = base * (1.0 + lag) * (1.0 + rival_milestone)
    plan_diplomacy(view, s, rules, g, orders, u_diplomacy)
    plan_pool(view, s, rules, g, orders)
    if rules.gov_hold_tier[g]:  # a what-if study holds the tier fixed
        orders.govs.export_tier[:, g] = s.export_tier[:, g]
    return fired
