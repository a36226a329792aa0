"""Data centres, the interconnection queue, grids, and how much of each lab's chips get power.

A site's capacity counts once it is built AND either approved by the grid or covered by
on-site generation. Grids approve queued MW pro rata each turn (the labs' and other large
loads'), except that a lab lobbying for permitting gets its own projects fast-tracked: its
queued MW weigh more in the share (``queue_priority``), at the other waiting loads'
expense. A grid whose demand exceeds its firm capacity curtails data-centre load first, and
prices rise with stress. A region can add only so much firm generation a year (turbines,
transformers, crews): operators, power purchase agreements and national projects share that.
A PPA pays for new generation, and firms up a connection date: the load it backs queues like
any other, and whatever of it is still waiting when that generation comes online is
connected then. On-site generation skips the grid but is scarce and dear.
"""

from __future__ import annotations

import numpy as np

from ..level.schema import LOBBY_GOALS
from .util import add_by_grid, by_country, by_country_sum, ratio, sum_by_grid

PERMITTING = LOBBY_GOALS.index("permitting")

STRESS_KNEE = 0.9  # grid stress above which prices start to climb


def _deliver(ring_mw, ring_grid, slot, target):
    """Move the MW due in ``slot`` of a (R, L, S) ring into ``target`` (R, L, N)."""
    add_by_grid(target, ring_grid[:, :, slot], ring_mw[:, :, slot])
    ring_mw[:, :, slot] = 0.0


def schedule(ring_mw, ring_grid, slot, mw, grid, now_slot) -> None:
    """Schedule ``mw`` (R, L) of new capacity on ``grid`` (R, L) into ``slot`` (scalar or
    (L,)) of a (R, L, S) delivery ring, adding it to what the slot already holds.

    Turns lengthen in some levels (the baseline's go from 3 months to 6), so a lead time
    counted in turns shrinks, and orders placed in consecutive turns can come due in the same
    turn. Both must be delivered: the later order adds to the slot, it must not replace the
    earlier one (whose capital was paid). A slot holds one grid's MW, so an order for another
    grid than the MW already there goes one slot later (the builder finishes one site after
    the other), and on while that slot too holds another grid's MW, but never onto
    ``now_slot``, the slot delivered this turn (it would wait a whole lap). Should every slot
    before it hold another grid's MW, the order joins the last one tried and that slot keeps
    its earlier grid (practically unreachable: every slot from the one due to the end of the
    lap must hold earlier orders for other grids than this one). An order of 0 MW changes
    nothing, neither MW nor grid.
    """
    R, L, S = ring_mw.shape
    rows, cols = np.indices((R, L))
    go = mw > 0
    slot = np.broadcast_to(slot, (R, L))
    for _ in range(S):  # at most a lap
        taken = go & (ring_mw[rows, cols, slot] > 0) & (ring_grid[rows, cols, slot] != grid)
        later = (slot + 1) % S
        move = taken & (later != now_slot)
        if not move.any():
            break
        slot = np.where(move, later, slot)
    held = ring_mw[rows, cols, slot]
    ring_grid[rows, cols, slot] = np.where(go & ~(held > 0), grid, ring_grid[rows, cols, slot])
    ring_mw[rows, cols, slot] = np.where(go, held + mw, held)


def construction(s, lab, rules, rep) -> np.ndarray:
    """Deliver finished builds, start new ones; returns capital spent per lab (R, L)."""
    c = rules.at(s.turn)
    t = s.turn
    B = s.dc_ring_mw.shape[2]
    O = s.onsite_ring_mw.shape[2]
    _deliver(s.dc_ring_mw, s.dc_ring_grid, t % B, s.built)
    _deliver(s.onsite_ring_mw, s.onsite_ring_grid, t % O, s.onsite)

    mega = rep.mega_mw
    build = lab.build_mw + mega
    grid = lab.build_grid
    schedule(s.dc_ring_mw, s.dc_ring_grid, (t + c["build_turns"]) % B, build, grid, t % B)
    # Turbine and battery makers deliver only so much per country per turn: orders share it.
    ordered = by_country_sum(lab.onsite_mw, s.country, len(rules.country_ids))  # (R, C)
    supply = c["onsite_supply"]
    fill = np.minimum(1.0, ratio(supply, ordered, fill=1.0))
    onsite = lab.onsite_mw * by_country(fill, s.country)
    rep.onsite_fill = by_country(fill, s.country)
    schedule(s.onsite_ring_mw, s.onsite_ring_grid, (t + c["onsite_turns"]) % O, onsite, grid, t % O)
    # A national project brings its own generation and skips the queue; the rest queues,
    # PPA-backed load too (see grids_and_power).
    add_by_grid(s.queued, grid, lab.build_mw)
    add_by_grid(s.approved, grid, mega)
    rep.ppa_ordered = lab.ppa_mw
    rep.ppa_grid = grid
    rep.mega_by_grid = sum_by_grid(mega, grid, s.capacity.shape[1])
    return lab.build_mw * c["dc_capex"] + onsite * c["onsite_capex"]


