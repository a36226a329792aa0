"""Data centres, the interconnection queue, grids, and how much of each lab's chips get power.

A site counts once it is built AND either approved by the grid or powered on site. Grids
approve queued MW pro rata (labs' and other large loads'), a lab lobbying for permitting
weighing more (its own projects fast-tracked); a grid whose demand exceeds its firm
capacity curtails data-centre load, and its price climbs with stress. A region builds
only so much firm generation a turn, shared by its operator, labs' PPAs and national
projects; a PPA connects the load it backs when its generation comes online.
"""

from __future__ import annotations

import math

from ..engine.power import PERMITTING, STRESS_KNEE
from .plain import clip, exp, finite, ratio

GAS, SOLAR, NUCLEAR = range(3)


def schedule(ring_mw, ring_grid, slot, mw, grid, now) -> None:
    """Schedule ``mw`` on ``grid`` into ``slot`` of one lab's delivery ring (engine.power.schedule).

    Turns lengthen in some levels, so lead times in turns shrink and orders from consecutive
    turns can come due together: the later one adds to the slot. A slot holds one grid's MW,
    so an order for another grid goes one slot later (one site finished after the other),
    and on while that slot too holds another grid's MW, never onto ``now`` (delivered this
    turn); with no slot free before it, the order joins the last one tried, which keeps its
    grid (practically unreachable). An order of 0 MW changes nothing."""
    if not mw > 0:
        return
    size = len(ring_mw)
    while ring_mw[slot] > 0 and ring_grid[slot] != grid and (slot + 1) % size != now:
        slot = (slot + 1) % size
    if not ring_mw[slot] > 0:
        ring_grid[slot] = grid
    ring_mw[slot] = ring_mw[slot] + mw


def construction(w, lab_orders, rep) -> list:
    """Deliver finished builds and start new ones; returns capital spent per lab."""
    c = w.c
    t = w.turn
    for lab in w.labs:
        slot = t % len(lab.dc_ring_mw)
        lab.built[lab.dc_ring_grid[slot]] += lab.dc_ring_mw[slot]
        lab.dc_ring_mw[slot] = 0.0
        slot = t % len(lab.onsite_ring_mw)
        lab.onsite[lab.onsite_ring_grid[slot]] += lab.onsite_ring_mw[slot]
        lab.onsite_ring_mw[slot] = 0.0

    # Turbine and battery makers deliver only so much per country per turn: orders share it.
    supply = c["onsite_supply"]
    ordered = [0.0] * len(w.govs)
    for lab, order in zip(w.labs, lab_orders):
        ordered[lab.country] += order.onsite_mw
    fill = [min(1.0, ratio(supply, x, fill=1.0)) for x in ordered]

    rep.onsite_fill = [0.0] * len(w.labs)
    rep.new_generation = [[0.0, 0.0, 0.0] for _ in w.grids]
    rep.mega_by_grid = [0.0] * len(w.grids)
    rep.ppa_ordered = [o.ppa_mw for o in lab_orders]
    rep.ppa_grid = [o.build_grid for o in lab_orders]
    capital = [0.0] * len(w.labs)
    for lab, order in zip(w.labs, lab_orders):
        i, grid = lab.index, order.build_grid
        mega = rep.mega_mw[i]
        build = order.build_mw + mega
        size = len(lab.dc_ring_mw)
        schedule(lab.dc_ring_mw, lab.dc_ring_grid, (t + int(c["build_turns"][i])) % size, build, grid, t % size)
        onsite = order.onsite_mw * fill[lab.country]
        rep.onsite_fill[i] = fill[lab.country]
        size = len(lab.onsite_ring_mw)
        schedule(lab.onsite_ring_mw, lab.onsite_ring_grid, (t + int(c["onsite_turns"])) % size, onsite, grid, t % size)
        # A national project brings its own generation and skips the queue; the rest queues,
        # PPA-backed load too (see grids_and_power).
        lab.queued[grid] += order.build_mw
        lab.approved[grid] += mega
        rep.new_generation[grid][GAS] += mega
        rep.mega_by_grid[grid] += mega
        capital[i] = order.build_mw * c["dc_capex"] + onsite * c["onsite_capex"]
    return capital


