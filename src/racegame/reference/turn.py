"""One turn of the reference engine: the phases in the engine's order, one game at a time."""

from __future__ import annotations

import numpy as np

from ..engine.step import BINDING_THRESHOLD, WAITING_MW
from . import chips, diplomacy, economy, espionage, events, people, policy, power, research, safety, timeline
from .orders import GovOrder, PlainOrders, plain_orders
from .plain import argmax, finite, ratio
from .world import World

SPENDING = ("build_mw", "onsite_mw", "ppa_mw", "hire_usd", "retention_usd", "lobby_usd", "intel_usd", "rent_usd")
FLAGS = ("open_weights", "raise_round", "seek_state", "partner_deal", "token_financing", "commit_pause")
NONE, CASH, CHIPS, EXPORT_CONTROLS, POWER, QUEUE, TALENT = range(7)  # engine.step.BINDING


class Draws:
    """One replica's row of a ``RaceRandom``: the very draws the vectorised engine makes for
    that replica, as plain floats (nested lists for shaped draws)."""

    def __init__(self, rng, row: int = 0):
        self.rng = rng
        self.row = row

    def uniform(self, turn: int, stream: str, shape=()):
        return self.rng.uniform(turn, stream, shape)[self.row].tolist()


class Report:
    """What happened in a turn and why, as plain per-lab (or per-event, ...) lists."""

    def __init__(self, turn: int):
        self.turn = turn

    def as_arrays(self) -> "Report":
        """The same report with each field as a one-replica array, like ``engine.TurnReport``."""
        out = Report(self.turn)
        for name, value in vars(self).items():
            if name != "turn":
                setattr(out, name, np.array(value)[None, ...])
        return out

    def __repr__(self):
        return f"Report(turn={self.turn}, fields={sorted(k for k in vars(self) if k != 'turn')})"


def sanitise(w, lab_orders) -> tuple:
    """Clip what no controller may ask for, and scale each lab's spending to what it can pay.

    Returns the cleaned orders (new records: the caller's are untouched), each lab's spending
    scale and what it wanted to spend.
    """
    c = w.c
    clean, scales, wants = [], [], []
    for lab, order in zip(w.labs, lab_orders):
        o = order.copy()
        # No negative, infinite or unreadable money, and the dead spend nothing.
        o.chip_usd = [max(finite(x, posinf=0.0), 0.0) * lab.alive for x in o.chip_usd]
        for name in SPENDING:
            setattr(o, name, max(finite(getattr(o, name), posinf=0.0), 0.0) * lab.alive)
        o.ppa_mw = min(o.ppa_mw, o.build_mw)  # a PPA backs new capacity, no more
        # Sites go on a home grid. The dead's orders are canonical, so a lab alive in only
        # some replicas of a batch leaves the same state as each replica played alone.
        grid = min(max(o.build_grid, 0), len(w.grids) - 1)
        home = w.grids[grid].country == lab.country
        o.build_grid = grid if home and lab.alive else w.govs[lab.country].first_grid
        o.lobby_goal = min(max(o.lobby_goal, 0), 5) if lab.alive else 0
        for name in FLAGS:
            setattr(o, name, bool(getattr(o, name)) and lab.alive)

        capital = o.build_mw * c["dc_capex"] + o.onsite_mw * c["onsite_capex"] + o.ppa_mw * c["ppa_capex"]
        wanted = sum(o.chip_usd) + capital + o.hire_usd + o.retention_usd + o.lobby_usd + o.intel_usd + o.rent_usd
        budget = c["max_spend_share"] * max(lab.cash, 0.0)
        scale = min(1.0, ratio(budget, wanted, fill=1.0))
        for name in SPENDING:
            setattr(o, name, getattr(o, name) * scale)
        o.chip_usd = [x * scale for x in o.chip_usd]
        clean.append(o)
        scales.append(scale)
        wants.append(wanted)
    return clean, scales, wants


