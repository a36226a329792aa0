"""``engine.observe.observe`` (what seats see before they decide) with its per-replica work
in numba kernels: one for the labs, their costs and chip access; one for power (sites,
queues, grids, building rings); one for the timeline (frontier, the belief, a passage's
pressure, need and odds).

The wrapper reads the per-turn constants and the rules tables and hands plain arrays to the
kernels, which keep the numpy order of operations: sums over the lab axis follow numpy's
pairwise order (``pairwise_sum``), the short folds keep ``util.max_over``'s NaN propagation,
and a boolean multiplying a number stays a multiplication (``x * mask`` is NaN for an
infinite ``x`` in numpy too). Sums numpy does as matrix products or with ``einsum`` (chips
against a per-class table, MW over grids or ring slots) do not follow BLAS's or einsum's
order here: they agree to the last bit or two.

Left in numpy in the wrapper: the pieces with no replica axis (the blocked table, the
safety-need curve's points, the compute outside the game), and the fields ``observe`` hands
on from the state unchanged.
"""

from __future__ import annotations

import math

import numpy as np

from ..observe import View
from ..timeline import BELIEF_STEP
from .jit import kernel
from .scalar import clip, interp, maximum, minimum, pairwise_sum, power, ratio
from .timeline import best_two, rival_lead

BOUND_BY_POWER = (4, 5)  # step.BINDING: held back by power, or by the interconnection queue


@kernel
def _by_country_sum(values, country, C, row, out):
    """util.by_country_sum for one replica: out[c] = (values * (country == c)).sum()."""
    L = values.shape[0]
    for c in range(C):
        for l in range(L):
            row[l] = values[l] * (1.0 if country[l] == c else 0.0)
        out[c] = pairwise_sum(row)


# -- labs: compute, costs, chip access, subsidies -----------------------------------------
@kernel
def _labs_kernel(
    # state
    alive, country, chips, talent, security, price, export_tier, retaliation, chip_price, smuggle_premium, subsidy,
    built, approved, onsite,
    # rules
    perf_train, power_mw, price0, producer, controls, control_tier, state_backed, grid_country,
    # constants (retaliation_cost from rules.c, as in chips.country_access)
    other, salary, chip_ops, hours_per_turn, security_cost, retaliation_cost, champion_weight, subsidy_scale,
    onsite_price,
    # outputs
    compute_share, h100e, chip_mw, burn, payroll, controlled_c, controlled_any, unit_price_c, subsidy_out,
):
    R, L, K = chips.shape
    C = export_tier.shape[1]
    N = price.shape[1]
    row = np.empty(L)
    owned = np.empty(C)
    weight = np.empty(L)
    country_weight = np.empty(C)
    trains_c = np.empty(C, dtype=np.bool_)
    home_mean = np.empty(C)
    for r in range(R):
        # observe.power_price: a lab's own sites' price, or its country's grids' average
        mean_price = 0.0
        for n in range(N):
            mean_price += price[r, n]
        mean_price = mean_price / N
        for c in range(C):
            total = 0.0
            count = 0.0
            for n in range(N):
                if grid_country[n] == c:
                    total += price[r, n]
                    count += 1.0
            home_mean[c] = total / count if count > 0 else mean_price
        for l in range(L):
            live = 1.0 if alive[r, l] else 0.0
            train = 0.0
            mw = 0.0
            value = 0.0
            for k in range(K):
                train += chips[r, l, k] * perf_train[k]
                mw += chips[r, l, k] * power_mw[k]
                value += chips[r, l, k] * price0[k]
            h100e[r, l] = train * live
            chip_mw[r, l] = mw
            pay = talent[r, l] * salary
            payroll[r, l] = pay
            site = 0.0
            paid = 0.0
            own = 0.0
            for n in range(N):
                connected = minimum(built[r, l, n], approved[r, l, n])
                runs = minimum(built[r, l, n] - connected, onsite[r, l, n])
                site += connected + runs
                paid += connected * price[r, n]
                own += runs
            paid = paid + own * onsite_price
            power_bill = mw * hours_per_turn * (paid / site if site > 0 else home_mean[country[r, l]])
            burn[r, l] = (pay + value * chip_ops + power_bill + security_cost[security[r, l] - 1]) * live
        # share of world AI compute, by country
        _by_country_sum(h100e[r], country[r], C, row, owned)
        world = 0.0
        for c in range(C):
            world += owned[c]
        world = world + other
        for c in range(C):
            compute_share[r, c] = owned[c] / world
        # chips.country_access and unit_prices: controls by the producer's tier, the list
        # price raised by a mineral ban from a country the producer controls
        for k in range(K):
            p = producer[k]
            banned = False
            for g in range(C):
                banned = banned or (controls[p, g] and retaliation[r, g])
            list_price = chip_price[r, k] * (1.0 + retaliation_cost * (1.0 if banned else 0.0))
            active = control_tier[k] > 0 and export_tier[r, p] >= control_tier[k]
            for c in range(C):
                controlled = controls[p, c] and active
                controlled_c[r, c, k] = controlled
                unit_price_c[r, c, k] = list_price * (1.0 + smuggle_premium[r, k] * (1.0 if controlled else 0.0))
        # a lab is under controls that matter when its country's controls cover a class that trains
        for c in range(C):
            trains_c[c] = False
            for k in range(K):
                trains_c[c] = trains_c[c] or (controlled_c[r, c, k] and perf_train[k] > 0.0)
        for l in range(L):
            controlled_any[r, l] = trains_c[country[r, l]]
        # economy.subsidy_shares: a state champion weighs more
        for l in range(L):
            champion = 1.0 if state_backed[l] else 0.0
            weight[l] = (1.0 if alive[r, l] else 0.0) * (1.0 + (champion_weight - 1.0) * champion)
        _by_country_sum(weight, country[r], C, row, country_weight)
        for l in range(L):
            c = country[r, l]
            subsidy_out[r, l] = weight[l] * ratio(subsidy[r, c] * subsidy_scale, country_weight[c], 0.0)


