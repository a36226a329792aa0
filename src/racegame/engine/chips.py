"""The chip market under export controls: access, smuggling, rationing, prices, supply."""

from __future__ import annotations

import numpy as np

from .util import ratio


def chip_access(s, rules):
    """Per (replica, lab, chip class): (blocked, controlled, leak, price, unit_price).

    blocked: the lab may not buy the class at all (a domestic-only chip of another country).
    controlled: the producer's export controls cover the lab's country at the current tier;
    only ``leak`` of what it tries to buy gets through, at a smuggling premium.
    """
    c = rules.c
    producer = rules.chip_producer
    targeted = rules.controls[producer[None, None, :], s.country[:, :, None]]  # (R, L, K)
    tier = s.export_tier[:, producer]  # (R, K) tier of each class's producer
    active = (rules.chip_control_tier > 0)[None, :] & (tier >= rules.chip_control_tier[None, :])
    controlled = targeted & active[:, None, :]
    foreign = s.country[:, :, None] != producer[None, None, :]
    blocked = rules.chip_domestic_only[None, None, :] & foreign
    leak = c["smuggle_max"] * (1.0 - s.enforcement[:, producer])  # (R, K)
    # A critical-mineral ban by a country the producer controls raises the producer's costs.
    banned_by_target = (rules.controls[producer][None, :, :] & s.retaliation[:, None, :]).any(axis=2)  # (R, K)
    price = s.chip_price * (1.0 + c["retaliation_cost"] * banned_by_target)
    unit_price = price[:, None, :] * (1.0 + c["smuggle_premium"] * controlled)
    return blocked, controlled, leak, price, unit_price


def chip_market(s, chip_usd, rules, rep) -> np.ndarray:
    """Buy chips with ``chip_usd`` (R, L, K); returns money spent per lab (R, L)."""
    c = rules.c
    t = s.turn
    available = t >= rules.chip_available  # (K,)
    supply = s.chip_supply * s.supply_shock * available[None, :]
    blocked, controlled, leak, price, unit_price = chip_access(s, rules)

    s.chips *= c["chip_keep"]  # retirements happen before deliveries
    offer = chip_usd * (~blocked) * s.alive[:, :, None] * available[None, None, :]
    through = np.where(controlled, leak[:, None, :], 1.0)
    wanted = offer / unit_price * through
    demand = wanted.sum(axis=1)  # (R, K)
    fill = np.minimum(1.0, ratio(supply, demand, fill=1.0))
    got = wanted * fill[:, None, :]
    cost = got * unit_price
    s.chips += got

    # Prices follow excess demand, within a bounded step, on top of the secular decline.
    # With nothing produced, unmet demand pushes the price up as far as it may go; with no
    # demand either, the price just follows its trend.
    excess = np.where(supply > 0, ratio(demand, supply), np.where(demand > 0, np.inf, 1.0))
    step = excess ** c["chip_price_response"]
    step = np.clip(step, 1.0 / (1.0 + c["chip_max_price_step"]), 1.0 + c["chip_max_price_step"])
    # Prices stay within a band around the list-price trend (makers ration, they do not auction).
    trend = rules.chip_price0 * c["chip_price_decline"] ** np.maximum(0, t + 1 - rules.chip_available)
    new_price = np.clip(s.chip_price * c["chip_price_decline"] * step, 0.9 * trend, 2.0 * trend)
    s.chip_price = np.where(available[None, :], new_price, s.chip_price)

    # Production grows; a rival's HBM/tool controls against the producer slow that growth.
    against = (rules.controls[:, rules.chip_producer][None, :, :] * s.export_tier[:, :, None]).max(axis=1)  # (R, K)
    hbm = (rules.chip_hbm_tier > 0)[None, :] & (against >= rules.chip_hbm_tier[None, :])
    growth = 1.0 + (rules.chip_growth[None, :] - 1.0) * (1.0 - rules.chip_hbm_penalty[None, :] * hbm)
    s.chip_supply = np.where(available[None, :], s.chip_supply * growth, s.chip_supply)

    spend = cost.sum(axis=2)
    rep.chips_bought = got
    rep.chip_spend = spend
    rep.chip_offer = offer.sum(axis=2)
    # Money the lab offered for controlled classes that export controls kept out.
    rep.denied_usd = (offer * controlled * (1.0 - through)).sum(axis=2)
    rep.rationed = ((wanted - got) * unit_price).sum(axis=2)
    rep.controlled_any = (controlled & (rules.chip_perf_train > 0)[None, None, :]).any(axis=2)
    # Export controls bind through price: how much dearer is compute from the best class the
    # lab may legally buy than from the best class on the market?
    value = rules.chip_perf_train[None, None, :] / unit_price
    on_sale = (~blocked) & available[None, None, :]
    best_any = np.where(on_sale, rules.chip_perf_train[None, None, :] / price[:, None, :], 0.0).max(axis=2)
    best_legal = np.where(on_sale & ~controlled, value, 0.0).max(axis=2)
    loss = 1.0 - ratio(best_legal, best_any, fill=1.0)
    rep.control_loss = np.where(rep.controlled_any & (offer.sum(axis=2) > 0), loss, 0.0)
    rep.chip_demand = demand
    rep.chip_supply = supply
    return spend