def step_world(w: World, orders: PlainOrders, draws: Draws) -> Report:
    """Resolve one turn in place; returns the report. A finished game stays as it ended
    (the turn is still worked out, for the report, then undone)."""
    saved = w.snapshot() if w.ended else None
    w.c = w.rules.at(w.turn)
    rep = Report(w.turn)
    govs = [GovOrder(**{name: getattr(g, name) for name in GovOrder.__slots__}) for g in orders.govs]

    events.lift_expired(w)
    events.fire_events(w, govs, draws, rep, orders.injects)
    policy.apply_policy(w, govs, orders.reaction_wait, draws, rep)
    diplomacy.agreements(w, govs, rep)

    labs, scale, wanted = sanitise(w, orders.labs)
    rep.spend_scale = [s if x > 0 else 1.0 for s, x in zip(scale, wanted)]
    espionage.security_levels(w, labs)
    diplomacy.pause_caps(w, labs)
    chip_spend = chips.chip_market(w, labs, rep)
    rent_spend = chips.rent_abroad(w, labs, rep)
    capital = power.construction(w, labs, rep)
    for lab in w.labs:
        lab.cash = lab.cash - chip_spend[lab.index] - rent_spend[lab.index] - capital[lab.index]
    power_frac = power.grids_and_power(w, labs, orders.grids, rep)

    before = [lab.capability for lab in w.labs]
    research.compute(w, labs, rep)
    research.train_models(w, labs, draws, rep)
    research.do_research(w, labs, draws, rep)
    diplomacy.share_safety(w, labs, rep)
    research.open_diffusion(w, labs, rep)
    espionage.espionage(w, labs, draws, rep)
    timeline.passages(w, draws, rep)
    diplomacy.broken_commitments(w, labs, rep)
    diplomacy.catch_cheats(w, draws, rep)

    economy.revenue(w, labs, rep)
    people.talent(w, labs, draws, rep)
    extra = [o.hire_usd + o.retention_usd + o.lobby_usd + o.intel_usd for o in labs]
    economy.finance(w, labs, draws, rep, extra)
    for lab, o in zip(w.labs, labs):
        lab.lobby_usd = o.lobby_usd
        # Intelligence builds up and goes stale.
        lab.intel = lab.intel * w.c["intel_keep"] + o.intel_usd / w.c["intel_usd"]
        lab.lobby_goal = o.lobby_goal

    safety.incidents(w, draws, rep)
    for lab in w.labs:
        lab.cap_average = lab.cap_average + w.c["smoothing"] * (lab.capability - lab.cap_average)
        lab.momentum = lab.capability - lab.cap_average
    timeline.update_pace(w, before)
    safety.endings(w, rep)

    rep.power_frac = power_frac
    rep.binding = [binding_constraint(w, rep, lab, power_frac[lab.index]) for lab in w.labs]
    for lab in w.labs:
        lab.binding = rep.binding[lab.index]
    if saved is not None:
        w.restore(saved)
    w.turn += 1
    return rep


def binding_constraint(w, rep, lab, power_frac: float) -> int:
    """Which constraint held the lab back most this turn (index into ``engine.step.BINDING``).

    Each candidate is scored by the share of compute or spending it cost. Full sites while
    the lab has money to grow count as a power problem too: a sensible lab stops buying chips
    it cannot plug in, and that is power binding, not a lack of chips (unless chip makers
    rationed it: then it had room for the chips it was denied). Powered capacity left idle
    because the lab could not pay to fill it is cash binding.
    """
    i = lab.index
    if not (lab.alive or rep.bankrupt[i]):
        return NONE
    rationed = ratio(rep.rationed[i], rep.chip_offer[i])
    # A lab rationed by chip makers had room for the chips it was denied: then chips bind.
    full = rep.chip_mw[i] >= 0.95 * rep.site_mw[i] and lab.cash > 2.0 * rep.costs[i] and rationed <= BINDING_THRESHOLD
    losses = [0.0] * 7
    room = max(rep.site_mw[i] - rep.chip_mw[i], 0.0)
    idle = ratio(room, rep.site_mw[i])
    priced = rep.usd_per_mw[i] < float("inf")  # no chip on sale: money is not what is missing
    short_of_cash = priced and lab.cash < room * rep.usd_per_mw[i]
    losses[CASH] = max(1.0 - rep.spend_scale[i], idle if short_of_cash else 0.0)
    losses[CHIPS] = rationed
    losses[EXPORT_CONTROLS] = rep.control_loss[i]
    losses[POWER] = max(1.0 - power_frac, 0.15 if full else 0.0)
    losses[TALENT] = 1.0 - rep.talent_factor[i]
    # Power problems are queue problems while capacity sits waiting for a grid connection.
    if rep.waiting_mw[i] > WAITING_MW and rep.short_capacity[i] >= rep.curtailed_mw[i]:
        losses[QUEUE], losses[POWER] = losses[POWER], 0.0
    best = argmax(losses)
    return best if losses[best] > BINDING_THRESHOLD else NONE


def reference_step(state, orders, rules, rng):
    """``engine.step`` for a one-replica state, by the reference rules.

    ``rng`` is the game's ``RaceRandom`` for that one replica. Returns ``(new_state, report)``
    with the report's fields as one-replica arrays; the inputs are not modified.
    """
    if state.replicas != 1 or len(rng) != 1:
        raise ValueError("reference_step plays one replica: pass a one-replica state and RaceRandom")
    world = World(rules).load(state)
    rep = step_world(world, plain_orders(orders), Draws(rng))
    return world.to_state(state), rep.as_arrays()