# -- power: sites, what is coming, grids ---------------------------------------------------
@kernel
def _power_kernel(
    # state
    alive, country, binding, built, approved, queued, onsite, dc_ring_mw, dc_ring_grid, onsite_ring_mw,
    onsite_ring_grid, capacity, outage, demand, gas_ring, solar_ring, nuclear_ring,
    # rules
    gen_credit, C,
    # outputs
    site_mw, coming_mw, stress, reserve, pipeline_mw, power_bound_share, building_mw, onsite_coming_mw,
):
    R, L, N = built.shape
    connected = np.empty(N)
    bound = np.empty(L)
    living = np.empty(L)
    row = np.empty(L)
    bound_c = np.empty(C)
    living_c = np.empty(C)
    for r in range(R):
        connected[:] = 0.0
        for l in range(L):
            site = 0.0
            queue = 0.0
            waiting = 0.0  # built but neither connected nor covered on site
            for n in range(N):
                grid_conn = minimum(built[r, l, n], approved[r, l, n])
                unconnected = built[r, l, n] - grid_conn
                site += grid_conn + minimum(unconnected, onsite[r, l, n])
                queue += queued[r, l, n]
                waiting += maximum(0.0, unconnected - onsite[r, l, n])
                connected[n] += grid_conn
            ring = 0.0
            for b in range(dc_ring_mw.shape[2]):
                ring += dc_ring_mw[r, l, b]
            site_mw[r, l] = site
            coming_mw[r, l] = ring + queue + waiting
            # util.ring_by_grid: each slot's MW onto its grid, in slot order
            for n in range(N):
                building_mw[r, l, n] = 0.0
                onsite_coming_mw[r, l, n] = 0.0
            for b in range(dc_ring_mw.shape[2]):
                building_mw[r, l, dc_ring_grid[r, l, b]] += dc_ring_mw[r, l, b]
            for o in range(onsite_ring_mw.shape[2]):
                onsite_coming_mw[r, l, onsite_ring_grid[r, l, o]] += onsite_ring_mw[r, l, o]
        for n in range(N):
            pipeline_mw[r, n] = (pairwise_sum(gas_ring[r, n]) * gen_credit[0]
                                 + pairwise_sum(solar_ring[r, n]) * gen_credit[1]
                                 + pairwise_sum(nuclear_ring[r, n]) * gen_credit[2])
            firm = capacity[r, n] * (1.0 - outage[r, n])
            load = demand[r, n] + connected[n]
            stress[r, n] = ratio(load, firm, 9.0)
            reserve[r, n] = ratio(firm, load, 1.0) - 1.0
        # share of a country's living labs held back by power or the queue
        for l in range(L):
            living[l] = 1.0 if alive[r, l] else 0.0
            held = binding[r, l] == BOUND_BY_POWER[0] or binding[r, l] == BOUND_BY_POWER[1]
            bound[l] = 1.0 if (held and alive[r, l]) else 0.0
        _by_country_sum(bound, country[r], C, row, bound_c)
        _by_country_sum(living, country[r], C, row, living_c)
        for c in range(C):
            power_bound_share[r, c] = ratio(bound_c[c], living_c[c], 0.0)


