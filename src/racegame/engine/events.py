"""Random and scripted events: shocks to supply, grids, markets, policy and labs.

Policy effects overwrite this turn's government orders (a scripted inject beats the AI);
the rest change the state directly. Temporary effects count down and then lift.
"""

from __future__ import annotations

import numpy as np

from ..level.schema import EFFECTS
from .util import any_over, max_over, pick_among

(CHIP_SUPPLY, CHIP_PRICE, GRID_CAPACITY, EXPORT_TIER, ENFORCEMENT, SUBSIDY, PERMITTING, REGULATION,
 RETALIATION, MEGA_PROJECT, ALGO_BREAKTHROUGH, MARKET, TALENT, CASH, INCIDENT, SUPPLY_CAPACITY, STEAL_MODEL) = range(len(EFFECTS))


def _count_down(shock, left, neutral):
    """Lift temporary shocks whose time is up (a shock with no time left is permanent)."""
    running = left > 0
    left[running] -= 1
    lifted = running & (left == 0)
    shock[lifted] = neutral


def lift_expired(s) -> None:
    _count_down(s.supply_shock, s.supply_shock_left, 1.0)
    _count_down(s.input_shock, s.input_shock_left, 1.0)
    _count_down(s.market_shock, s.market_shock_left, 1.0)
    _count_down(s.outage, s.outage_left, 0.0)


def start_report(s, rng, rep):
    """The turn report's event fields, empty, and the turn's event draws ((R, 2, E); None
    for a level without events)."""
    R, E = s.event_done.shape
    rep.events = np.zeros((R, E), dtype=bool)
    rep.forced_incident = np.zeros(s.alive.shape, dtype=bool)
    rep.event_lab = np.full((R, E), -1, dtype=np.int64)
    return rng.uniform(s.turn, "events", (2, E)) if E else None


def fire_events(s, govs, rules, rng, rep, injects=None) -> None:
    """Decide which events happen this turn and apply them. ``govs`` are this turn's
    government orders, overwritten in place by policy effects; ``injects`` (R, E) are events
    a facilitator makes happen now, whatever their turn or chance."""
    t = s.turn
    u = start_report(s, rng, rep)
    if u is None:
        return
    scripted = rules.event_turn == t
    window = (rules.event_turn < 0) & (rules.event_first <= t) & (t <= rules.event_last)
    random_fire = window[None, :] & (u[:, 0, :] < rules.event_chance[None, :]) & ~(rules.event_once[None, :] & s.event_done)
    fired = scripted[None, :] | random_fire
    if injects is not None:
        fired = fired | np.asarray(injects, dtype=bool)
    s.event_done |= fired
    rep.events = fired
    for e in np.flatnonzero(fired.any(axis=0)):
        _apply(s, govs, rules, e, fired[:, e], u[:, 1, e], rep)


def _apply(s, govs, rules, e, hit, u_pick, rep) -> None:
    effect, target = rules.event_effect[e], rules.event_target[e]
    amount, duration = rules.event_amount[e], rules.event_duration[e]
    if effect == CHIP_SUPPLY:
        _shock(s.supply_shock, s.supply_shock_left, hit, target, amount, duration)
    elif effect == SUPPLY_CAPACITY:
        _shock(s.input_shock, s.input_shock_left, hit, target, amount, duration)
    elif effect == CHIP_PRICE:
        s.chip_price[hit, target] *= amount
    elif effect == GRID_CAPACITY:
        if duration > 0:
            s.outage[hit, target] = np.clip(-amount, -1.0, 0.99)
            s.outage_left[hit, target] = duration
        else:
            s.capacity[hit, target] *= 1.0 + amount
    elif effect == EXPORT_TIER:
        govs.export_tier[hit, target] = int(round(amount))
    elif effect == ENFORCEMENT:
        govs.enforcement[hit, target] = amount
    elif effect == SUBSIDY:
        govs.subsidy[hit, target] += amount
    elif effect == PERMITTING:
        govs.permitting[hit, target] = amount
    elif effect == REGULATION:
        govs.regulation[hit, target] = amount
    elif effect == RETALIATION:
        govs.retaliation[hit, target] = amount > 0
    elif effect == MEGA_PROJECT:
        govs.start_mega[hit, target] = True
    elif effect == STEAL_MODEL:
        _steal(s, rules, e, hit, u_pick, amount, rep)
    elif effect == MARKET:
        columns = slice(None) if rules.event_target_kind[e] == 0 else target
        if duration > 0:
            s.market_shock[hit, columns] = amount
            s.market_shock_left[hit, columns] = duration
        else:
            s.market_shock[hit, columns] *= amount
    else:
        _apply_to_lab(s, rules, e, effect, hit, u_pick, amount, rep)


def _steal(s, rules, e, hit, u_pick, amount, rep) -> None:
    """A scripted theft, as an intelligence operation that succeeds (see espionage): the
    target government's strongest lab takes the best model of any other country's lab ahead
    of it, adapted (a little weaker). With chance ``amount`` the theft is discovered and the
    victim's government grows hostile. Nothing happens where no rival is ahead."""
    c = rules.at(s.turn)
    g = rules.event_target[e]
    rows = np.arange(hit.shape[0])
    mine = s.alive & (s.country == g)
    own = np.where(mine, s.capability, -np.inf)
    recipient = np.argmax(own, axis=1)
    ahead = s.alive & (s.country != g) & (s.capability > max_over(own, 1)[:, None])
    got = hit & any_over(mine, 1) & any_over(ahead, 1)
    victim = np.argmax(np.where(ahead, s.capability, -np.inf), axis=1)
    stolen = s.capability[rows, victim] - c["adaptation_oom"]
    better = got & (stolen > s.capability[rows, recipient])
    s.capability[rows, recipient] = np.where(better, stolen, s.capability[rows, recipient])
    s.distilled[rows, recipient] = np.where(got, np.maximum(s.distilled[rows, recipient], stolen), s.distilled[rows, recipient])
    rep.event_lab[:, e] = np.where(got, victim, -1)
    seen = got & (u_pick < amount)
    hostile = seen[:, None] & (s.country[rows, victim][:, None] == np.arange(s.tension.shape[1])[None, :])
    s.tension = np.minimum(1.0, s.tension + c["theft_tension"] * hostile)


def _shock(shock, left, hit, target, amount, duration) -> None:
    """A temporary shock sets the multiplier for ``duration`` turns; a permanent one (no
    duration) multiplies it for good."""
    if duration > 0:
        shock[hit, target] = amount
        left[hit, target] = duration
    else:
        shock[hit, target] *= amount


def _apply_to_lab(s, rules, e, effect, hit, u_pick, amount, rep) -> None:
    target = rules.event_target[e]
    if rules.event_target_kind[e] == 4:
        lab = np.where(s.alive[:, target], target, -1)
    else:  # a country: one of its living labs, drawn at random
        lab = pick_among(s.alive & (s.country == target), u_pick)
    rows = np.flatnonzero(hit & (lab >= 0))
    cols = lab[rows]
    rep.event_lab[rows, e] = cols
    if effect == ALGO_BREAKTHROUGH:  # up to the ceiling of what algorithms can do
        old = s.efficiency[rows, cols]
        s.efficiency[rows, cols] = np.minimum(old + amount, np.maximum(old, rules.at(s.turn)["efficiency_ceiling"]))
    elif effect == TALENT:
        s.talent[rows, cols] *= max(0.01, 1.0 + amount)
    elif effect == CASH:
        s.cash[rows, cols] += amount
    elif effect == INCIDENT:
        rep.forced_incident[rows, cols] = True
