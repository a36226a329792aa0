"""Compiled twins of ``power.construction`` and ``power.grids_and_power``: data-centre and
on-site builds, PPAs, new generation, the interconnection queue, loads, curtailment, prices
and bills, one replica at a time (see ``compiled/__init__.py``).

Sums are added in numpy's own order, so that differences of sums (MW still waiting, a grid's
shortfall) come out the same to the last bit: ``einsum`` over a short contiguous axis adds
two interleaved lanes (``einsum_sum``, ``einsum_dot``), ``einsum`` over the lab axis and
``bincount`` add in index order, ``sum`` adds pairwise (``pairwise_sum``). The chips' power
draw stays a numpy matmul: BLAS's order (blocked, fused multiply-adds) is the CPU's own.

``grids_and_power`` runs as two kernels, generation and the queue, then loads and prices:
each replica's step touches some forty arrays, and two passes that touch half as many each
keep more of them in cache (about 1.4 times faster at 5,000 replicas than one pass).
"""

from __future__ import annotations

import math

import numpy as np

from ..power import STRESS_KNEE
from .jit import inline, kernel
from .scalar import einsum_dot, einsum_sum, maximum, minimum, pairwise_sum, ratio


@inline
def _amount(x):
    """np.maximum(np.nan_to_num(x, posinf=0.0), 0.0): a grid order that means anything."""
    return x if x >= 0.0 and x != math.inf else 0.0


@inline
def _schedule(ring_mw, ring_grid, r, l, slot, mw, grid, now):
    """power.schedule for lab ``l`` of replica ``r``: ``mw`` on ``grid`` added into ``slot``
    of a delivery ring, one slot later (and on) while the slot holds another grid's MW, never
    onto ``now``; with no slot free before it, the last one tried keeps its grid (practically
    unreachable). An order of 0 MW changes nothing."""
    if not mw > 0.0:
        return
    size = ring_mw.shape[2]
    while ring_mw[r, l, slot] > 0.0 and ring_grid[r, l, slot] != grid and (slot + 1) % size != now:
        slot = (slot + 1) % size
    if not ring_mw[r, l, slot] > 0.0:
        ring_grid[r, l, slot] = grid
    ring_mw[r, l, slot] = ring_mw[r, l, slot] + mw


@kernel
def _construction(due, build_slot, o_due, o_slot, onsite_supply, dc_capex, onsite_capex, n_countries,
                  country, build_mw, onsite_mw, build_grid, mega_mw,
                  built, onsite, queued, approved, dc_ring_mw, dc_ring_grid, onsite_ring_mw, onsite_ring_grid,
                  onsite_fill, mega_by_grid, capital):
    """Deliver finished builds, start new ones; ``capital`` spent per lab."""
    R, L = build_mw.shape
    N = built.shape[2]
    masked = np.empty(L)
    fill = np.empty(n_countries)
    for r in range(R):
        # Finished builds arrive.
        for l in range(L):
            built[r, l, dc_ring_grid[r, l, due]] += dc_ring_mw[r, l, due]
            dc_ring_mw[r, l, due] = 0.0
            onsite[r, l, onsite_ring_grid[r, l, o_due]] += onsite_ring_mw[r, l, o_due]
            onsite_ring_mw[r, l, o_due] = 0.0
        # Turbine and battery makers deliver only so much per country per turn: orders share it.
        for k in range(n_countries):
            for l in range(L):
                masked[l] = onsite_mw[r, l] * (1.0 if country[r, l] == k else 0.0)
            fill[k] = minimum(1.0, ratio(onsite_supply, pairwise_sum(masked), 1.0))
        for n in range(N):
            mega_by_grid[r, n] = 0.0
        for l in range(L):
            grid = build_grid[r, l]
            mega = mega_mw[r, l]
            _schedule(dc_ring_mw, dc_ring_grid, r, l, build_slot[l], build_mw[r, l] + mega, grid, due)
            onsite_fill[r, l] = fill[country[r, l]]
            got = onsite_mw[r, l] * fill[country[r, l]]
            _schedule(onsite_ring_mw, onsite_ring_grid, r, l, o_slot, got, grid, o_due)
            # A national project brings its own generation and skips the queue; the rest queues.
            queued[r, l, grid] += build_mw[r, l]
            approved[r, l, grid] += mega
            mega_by_grid[r, grid] += mega
            capital[r, l] = build_mw[r, l] * dc_capex + got * onsite_capex