def _connect_ppa(s, slot) -> None:
    """PPA generation due in ``slot`` comes online: it connects as much of the lab's load
    still waiting on that grid as it backs (load the queue approved meanwhile needs none)."""
    due = s.ppa_ring_mw[:, :, slot]
    grid = s.ppa_ring_grid[:, :, slot]
    waiting = np.maximum(np.take_along_axis(s.queued, grid[:, :, None], axis=2)[:, :, 0], 0.0)
    moved = np.minimum(due, waiting)
    add_by_grid(s.queued, grid, -moved)
    add_by_grid(s.approved, grid, moved)
    s.ppa_ring_mw[:, :, slot] = 0.0


def fast_track(spend, c):
    """The weight in its grids' approvals that lobbying ``spend`` for permitting buys a lab's
    own projects (designated for fast-track review): rising with the spend as the lobbying's
    policy odds do, half of ``fast_track`` more at the spend that gives even odds of a policy
    move; 1 for no spend."""
    return 1.0 + c["fast_track"] * ratio(spend, spend + c["lobby_usd"])


def queue_priority(s, lab, rules) -> np.ndarray:
    """(R, L) each lab's weight in its grids' approvals: ``fast_track`` for a lab whose
    lobbying this turn is for permitting, 1 for the others."""
    return fast_track(np.where(lab.lobby_goal == PERMITTING, lab.lobby_usd, 0.0), rules.at(s.turn))