def queue_priority(w, order) -> float:
    """A lab's weight in its grids' approvals: 1, more if it lobbies for permitting this
    turn, half of ``fast_track`` more at the spend that gives even odds of a policy move."""
    spend = order.lobby_usd if order.lobby_goal == PERMITTING else 0.0
    return 1.0 + w.c["fast_track"] * ratio(spend, spend + w.c["lobby_usd"])


def grids_and_power(w, lab_orders, grid_orders, rep) -> list:
    """Generation, approvals, loads, curtailment, prices and bills; returns per lab the
    share of its chips' power actually delivered."""
    c = w.c
    priority = [queue_priority(w, o) for o in lab_orders]
    t = w.turn
    for lab in w.labs:  # PPA generation that comes online connects the backed load still waiting
        slot = t % len(lab.ppa_ring_mw)
        grid = lab.ppa_ring_grid[slot]
        moved = min(lab.ppa_ring_mw[slot], max(lab.queued[grid], 0.0))
        lab.queued[grid] -= moved
        lab.approved[grid] += moved
        lab.ppa_ring_mw[slot] = 0.0
    carbon = (c["gas_carbon"], 0.0, 0.0)
    rep.build_room_used = [0.0] * len(w.grids)
    rep.ppa_spend = [0.0] * len(w.labs)
    for grid, order in zip(w.grids, grid_orders):
        n = grid.index
        # What the region can build this turn goes to PPAs first, then to the operator's plans.
        room = max(c["grid_build"][n], 0.0) * math.sqrt(w.govs[grid.country].permitting)
        ppa = sum(o.ppa_mw for o in lab_orders if o.build_grid == n)
        ppa_fill = min(1.0, ratio(room, ppa, fill=1.0))
        wish = [max(finite(x, posinf=0.0), 0.0) for x in order.invest]
        firm_wish = sum(x * credit for x, credit in zip(wish, w.gen_credit))
        operator = min(1.0, ratio(max(room - ppa * ppa_fill, 0.0), firm_wish, fill=1.0))
        invest = [x * operator for x in wish]
        invest[SOLAR] += ppa * ppa_fill / w.gen_credit[SOLAR]
        invest[GAS] += rep.new_generation[n][GAS]
        rep.build_room_used[n] = ratio(ppa * ppa_fill + firm_wish * operator, room, fill=0.0)
        for lab, o in zip(w.labs, lab_orders):
            if o.build_grid != n:
                continue
            filled = o.ppa_mw * ppa_fill
            size = len(lab.ppa_ring_mw)
            schedule(lab.ppa_ring_mw, lab.ppa_ring_grid, (t + int(c["gen_turns"][SOLAR])) % size, filled, n, t % size)
            rep.ppa_spend[lab.index] = filled * c["ppa_capex"]
            lab.cash = lab.cash - rep.ppa_spend[lab.index]

        # New generation arrives; this turn's starts go into the pipeline.
        for kind, ring in enumerate(grid.rings):
            now = t % len(ring)
            arriving = ring[now] * w.gen_credit[kind]
            ring[now] = 0.0
            new_capacity = grid.capacity + arriving
            grid.carbon = ratio(grid.carbon * grid.capacity + arriving * carbon[kind], new_capacity)
            grid.capacity = new_capacity
            ring[(t + int(c["gen_turns"][kind])) % len(ring)] += invest[kind]
        grid.demand = grid.demand * c["grid_demand_growth"][grid.index]

        # Interconnection: this turn's approvals are shared pro rata over everything waiting,
        # a fast-tracked lab's MW weighing more (none gets more than it asked for); other
        # large loads keep asking (mostly speculative requests that hold places).
        grid.queue_other = grid.queue_other + c["other_requests"][n]
        approvals = max(finite(order.approvals, posinf=0.0), 0.0) * w.govs[grid.country].permitting
        waiting = sum(lab.queued[n] for lab in w.labs) + grid.queue_other
        claims = sum(lab.queued[n] * priority[lab.index] for lab in w.labs) + grid.queue_other
        per_claim = ratio(approvals, claims, fill=1.0)  # approvals per MW of weight 1
        for lab in w.labs:
            granted = lab.queued[n] * min(1.0, priority[lab.index] * per_claim)
            lab.queued[n] -= granted
            lab.approved[n] += granted
        grid.queue_other = grid.queue_other * (1.0 - min(1.0, per_claim))  # speculative requests hold places only
        grid.queue_wait = min(ratio(waiting, approvals, fill=99.0), 99.0)

    # Which capacity can run: grid-connected first, then on-site generation.
    N = len(w.grids)
    conn, own, util = {}, {}, {}
    rep.chip_mw = [0.0] * len(w.labs)
    rep.site_mw = [0.0] * len(w.labs)
    rep.sites = [[0.0] * N for _ in w.labs]  # MW that can run, per lab and grid
    for lab in w.labs:
        i = lab.index
        conn[i] = [min(lab.built[n], lab.approved[n]) for n in range(N)]
        own[i] = [min(lab.built[n] - conn[i][n], lab.onsite[n]) for n in range(N)]
        rep.sites[i] = [conn[i][n] + own[i][n] for n in range(N)]
        rep.site_mw[i] = sum(rep.sites[i])
        rep.chip_mw[i] = sum(count * chip.power_mw for count, chip in zip(lab.chips, w.chips))
        util[i] = min(1.0, ratio(rep.chip_mw[i], rep.site_mw[i])) * lab.alive

    rep.stress = [0.0] * N
    rep.grid_load = [0.0] * N
    for grid in w.grids:
        n = grid.index
        load = sum(conn[lab.index][n] * util[lab.index] for lab in w.labs)
        firm = grid.capacity * (1.0 - grid.outage)
        need = grid.demand + load
        # A shortfall beyond the emergency margin is shed, data centres weighing more.
        short = max(need - firm * (1.0 + c["emergency_margin"]), 0.0)
        weight = c["dc_curtail_weight"]
        grid.curtail = clip(ratio(weight * short, grid.demand + weight * load), 0.0, 1.0)
        stress = ratio(need, firm, fill=9.0)
        grid.price = grid.price0 * min(c["max_price_multiple"], exp(c["price_stress"] * max(0.0, stress - STRESS_KNEE)))
        rep.stress[n] = stress
        rep.grid_load[n] = load

    hours = c["hours_per_turn"]
    power_frac = [1.0] * len(w.labs)
    rep.power_mw = [0.0] * len(w.labs)
    rep.power_bill = [0.0] * len(w.labs)
    rep.waiting_mw = [0.0] * len(w.labs)
    rep.short_capacity = [0.0] * len(w.labs)
    rep.curtailed_mw = [0.0] * len(w.labs)
    for lab in w.labs:
        i = lab.index
        from_grid = [conn[i][n] * util[i] * (1.0 - grid.curtail) for n, grid in enumerate(w.grids)]
        from_site = [own[i][n] * util[i] for n in range(N)]
        powered = sum(from_grid[n] + from_site[n] for n in range(N))
        if rep.chip_mw[i] > 0:
            power_frac[i] = min(1.0, ratio(powered, rep.chip_mw[i], fill=1.0))
        bill_grid = sum(from_grid[n] * grid.price for n, grid in enumerate(w.grids))
        rep.power_bill[i] = bill_grid * hours + sum(from_site) * hours * c["onsite_price"]
        rep.power_mw[i] = powered
        # What kept chips dark: missing capacity (waiting on the queue or on construction)
        # or curtailment.
        rep.waiting_mw[i] = sum(lab.queued) + sum(lab.built[n] - conn[i][n] - own[i][n] for n in range(N))
        rep.short_capacity[i] = max(0.0, rep.chip_mw[i] - rep.site_mw[i])
        rep.curtailed_mw[i] = sum(conn[i][n] * util[i] * grid.curtail for n, grid in enumerate(w.grids))
    return power_frac