def construction(s, lab, rules, rep) -> np.ndarray:
    """power.construction, compiled."""
    c = rules.at(s.turn)
    t = s.turn
    R, L = s.alive.shape
    N = s.capacity.shape[1]
    B = s.dc_ring_mw.shape[2]
    O = s.onsite_ring_mw.shape[2]
    onsite_fill = np.empty((R, L))
    mega_by_grid = np.empty((R, N))
    capital = np.empty((R, L))
    _construction(t % B, (t + c["build_turns"]) % B, t % O, (t + c["onsite_turns"]) % O, float(c["onsite_supply"]),
                  float(c["dc_capex"]), float(c["onsite_capex"]), len(rules.country_ids),
                  s.country, lab.build_mw, lab.onsite_mw, lab.build_grid, rep.mega_mw,
                  s.built, s.onsite, s.queued, s.approved, s.dc_ring_mw, s.dc_ring_grid, s.onsite_ring_mw, s.onsite_ring_grid,
                  onsite_fill, mega_by_grid, capital)
    rep.onsite_fill = onsite_fill
    rep.ppa_ordered = lab.ppa_mw
    rep.ppa_grid = lab.build_grid
    rep.mega_by_grid = mega_by_grid
    return capital


@kernel
def _generation_and_queue(due, ppa_slot, ring_now, ring_later, grid_country, gen_credit, gas_carbon, grid_build,
                          grid_demand_growth, other_requests, ppa_capex, invest_orders, approval_orders, priority,
                          ppa_ordered, ppa_grid, mega_by_grid, permitting, queued, approved, ppa_ring_mw, ppa_ring_grid,
                          gas_ring, solar_ring, nuclear_ring, cash, capacity, carbon, demand, queue_other,
                          build_room_used, ppa_spend, queue_wait):
    """PPAs, new generation and the interconnection queue (first half of grids_and_power)."""
    R, L, N = queued.shape
    ppa = np.empty(N)
    ppa_fill = np.empty(N)
    invest = np.empty((N, 3))
    waiting = np.empty(N)
    claims = np.empty(N)
    per_claim = np.empty(N)
    for r in range(R):
        # PPA generation due now comes online: it connects as much of the lab's load still
        # waiting on that grid as it backs.
        for l in range(L):
            grid = ppa_ring_grid[r, l, due]
            moved = minimum(ppa_ring_mw[r, l, due], maximum(queued[r, l, grid], 0.0))
            queued[r, l, grid] += -moved
            approved[r, l, grid] += moved
            ppa_ring_mw[r, l, due] = 0.0

        # New generation: PPAs first, then the operator, within what the region can build.
        for n in range(N):
            ppa[n] = 0.0
        for l in range(L):
            ppa[ppa_grid[r, l]] += ppa_ordered[r, l]
        for n in range(N):
            room = maximum(grid_build[n], 0.0) * math.sqrt(permitting[r, grid_country[n]])
            ppa_fill[n] = minimum(1.0, ratio(room, ppa[n], 1.0))
            left = maximum(room - ppa[n] * ppa_fill[n], 0.0)
            gas = _amount(invest_orders[r, n, 0])
            solar = _amount(invest_orders[r, n, 1])
            nuclear = _amount(invest_orders[r, n, 2])
            firm_wish = (gas * gen_credit[0] + nuclear * gen_credit[2]) + solar * gen_credit[1]  # einsum's two lanes
            operator = minimum(1.0, ratio(left, firm_wish, 1.0))
            invest[n, 0] = gas * operator + mega_by_grid[r, n]
            invest[n, 1] = solar * operator + ppa[n] * ppa_fill[n] / gen_credit[1]
            invest[n, 2] = nuclear * operator
            build_room_used[r, n] = ratio(ppa[n] * ppa_fill[n] + firm_wish * operator, room, 0.0)
        for l in range(L):
            filled = ppa_ordered[r, l] * ppa_fill[ppa_grid[r, l]]
            _schedule(ppa_ring_mw, ppa_ring_grid, r, l, ppa_slot, filled, ppa_grid[r, l], due)
            ppa_spend[r, l] = filled * ppa_capex
            cash[r, l] = cash[r, l] - ppa_spend[r, l]
        for kind in range(3):
            ring = gas_ring if kind == 0 else solar_ring if kind == 1 else nuclear_ring
            now = ring_now[kind]
            for n in range(N):
                arriving = ring[r, n, now] * gen_credit[kind]
                ring[r, n, now] = 0.0
                new_capacity = capacity[r, n] + arriving
                carbon[r, n] = ratio(carbon[r, n] * capacity[r, n] + arriving * (gas_carbon if kind == 0 else 0.0),
                                      new_capacity, 0.0)
                capacity[r, n] = new_capacity
                ring[r, n, ring_later[kind]] += invest[n, kind]

        # Interconnection: approvals pro rata over everything waiting, a fast-tracked lab's MW
        # weighing more (none gets more than it asked for).
        waiting[:] = 0.0
        claims[:] = 0.0
        for l in range(L):
            for n in range(N):
                waiting[n] += queued[r, l, n]
                claims[n] += queued[r, l, n] * priority[r, l]
        for n in range(N):
            demand[r, n] = demand[r, n] * grid_demand_growth[n]
            queue_other[r, n] = queue_other[r, n] + other_requests[n]
            approvals = _amount(approval_orders[r, n]) * permitting[r, grid_country[n]]
            per_claim[n] = ratio(approvals, claims[n] + queue_other[r, n], 1.0)
            queue_wait[r, n] = minimum(ratio(waiting[n] + queue_other[r, n], approvals, 99.0), 99.0)
            queue_other[r, n] = queue_other[r, n] * (1.0 - minimum(1.0, per_claim[n]))
        for l in range(L):
            for n in range(N):
                granted = queued[r, l, n] * minimum(1.0, priority[r, l] * per_claim[n])
                queued[r, l, n] -= granted
                approved[r, l, n] += granted