def grids_and_power(s, grid_orders, rules, rep, priority):
    """Grid investment, approvals, loads, curtailment and prices (``priority``: each lab's
    weight in the approvals, ``queue_priority``).

    Returns per lab: the share of chip power actually delivered, the chip load in MW,
    and the power bill in USD.
    """
    c = rules.at(s.turn)
    t = s.turn
    _connect_ppa(s, t % s.ppa_ring_mw.shape[2])

    # New generation arrives; operators, PPAs and national projects start more, within what
    # the region can build this turn (national projects bring their own).
    rings = (s.gas_ring, s.solar_ring, s.nuclear_ring)
    carbon = (c["gas_carbon"], 0.0, 0.0)
    wish = np.maximum(np.nan_to_num(grid_orders.invest, posinf=0.0), 0.0)  # (R, N, 3) nameplate
    ppa = sum_by_grid(rep.ppa_ordered, rep.ppa_grid, s.capacity.shape[1])  # firm MW of PPAs asked for
    # Firm MW the region can build this turn; faster permitting lets it build more.
    room = np.maximum(c["grid_build"][None, :], 0.0) * np.sqrt(s.permitting[:, rules.grid_country])
    ppa_fill = np.minimum(1.0, ratio(room, ppa, fill=1.0))
    left = np.maximum(room - ppa * ppa_fill, 0.0)
    firm_wish = np.einsum("rnk,k->rn", wish, rules.gen_credit)
    operator = np.minimum(1.0, ratio(left, firm_wish, fill=1.0))
    invest = wish * operator[:, :, None]
    invest[:, :, 1] += ppa * ppa_fill / rules.gen_credit[1]
    invest[:, :, 0] += rep.mega_by_grid
    rep.build_room_used = ratio(ppa * ppa_fill + firm_wish * operator, room, fill=0.0)
    # A PPA's generation comes online after its lead time; what the region could not build
    # is not contracted (that load just waits in the queue). The lab pays for what it got.
    filled = rep.ppa_ordered * np.take_along_axis(ppa_fill, rep.ppa_grid, axis=1)
    S = s.ppa_ring_mw.shape[2]
    schedule(s.ppa_ring_mw, s.ppa_ring_grid, (t + c["gen_turns"][1]) % S, filled, rep.ppa_grid, t % S)
    rep.ppa_spend = filled * c["ppa_capex"]
    s.cash = s.cash - rep.ppa_spend
    for kind, ring in enumerate(rings):
        P = ring.shape[2]
        arriving = ring[:, :, t % P] * rules.gen_credit[kind]
        ring[:, :, t % P] = 0.0
        new_capacity = s.capacity + arriving
        s.carbon = ratio(s.carbon * s.capacity + arriving * carbon[kind], new_capacity)
        s.capacity = new_capacity
        ring[:, :, (t + c["gen_turns"][kind]) % P] += invest[:, :, kind]
    s.demand = s.demand * c["grid_demand_growth"][None, :]

    # Interconnection: approvals shared pro rata over everything waiting in the queue, a
    # fast-tracked lab's MW weighing more (none gets more than it asked for). Other large
    # loads keep asking too; most of those requests are speculative (grid demand grows at
    # its own rate), so they only hold places in the queue.
    s.queue_other = s.queue_other + c["other_requests"][None, :]
    approvals = np.maximum(np.nan_to_num(grid_orders.approvals, posinf=0.0), 0.0) * s.permitting[:, rules.grid_country]
    waiting = np.einsum("rln->rn", s.queued) + s.queue_other
    claims = np.einsum("rln->rn", s.queued * priority[:, :, None]) + s.queue_other
    per_claim = ratio(approvals, claims, fill=1.0)  # approvals per MW of weight 1
    granted = s.queued * np.minimum(1.0, priority[:, :, None] * per_claim[:, None, :])
    s.queued -= granted
    s.approved += granted
    s.queue_other = s.queue_other * (1.0 - np.minimum(1.0, per_claim))
    s.queue_wait = np.minimum(ratio(waiting, approvals, fill=99.0), 99.0)  # turns, (R, N)

    # Which capacity can run: grid-connected first, then on-site generation.
    grid_conn = np.minimum(s.built, s.approved)
    unconnected = s.built - grid_conn
    onsite_use = np.minimum(unconnected, s.onsite)
    grid_mw = np.einsum("rln->rl", grid_conn)
    onsite_mw = np.einsum("rln->rl", onsite_use)
    capacity = grid_mw + onsite_mw
    chip_mw = s.chips @ rules.chip_power_mw
    util = np.minimum(1.0, ratio(chip_mw, capacity)) * s.alive
    grid_load = np.einsum("rln,rl->rn", grid_conn, util)  # (R, N)

    # A shortfall beyond the grid's emergency margin (imports, demand response) is shed, data
    # centres first: their interruptible load weighs more in who gets cut.
    firm = s.capacity * (1.0 - s.outage)
    need = s.demand + grid_load
    short = np.maximum(need - firm * (1.0 + c["emergency_margin"]), 0.0)
    weight = c["dc_curtail_weight"]
    s.curtail = np.clip(ratio(weight * short, s.demand + weight * grid_load), 0.0, 1.0)
    stress = ratio(need, firm, fill=9.0)
    multiple = np.minimum(c["max_price_multiple"], np.exp(c["price_stress"] * np.maximum(0.0, stress - STRESS_KNEE)))
    s.price = rules.grid_price0[None, :] * multiple

    # Each lab runs its sites at the same utilisation; curtailment cuts the grid-fed part.
    kept = 1.0 - s.curtail
    grid_delivered = np.einsum("rln,rn->rl", grid_conn, kept) * util
    onsite_delivered = onsite_mw * util
    powered = grid_delivered + onsite_delivered
    power_frac = np.where(chip_mw > 0, np.minimum(1.0, ratio(powered, chip_mw, fill=1.0)), 1.0)
    hours = c["hours_per_turn"]
    bill = (np.einsum("rln,rn->rl", grid_conn, kept * s.price) * util + onsite_delivered * c["onsite_price"]) * hours

    rep.stress = stress
    rep.grid_load = grid_load
    rep.power_mw = powered
    rep.chip_mw = chip_mw
    rep.site_mw = capacity
    rep.power_bill = bill
    # What kept chips dark: missing capacity (waiting on the queue or on construction) or curtailment.
    waiting_mw = np.einsum("rln->rl", s.queued) + np.einsum("rln->rl", unconnected) - onsite_mw
    rep.short_capacity = np.maximum(0.0, chip_mw - capacity)
    rep.waiting_mw = waiting_mw
    rep.curtailed_mw = np.einsum("rln,rn->rl", grid_conn, s.curtail) * util
    rep.sites = grid_conn + onsite_use
    return power_frac, chip_mw, bill
