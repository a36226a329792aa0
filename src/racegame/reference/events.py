"""Events, plainly: temporary shocks lift, then this turn's events fire in level order.

Policy effects overwrite this turn's government orders (a scripted inject beats whatever
the government chose); the others change the world directly.
"""

from __future__ import annotations

from ..engine.events import (
    ALGO_BREAKTHROUGH, CASH, CHIP_PRICE, CHIP_SUPPLY, ENFORCEMENT, EXPORT_TIER, GRID_CAPACITY, INCIDENT,
    MARKET, MEGA_PROJECT, PERMITTING, REGULATION, RETALIATION, STEAL_MODEL, SUBSIDY, SUPPLY_CAPACITY, TALENT,
)
from .plain import clip, pick_among


def _count_down(agent, shock: str, left: str, neutral: float) -> None:
    # A shock with no time left was permanent: it never lifts.
    if getattr(agent, left) > 0:
        setattr(agent, left, getattr(agent, left) - 1)
        if getattr(agent, left) == 0:
            setattr(agent, shock, neutral)


def lift_expired(w) -> None:
    for chip in w.chips:
        _count_down(chip, "shock", "shock_left", 1.0)
    for item in w.inputs:
        _count_down(item, "shock", "shock_left", 1.0)
    for market in w.markets:
        _count_down(market, "shock", "shock_left", 1.0)
    for grid in w.grids:
        _count_down(grid, "outage", "outage_left", 0.0)


def fire_events(w, govs, draws, rep, injects=None) -> None:
    """Decide which events happen this turn and apply them; ``govs`` are this turn's
    government orders, overwritten by policy effects."""
    t = w.turn
    n = len(w.events)
    rep.events = [False] * n
    rep.event_lab = [-1] * n
    rep.forced_incident = [False] * len(w.labs)
    if n == 0:
        return
    u_fire, u_pick = draws.uniform(t, "events", (2, n))
    for ev in w.events:
        e = ev.index
        scripted = ev.turn == t
        in_window = ev.turn < 0 and ev.first <= t <= ev.last
        random_fire = in_window and u_fire[e] < ev.chance and not (ev.once and w.event_done[e])
        injected = bool(injects[e]) if injects is not None else False
        rep.events[e] = scripted or random_fire or injected
    # Every event's firing is decided before any is applied: an effect cannot make a later
    # event fire or not this turn.
    for ev in w.events:
        if rep.events[ev.index]:
            w.event_done[ev.index] = True
            _apply(w, govs, ev, u_pick[ev.index], rep)


def _apply(w, govs, ev, u_pick, rep) -> None:
    effect, target, amount, duration = ev.effect, ev.target, ev.amount, ev.duration
    if effect in (CHIP_SUPPLY, SUPPLY_CAPACITY):
        # A temporary shock sets the multiplier; a permanent one multiplies it for good.
        agent = w.chips[target] if effect == CHIP_SUPPLY else w.inputs[target]
        if duration > 0:
            agent.shock = amount
            agent.shock_left = duration
        else:
            agent.shock *= amount
    elif effect == CHIP_PRICE:
        w.chips[target].price *= amount
    elif effect == GRID_CAPACITY:
        grid = w.grids[target]
        if duration > 0:
            grid.outage = clip(-amount, -1.0, 0.99)
            grid.outage_left = duration
        else:
            grid.capacity *= 1.0 + amount
    elif effect == EXPORT_TIER:
        govs[target].export_tier = int(round(amount))
    elif effect == ENFORCEMENT:
        govs[target].enforcement = amount
    elif effect == SUBSIDY:
        govs[target].subsidy += amount
    elif effect == PERMITTING:
        govs[target].permitting = amount
    elif effect == REGULATION:
        govs[target].regulation = amount
    elif effect == RETALIATION:
        govs[target].retaliation = amount > 0
    elif effect == MEGA_PROJECT:
        govs[target].start_mega = True
    elif effect == STEAL_MODEL:
        _steal(w, ev, u_pick, rep)
    elif effect == MARKET:
        markets = w.markets if ev.target_kind == 0 else [w.markets[target]]  # no target: every market
        for market in markets:
            if duration > 0:
                market.shock = amount
                market.shock_left = duration
            else:
                market.shock *= amount
    else:
        _apply_to_lab(w, ev, u_pick, rep)


def _steal(w, ev, u_pick, rep) -> None:
    """A scripted theft: the target government's strongest lab (first on ties) takes the best
    model of any other country's lab ahead of it, less the adaptation loss; with chance
    ``amount`` the victim finds out and its government grows hostile."""
    c = w.c
    mine = [lab for lab in w.labs if lab.alive and lab.country == ev.target]
    if not mine:
        return
    recipient = max(mine, key=lambda lab: (lab.capability, -lab.index))
    ahead = [lab for lab in w.labs if lab.alive and lab.country != ev.target and lab.capability > recipient.capability]
    if not ahead:
        return
    victim = max(ahead, key=lambda lab: (lab.capability, -lab.index))
    stolen = victim.capability - c["adaptation_oom"]
    if stolen > recipient.capability:
        recipient.capability = stolen
    recipient.distilled = max(recipient.distilled, stolen)
    rep.event_lab[ev.index] = victim.index
    if u_pick < ev.amount:
        gov = w.govs[victim.country]
        gov.tension = min(1.0, gov.tension + c["theft_tension"])


def _apply_to_lab(w, ev, u_pick, rep) -> None:
    if ev.target_kind == 4:
        index = ev.target if w.labs[ev.target].alive else -1
    else:  # a country: one of its living labs, drawn at random
        index = pick_among([lab.index for lab in w.labs if lab.alive and lab.country == ev.target], u_pick)
    if index < 0:
        return
    rep.event_lab[ev.index] = index
    lab = w.labs[index]
    if ev.effect == ALGO_BREAKTHROUGH:  # up to the ceiling of what algorithms can do
        lab.efficiency = min(lab.efficiency + ev.amount, max(lab.efficiency, w.c["efficiency_ceiling"]))
    elif ev.effect == TALENT:
        lab.talent *= max(0.01, 1.0 + ev.amount)
    elif ev.effect == CASH:
        lab.cash += ev.amount
    elif ev.effect == INCIDENT:
        rep.forced_incident[index] = True