@kernel
def _loads_and_prices(grid_price0, emergency_margin, dc_curtail_weight, max_price_multiple, price_stress, hours,
                      onsite_price, chip_mw, alive, outage, built, onsite, queued, approved, capacity, demand,
                      curtail, price, stress, grid_load, power_frac, power_mw, site_mw, bill, short_capacity, waiting_mw,
                      curtailed_mw, sites):
    """Loads, curtailment, prices and bills (second half of grids_and_power)."""
    R, L, N = queued.shape
    load = np.empty(N)
    grid_conn = np.empty((L, N))
    unconnected = np.empty((L, N))
    onsite_use = np.empty((L, N))
    onsite_mw = np.empty(L)
    util = np.empty(L)
    kept = np.empty((2, N))  # 1 - curtailment, and that times the price
    for r in range(R):
        # Which capacity can run: grid-connected first, then on-site generation.
        load[:] = 0.0
        for l in range(L):
            for n in range(N):
                grid_conn[l, n] = minimum(built[r, l, n], approved[r, l, n])
                unconnected[l, n] = built[r, l, n] - grid_conn[l, n]
                onsite_use[l, n] = minimum(unconnected[l, n], onsite[r, l, n])
                sites[r, l, n] = grid_conn[l, n] + onsite_use[l, n]
            onsite_mw[l] = einsum_sum(onsite_use, l)
            site_mw[r, l] = einsum_sum(grid_conn, l) + onsite_mw[l]
            util[l] = minimum(1.0, ratio(chip_mw[r, l], site_mw[r, l], 0.0)) * (1.0 if alive[r, l] else 0.0)
            for n in range(N):
                load[n] += grid_conn[l, n] * util[l]

        # A shortfall beyond the grid's emergency margin is shed, data centres first.
        for n in range(N):
            grid_load[r, n] = load[n]
            firm = capacity[r, n] * (1.0 - outage[r, n])
            need = demand[r, n] + load[n]
            short = maximum(need - firm * (1.0 + emergency_margin), 0.0)
            cut = ratio(dc_curtail_weight * short, demand[r, n] + dc_curtail_weight * load[n], 0.0)
            curtail[r, n] = minimum(maximum(cut, 0.0), 1.0)
            stress[r, n] = ratio(need, firm, 9.0)
            multiple = minimum(max_price_multiple, math.exp(price_stress * maximum(0.0, stress[r, n] - STRESS_KNEE)))
            price[r, n] = grid_price0[n] * multiple
            kept[0, n] = 1.0 - curtail[r, n]
            kept[1, n] = kept[0, n] * price[r, n]

        # Each lab runs its sites at the same utilisation; curtailment cuts the grid-fed part.
        for l in range(L):
            onsite_delivered = onsite_mw[l] * util[l]
            powered = einsum_dot(grid_conn, l, kept, 0) * util[l] + onsite_delivered
            power_mw[r, l] = powered
            power_frac[r, l] = minimum(1.0, ratio(powered, chip_mw[r, l], 1.0)) if chip_mw[r, l] > 0 else 1.0
            bill[r, l] = (einsum_dot(grid_conn, l, kept, 1) * util[l] + onsite_delivered * onsite_price) * hours
            # What kept chips dark: missing capacity (queue, construction) or curtailment.
            waiting_mw[r, l] = einsum_sum(queued[r], l) + einsum_sum(unconnected, l) - onsite_mw[l]
            short_capacity[r, l] = maximum(0.0, chip_mw[r, l] - site_mw[r, l])
            curtailed_mw[r, l] = einsum_dot(grid_conn, l, curtail, r) * util[l]