# -- the timeline: frontier, belief, pressure, a passage's need and odds --------------------
@kernel
def _lookup(table, k, i, w, out):
    """Belief.lookup for one replica: ``table[k, i]`` towards ``table[k, i + 1]`` by ``w``."""
    for q in range(table.shape[2]):
        out[q] = table[k, i, q] * (1.0 - w) + table[k, i + 1, q] * w


@kernel
def _timeline_kernel(
    # state
    alive, country, capability, milestone, milestone_turn, milestone_req, pace, safety,
    # rules
    milestone_safety, safety_xs, safety_ys, next_table, agi_table, C,
    # constants (the belief's frontier0 from rules.c, as in Belief.view)
    frontier0, belief_frontier0, pace_reference, pace_exponent, pressure_min, pressure_max, race_lead,
    race_pressure, passage_spread,
    # outputs
    frontier, best_by_country, safety_needed, world_milestone, milestone_by_country, next_left, agi_left,
    pressure, next_need, next_odds,
):
    R, L = alive.shape
    T = milestone_turn.shape[2]
    last_milestone = milestone_safety.shape[0] - 1
    live = np.empty(L)
    for r in range(R):
        for l in range(L):
            live[l] = capability[r, l] if alive[r, l] else -np.inf
        # util.masked_max over the living labs, and the best of each country
        best = live[0]
        anyone = alive[r, 0]
        for l in range(1, L):
            best = maximum(best, live[l])
            anyone = anyone or alive[r, l]
        frontier[r] = best if anyone else frontier0
        for c in range(C):
            top = live[0] if country[r, 0] == c else -np.inf
            most = milestone[r, 0] if (alive[r, 0] and country[r, 0] == c) else 0
            for l in range(1, L):
                top = maximum(top, live[l] if country[r, l] == c else -np.inf)
                most = max(most, milestone[r, l] if (alive[r, l] and country[r, l] == c) else 0)
            best_by_country[r, c] = top
            milestone_by_country[r, c] = most
        # timeline.world_milestone, then Belief.view
        known = 0
        for m in range(T):
            passed = False
            for l in range(L):
                passed = passed or milestone_turn[r, l, m] >= 0
            known += 1 if passed else 0
        world_milestone[r] = known
        last = milestone_req[r, max(known - 1, 0)] if known > 0 else belief_frontier0
        excess = (best if anyone else belief_frontier0) - last
        k = min(max(known, 0), next_table.shape[0] - 1)
        pos = clip(excess / BELIEF_STEP, 0.0, next_table.shape[1] - 1.000001)
        if pos != pos:  # numpy fails on the index too; here it would read out of bounds
            raise IndexError("observe: the frontier is NaN")
        i = int(pos)
        w = pos - i
        _lookup(next_table, k, i, w, next_left[r])
        _lookup(agi_table, k, i, w, agi_left[r])
        first, second = best_two(alive, capability, r)
        for l in range(L):
            lead = rival_lead(alive, capability, r, l, first, second)
            # timeline.pressure, next_need, passage_odds
            pace_ratio = maximum(pace[r, l], 0.01) / pace_reference
            speed = clip(power(pace_ratio, pace_exponent), pressure_min, pressure_max)
            close = math.exp(-maximum(lead, 0.0) / race_lead)
            press = speed * (1.0 + race_pressure * close)
            need = milestone_safety[min(milestone[r, l], last_milestone)] * press
            margin = clip((safety[r, l] - need) / passage_spread, -50.0, 50.0)
            pressure[r, l] = press
            next_need[r, l] = need
            next_odds[r, l] = 1.0 / (1.0 + math.exp(-margin))
            safety_needed[r, l] = interp(capability[r, l], safety_xs, safety_ys)


