"""What seats can see before they decide: derived figures computed once per turn.

Read-only and pure; shared by the AI strategies, the governments' reaction rules, and the
front end. Nothing here changes the state.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from .chips import chip_access
from .economy import subsidy_shares
from .safety import safety_needed
from .util import masked_max, ratio, ring_by_grid


@dataclass
class View:
    turn: int
    frontier: np.ndarray  # (R,)
    best_by_country: np.ndarray  # (R, C)
    compute_share: np.ndarray  # (R, C) share of world AI compute
    h100e: np.ndarray  # (R, L) training H100-equivalents
    chip_mw: np.ndarray  # (R, L) power the chips need
    site_mw: np.ndarray  # (R, L) capacity that can run now
    coming_mw: np.ndarray  # (R, L) capacity under construction or in the queue
    burn: np.ndarray  # (R, L) running costs per turn (payroll, chip operations, power)
    payroll: np.ndarray
    safety_needed: np.ndarray  # (R, L)
    controlled: np.ndarray  # (R, L, K) export controls cover this lab for this class
    blocked: np.ndarray  # (R, L, K)
    leak: np.ndarray  # (R, K)
    unit_price: np.ndarray  # (R, L, K) price this lab pays per chip
    queue_wait: np.ndarray  # (R, N) turns a new request waits
    stress: np.ndarray  # (R, N) demand over firm capacity
    reserve: np.ndarray  # (R, N) reserve margin
    pipeline_mw: np.ndarray  # (R, N) firm generation under construction
    power_bound_share: np.ndarray  # (R, C) share of a country's labs held back by power or the queue
    subsidy: np.ndarray  # (R, L) the lab's share of its government's subsidies this turn
    building_mw: np.ndarray  # (R, L, N) data centres under construction, by grid
    onsite_coming_mw: np.ndarray  # (R, L, N) on-site generation being installed, by grid


def observe(s, rules) -> View:
    c = rules.c
    h100e = (s.chips * rules.chip_perf_train[None, None, :]).sum(axis=2) * s.alive
    C = len(rules.country_ids)
    mine = (s.country[:, :, None] == np.arange(C)[None, None, :]) & s.alive[:, :, None]  # (R, L, C)
    by_country = (h100e[:, :, None] * mine).sum(axis=1)
    other = rules.other_compute0 * rules.other_compute_growth ** s.turn
    compute_share = by_country / (by_country.sum(axis=1, keepdims=True) + other)
    best = np.where(mine, s.capability[:, :, None], -np.inf).max(axis=1)

    grid_conn = np.minimum(s.built, s.approved)
    site = (grid_conn + np.minimum(s.built - grid_conn, s.onsite)).sum(axis=2)
    coming = s.dc_ring_mw.sum(axis=2) + s.queued.sum(axis=2) + np.maximum(0.0, s.built - grid_conn - s.onsite).sum(axis=2)
    chip_mw = (s.chips * rules.chip_power_mw[None, None, :]).sum(axis=2)
    payroll = s.talent * c["salary"]
    ops = (s.chips * rules.chip_price0[None, None, :]).sum(axis=2) * c["chip_ops"]
    power_bill = chip_mw * c["hours_per_turn"] * (s.price.mean(axis=1)[:, None])
    blocked, controlled, leak, _, unit_price = chip_access(s, rules)

    pipeline = sum(ring.sum(axis=2) * credit for ring, credit in zip((s.gas_ring, s.solar_ring, s.nuclear_ring), rules.gen_credit))
    firm = s.capacity * (1.0 - s.outage)
    bound = np.isin(s.binding, (4, 5)) & s.alive
    power_bound = ratio((bound[:, :, None] & mine).sum(axis=1), mine.sum(axis=1))
    load = s.demand + (grid_conn.sum(axis=1))
    return View(
        turn=s.turn,
        frontier=masked_max(s.capability, s.alive, c["frontier0"]),
        best_by_country=best,
        compute_share=compute_share,
        h100e=h100e,
        chip_mw=chip_mw,
        site_mw=site,
        coming_mw=coming,
        burn=(payroll + ops + power_bill) * s.alive,
        payroll=payroll,
        safety_needed=safety_needed(s.capability, rules),
        controlled=controlled,
        blocked=blocked,
        leak=leak,
        unit_price=unit_price,
        queue_wait=s.queue_wait,
        stress=ratio(load, firm, fill=9.0),
        reserve=ratio(firm, load, fill=1.0) - 1.0,
        pipeline_mw=pipeline,
        power_bound_share=power_bound,
        subsidy=subsidy_shares(s, rules),
        building_mw=ring_by_grid(s.dc_ring_mw, s.dc_ring_grid, len(rules.grid_ids)),
        onsite_coming_mw=ring_by_grid(s.onsite_ring_mw, s.onsite_ring_grid, len(rules.grid_ids)),
    )