def grids_and_power(s, grid_orders, rules, rep, priority):
    """power.grids_and_power, compiled."""
    c = rules.at(s.turn)
    t = s.turn
    R, L, N = s.queued.shape
    S = s.ppa_ring_mw.shape[2]
    rings = (s.gas_ring, s.solar_ring, s.nuclear_ring)
    ring_now = np.array([t % ring.shape[2] for ring in rings])
    ring_later = np.array([(t + c["gen_turns"][kind]) % ring.shape[2] for kind, ring in enumerate(rings)])
    chip_mw = s.chips @ rules.chip_power_mw  # numpy: BLAS's summation order
    cash, capacity, carbon, demand, queue_other = (x.copy() for x in (s.cash, s.capacity, s.carbon, s.demand, s.queue_other))
    build_room_used, queue_wait, curtail, price, stress, grid_load = (np.empty((R, N)) for _ in range(6))
    by_lab = (np.empty((R, L)) for _ in range(8))
    ppa_spend, power_frac, power_mw, site_mw, bill, short_capacity, waiting_mw, curtailed_mw = by_lab
    sites = np.empty((R, L, N))
    _generation_and_queue(t % S, (t + c["gen_turns"][1]) % S, ring_now, ring_later, rules.grid_country, rules.gen_credit,
                          float(c["gas_carbon"]), np.asarray(c["grid_build"], dtype=float),
                          np.asarray(c["grid_demand_growth"], dtype=float), np.asarray(c["other_requests"], dtype=float),
                          float(c["ppa_capex"]), np.asarray(grid_orders.invest, dtype=float),
                          np.asarray(grid_orders.approvals, dtype=float), priority, rep.ppa_ordered, rep.ppa_grid,
                          rep.mega_by_grid, s.permitting, s.queued, s.approved, s.ppa_ring_mw, s.ppa_ring_grid,
                          s.gas_ring, s.solar_ring, s.nuclear_ring, cash, capacity, carbon, demand, queue_other,
                          build_room_used, ppa_spend, queue_wait)
    _loads_and_prices(rules.grid_price0, float(c["emergency_margin"]), float(c["dc_curtail_weight"]),
                      float(c["max_price_multiple"]), float(c["price_stress"]), float(c["hours_per_turn"]),
                      float(c["onsite_price"]), chip_mw, s.alive, s.outage, s.built, s.onsite, s.queued, s.approved,
                      capacity, demand, curtail, price, stress, grid_load, power_frac, power_mw, site_mw, bill,
                      short_capacity, waiting_mw, curtailed_mw, sites)
    s.cash, s.capacity, s.carbon, s.demand, s.queue_other = cash, capacity, carbon, demand, queue_other
    s.queue_wait, s.curtail, s.price = queue_wait, curtail, price
    rep.build_room_used = build_room_used
    rep.ppa_spend = ppa_spend
    rep.stress = stress
    rep.grid_load = grid_load
    rep.power_mw = power_mw
    rep.chip_mw = chip_mw
    rep.site_mw = site_mw
    rep.power_bill = bill
    rep.short_capacity = short_capacity
    rep.waiting_mw = waiting_mw
    rep.curtailed_mw = curtailed_mw
    rep.sites = sites
    return power_frac, chip_mw, bill