def observe(s, rules) -> View:
    c = rules.at(s.turn)
    R, L, K = s.chips.shape
    N = s.built.shape[2]
    C = len(rules.country_ids)
    producer = rules.chip_producer
    # chips.country_access's table with no replica axis: another country's domestic-only class
    blocked_c = rules.chip_domestic_only[None, :] & (np.arange(C)[:, None] != producer[None, :])
    # timeline.safety_needed's curve: from the start of safety work through each median milestone
    medians = rules.c["frontier0"] + np.cumsum(rules.milestone_gap)
    safety_xs = np.concatenate([[min(rules.c["safety_start"], medians[0] - 1e-6)], medians])
    safety_ys = np.concatenate([[0.0], rules.milestone_safety])

    compute_share = np.empty((R, C))
    h100e, chip_mw, burn, payroll, subsidy = (np.empty((R, L)) for _ in range(5))
    controlled_c = np.empty((R, C, K), dtype=np.bool_)
    controlled_any = np.empty((R, L), dtype=np.bool_)
    unit_price_c = np.empty((R, C, K))
    _labs_kernel(
        s.alive, s.country, s.chips, s.talent, s.security, s.price, s.export_tier, s.retaliation, s.chip_price,
        s.smuggle_premium, s.subsidy, s.built, s.approved, s.onsite,
        rules.chip_perf_train, rules.chip_power_mw, rules.chip_price0, producer, rules.controls,
        rules.chip_control_tier, np.asarray(rules.lab_state_backed, dtype=np.bool_),
        np.asarray(rules.grid_country, dtype=np.int64),
        float(rules.other_compute(s.turn)), float(c["salary"]), float(c["chip_ops"]), float(c["hours_per_turn"]),
        np.asarray(c["security_cost"], dtype=np.float64), float(rules.c["retaliation_cost"]),
        float(c["champion_weight"]), float(c["subsidy_scale"]), float(c["onsite_price"]),
        compute_share, h100e, chip_mw, burn, payroll, controlled_c, controlled_any, unit_price_c, subsidy)

    site, coming = np.empty((R, L)), np.empty((R, L))
    stress, reserve, pipeline = (np.empty((R, N)) for _ in range(3))
    power_bound = np.empty((R, C))
    building, onsite_coming = np.empty((R, L, N)), np.empty((R, L, N))
    _power_kernel(
        s.alive, s.country, s.binding, s.built, s.approved, s.queued, s.onsite, s.dc_ring_mw, s.dc_ring_grid,
        s.onsite_ring_mw, s.onsite_ring_grid, s.capacity, s.outage, s.demand, s.gas_ring, s.solar_ring,
        s.nuclear_ring,
        np.asarray(rules.gen_credit, dtype=np.float64), C,
        site, coming, stress, reserve, pipeline, power_bound, building, onsite_coming)

    frontier = np.empty(R)
    best, milestone_by_country = np.empty((R, C)), np.empty((R, C), dtype=np.int64)
    safety_needed, press, next_need, next_odds = (np.empty((R, L)) for _ in range(4))
    world_milestone = np.empty(R, dtype=np.int64)
    Q = rules.belief.next_left.shape[2]
    next_left, agi_left = np.empty((R, Q)), np.empty((R, Q))
    _timeline_kernel(
        s.alive, s.country, s.capability, s.milestone, s.milestone_turn, s.milestone_req, s.pace, s.safety,
        rules.milestone_safety, safety_xs, safety_ys, rules.belief.next_left, rules.belief.agi_left, C,
        float(c["frontier0"]), float(rules.c["frontier0"]), float(c["pace_reference"]), float(c["pace_exponent"]),
        float(c["pressure_min"]), float(c["pressure_max"]), float(c["race_lead"]), float(c["race_pressure"]),
        float(c["passage_spread"]),
        frontier, best, safety_needed, world_milestone, milestone_by_country, next_left, agi_left,
        press, next_need, next_odds)

    return View(
        turn=s.turn,
        frontier=frontier,
        best_by_country=best,
        compute_share=compute_share,
        h100e=h100e,
        chip_mw=chip_mw,
        site_mw=site,
        coming_mw=coming,
        burn=burn,
        payroll=payroll,
        safety_needed=safety_needed,
        controlled_c=controlled_c,
        controlled_any=controlled_any,
        blocked_c=blocked_c,
        leak=s.smuggle_fill,
        unit_price_c=unit_price_c,
        country=s.country,
        queue_wait=s.queue_wait,
        stress=stress,
        reserve=reserve,
        pipeline_mw=pipeline,
        power_bound_share=power_bound,
        subsidy=subsidy,
        building_mw=building,
        onsite_coming_mw=onsite_coming,
        world_milestone=world_milestone,
        milestone_by_country=milestone_by_country,
        next_left=next_left,
        agi_left=agi_left,
        pressure=press,
        next_need=next_need,
        next_odds=next_odds,
    )
