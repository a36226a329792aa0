"""What seats can see before they decide: derived figures computed once per turn.

Read-only and pure; shared by the AI strategies, the governments' reaction rules, and the
front end. Nothing here changes the state.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from . import timeline
from .chips import country_access, per_lab, unit_prices
from .economy import subsidy_shares
from .util import any_over, by_country, by_country_sum, masked_max, max_over, ratio, ring_by_grid


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
    burn: np.ndarray  # (R, L) running costs per turn (payroll, chip operations, power at its own sites' price)
    payroll: np.ndarray
    safety_needed: np.ndarray  # (R, L)
    controlled_c: np.ndarray  # (R, C, K) export controls cover this country for this class
    controlled_any: np.ndarray  # (R, L) export controls cover some class that trains
    blocked_c: np.ndarray  # (C, K) the country may not buy the class at all
    leak: np.ndarray  # (R, K) share of contraband orders smugglers filled the last time anyone tried
    unit_price_c: np.ndarray  # (R, C, K) price a lab of this country pays per chip
    country: np.ndarray  # (R, L) each lab's country, to look the above up per lab
    queue_wait: np.ndarray  # (R, N) turns a new request waits
    stress: np.ndarray  # (R, N) demand over firm capacity
    reserve: np.ndarray  # (R, N) reserve margin
    pipeline_mw: np.ndarray  # (R, N) firm generation under construction
    power_bound_share: np.ndarray  # (R, C) share of a country's labs held back by power or the queue

    # Per-lab views of the per-country chip arrays, made only when asked for.
    @property
    def controlled(self) -> np.ndarray:
        return per_lab(self.controlled_c, self.country)

    @property
    def blocked(self) -> np.ndarray:
        return per_lab(self.blocked_c, self.country)

    @property
    def unit_price(self) -> np.ndarray:
        return per_lab(self.unit_price_c, self.country)
    subsidy: np.ndarray  # (R, L) the lab's share of its government's subsidies this turn
    building_mw: np.ndarray  # (R, L, N) data centres under construction, by grid
    onsite_coming_mw: np.ndarray  # (R, L, N) on-site generation being installed, by grid
    # the timeline, as anyone can work it out (the draw itself stays secret)
    world_milestone: np.ndarray  # (R,) milestones some lab has passed
    milestone_by_country: np.ndarray  # (R, C) most milestones passed by a living lab of the country
    next_left: np.ndarray  # (R, 3) OOM from the frontier to the next milestone: 10%, 50%, 90% belief
    agi_left: np.ndarray  # (R, 3) OOM from the frontier to AGI: 10%, 50%, 90% belief
    pressure: np.ndarray  # (R, L) multiple of the calm safety need a passage would need now
    next_need: np.ndarray  # (R, L) safety the lab's next passage would need now
    next_odds: np.ndarray  # (R, L) chance that passage would be safe with today's safety


def power_price(s, rules, c, grid_conn, own_power, site) -> np.ndarray:
    """(R, L) USD per MWh a lab's chips pay for power: its grid connections at their grids'
    prices and its on-site generation at the on-site price, weighted by MW; a lab with no
    powered site yet, the average of its own country's grids (of every grid if it has none)."""
    C = len(rules.country_ids)
    home = (rules.grid_country[None, :] == np.arange(C)[:, None]).astype(float)  # (C, N)
    count = home.sum(axis=1)
    home_mean = np.where(count > 0, (s.price @ home.T) / np.maximum(count, 1.0), s.price.mean(axis=1)[:, None])
    paid = np.einsum("rln,rn->rl", grid_conn, s.price) + np.einsum("rln->rl", own_power) * c["onsite_price"]
    return np.where(site > 0, paid / np.where(site > 0, site, 1.0), by_country(home_mean, s.country))


def observe(s, rules) -> View:
    c = rules.at(s.turn)
    h100e = (s.chips @ rules.chip_perf_train) * s.alive
    C = len(rules.country_ids)
    owned = by_country_sum(h100e, s.country, C)
    other = rules.other_compute(s.turn)
    compute_share = owned / (owned.sum(axis=1, keepdims=True) + other)
    live_cap = np.where(s.alive, s.capability, -np.inf)
    best = np.stack([max_over(np.where(s.country == k, live_cap, -np.inf)) for k in range(C)], axis=1)

    grid_conn = np.minimum(s.built, s.approved)
    unconnected = s.built - grid_conn
    own_power = np.minimum(unconnected, s.onsite)  # built halls that on-site generation runs
    site = np.einsum("rln->rl", grid_conn + own_power)
    coming = (np.einsum("rlb->rl", s.dc_ring_mw) + np.einsum("rln->rl", s.queued)
              + np.einsum("rln->rl", np.maximum(0.0, unconnected - s.onsite)))
    chip_mw = s.chips @ rules.chip_power_mw
    payroll = s.talent * c["salary"]
    ops = (s.chips @ rules.chip_price0) * c["chip_ops"]
    power_bill = chip_mw * c["hours_per_turn"] * power_price(s, rules, c, grid_conn, own_power, site)
    blocked_c, controlled_c, price, premium = country_access(s, rules)
    unit_price_c = unit_prices(price, premium, controlled_c)
    trains = controlled_c & (rules.chip_perf_train > 0)[None, None, :]
    controlled_any = by_country(any_over(trains), s.country)

    pipeline = sum(np.einsum("rnp->rn", ring) * credit for ring, credit in zip((s.gas_ring, s.solar_ring, s.nuclear_ring), rules.gen_credit))
    firm = s.capacity * (1.0 - s.outage)
    bound = (((s.binding == 4) | (s.binding == 5)) & s.alive).astype(float)
    power_bound = ratio(by_country_sum(bound, s.country, C), by_country_sum(s.alive.astype(float), s.country, C))
    load = s.demand + np.einsum("rln->rn", grid_conn)
    next_left, agi_left = rules.belief.view(s, rules)
    press = timeline.pressure(s, rules, c)
    next_need = timeline.next_need(s, rules, c, press)
    mine = s.alive[:, :, None] & (s.country[:, :, None] == np.arange(C))
    return View(
        turn=s.turn,
        frontier=masked_max(s.capability, s.alive, c["frontier0"]),
        best_by_country=best,
        compute_share=compute_share,
        h100e=h100e,
        chip_mw=chip_mw,
        site_mw=site,
        coming_mw=coming,
        burn=(payroll + ops + power_bill + c["security_cost"][s.security - 1]) * s.alive,
        payroll=payroll,
        safety_needed=timeline.safety_needed(s.capability, rules),
        controlled_c=controlled_c,
        controlled_any=controlled_any,
        blocked_c=blocked_c,
        leak=s.smuggle_fill,
        unit_price_c=unit_price_c,
        country=s.country,
        queue_wait=s.queue_wait,
        stress=ratio(load, firm, fill=9.0),
        reserve=ratio(firm, load, fill=1.0) - 1.0,
        pipeline_mw=pipeline,
        power_bound_share=power_bound,
        subsidy=subsidy_shares(s, rules),
        building_mw=ring_by_grid(s.dc_ring_mw, s.dc_ring_grid, len(rules.grid_ids)),
        onsite_coming_mw=ring_by_grid(s.onsite_ring_mw, s.onsite_ring_grid, len(rules.grid_ids)),
        world_milestone=timeline.world_milestone(s),
        milestone_by_country=max_over(np.where(mine, s.milestone[:, :, None], 0), 1),
        next_left=next_left,
        agi_left=agi_left,
        pressure=press,
        next_need=next_need,
        next_odds=timeline.passage_odds(s.safety, next_need, c),
    )
