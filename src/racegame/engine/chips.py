"""The chip market under export controls: access, smuggling, rationing, prices, supply."""

from __future__ import annotations

import numpy as np

from .util import ratio


def country_access(s, rules):
    """Per (replica, country, chip class): (blocked, controlled, price, leak).

    Access depends only on the buyer's country, so it is worked out per country (small
    arrays) and looked up per lab where needed.
    blocked: the country may not buy the class at all (another country's domestic-only chip).
    controlled: the producer's export controls cover the country at the current tier; only
    ``leak`` of what a lab tries to buy gets through, at a smuggling premium.
    """
    c = rules.c
    producer = rules.chip_producer
    C = len(rules.country_ids)
    targeted = rules.controls[producer, :].T  # (C, K): does k's producer control country c?
    tier = s.export_tier[:, producer]  # (R, K) tier of each class's producer
    active = (rules.chip_control_tier > 0)[None, :] & (tier >= rules.chip_control_tier[None, :])
    controlled = targeted[None, :, :] & active[:, None, :]  # (R, C, K)
    blocked = rules.chip_domestic_only[None, :] & (np.arange(C)[:, None] != producer[None, :])  # (C, K)
    leak = c["smuggle_max"] * (1.0 - s.enforcement[:, producer])  # (R, K)
    # A critical-mineral ban by a country the producer controls raises the producer's costs.
    banned_by_target = (rules.controls[producer][None, :, :] & s.retaliation[:, None, :]).any(axis=2)  # (R, K)
    price = s.chip_price * (1.0 + c["retaliation_cost"] * banned_by_target)
    return blocked, controlled, price, leak


def per_lab(per_country, country):
    """(R, C, K) or (C, K) country arrays looked up for each lab's country -> (R, L, K)."""
    if per_country.ndim == 2:
        return per_country[country]
    return np.take_along_axis(per_country, country[:, :, None], axis=1)


def chip_access(s, rules):
    """Per (replica, lab, chip class): (blocked, controlled, leak, price, unit_price)."""
    blocked_c, controlled_c, price, leak = country_access(s, rules)
    controlled = per_lab(controlled_c, s.country)
    unit_price = price[:, None, :] * (1.0 + rules.c["smuggle_premium"] * controlled)
    return per_lab(blocked_c, s.country), controlled, leak, price, unit_price


def chip_market(s, chip_usd, rules, rep) -> np.ndarray:
    """Buy chips with ``chip_usd`` (R, L, K); returns money spent per lab (R, L)."""
    c = rules.at(s.turn)
    t = s.turn
    available = t >= rules.chip_available  # (K,)
    supply = s.chip_supply * c["chip_supply_scale"] * s.supply_shock * available[None, :]
    blocked_c, controlled_c, price, leak = country_access(s, rules)
    controlled = per_lab(controlled_c, s.country)
    unit_price = price[:, None, :] * (1.0 + c["smuggle_premium"] * controlled)

    # Sums over chip classes use einsum: far faster than .sum over a short last axis.
    buyable = per_lab(~blocked_c & available[None, :], s.country) * s.alive[:, :, None]
    offer = chip_usd * buyable
    through = 1.0 + (leak[:, None, :] - 1.0) * controlled  # share of an offer that gets through
    passed = offer * through  # money that reaches a seller
    wanted = passed / unit_price
    demand = np.einsum("rlk->rk", wanted)
    fill = np.minimum(1.0, ratio(supply, demand, fill=1.0))
    got = wanted * fill[:, None, :]
    spend = np.einsum("rlk,rk->rl", passed, fill)
    s.chips = s.chips * c["chip_keep"] + got  # retirements happen before deliveries

    # Prices follow excess demand, within a bounded step, on top of the secular decline.
    # With nothing produced, unmet demand pushes the price up as far as it may go; with no
    # demand either, the price just follows its trend.
    excess = np.where(supply > 0, ratio(demand, supply), np.where(demand > 0, np.inf, 1.0))
    step = excess ** c["chip_price_response"]
    step = np.clip(step, 1.0 / (1.0 + c["chip_max_price_step"]), 1.0 + c["chip_max_price_step"])
    # Prices stay within a band around the list-price trend (makers ration, they do not auction).
    since = np.maximum(0.0, c["chip_price_trend_years"] - rules.years_at(rules.chip_available))
    trend = rules.chip_price0 * c["chip_price_decline_per_year"] ** since
    new_price = np.clip(s.chip_price * c["chip_price_decline"] * step, 0.9 * trend, 2.0 * trend)
    s.chip_price = np.where(available[None, :], new_price, s.chip_price)

    # Production grows; a rival's HBM/tool controls against the producer slow that growth.
    against = (rules.controls[:, rules.chip_producer][None, :, :] * s.export_tier[:, :, None]).max(axis=1)  # (R, K)
    hbm = (rules.chip_hbm_tier > 0)[None, :] & (against >= rules.chip_hbm_tier[None, :])
    growth = 1.0 + (c["chip_growth"][None, :] - 1.0) * (1.0 - rules.chip_hbm_penalty[None, :] * hbm)
    s.chip_supply = np.where(available[None, :], s.chip_supply * growth, s.chip_supply)

    offered = np.einsum("rlk->rl", offer)
    passed_total = np.einsum("rlk->rl", passed)
    rep.chips_bought = got
    rep.chip_spend = spend
    rep.chip_offer = offered
    # Money the lab offered for controlled classes that export controls kept out.
    rep.denied_usd = offered - passed_total
    rep.rationed = passed_total - spend
    useful = controlled_c & (rules.chip_perf_train > 0)[None, None, :]
    rep.controlled_any = np.take_along_axis(useful.any(axis=2), s.country, axis=1)
    # Export controls bind through price: how much dearer is compute from the best class the
    # country may legally buy than from the best class on the market? (per country, then lab)
    on_sale = ~blocked_c & available[None, :]  # (C, K)
    value = rules.chip_perf_train[None, :] / price  # (R, K)
    best_any = (value[:, None, :] * on_sale[None, :, :]).max(axis=2)  # (R, C)
    best_legal = (value[:, None, :] * (on_sale[None, :, :] & ~controlled_c)).max(axis=2)
    loss = np.take_along_axis(1.0 - ratio(best_legal, best_any, fill=1.0), s.country, axis=1)
    rep.control_loss = loss * (rep.controlled_any & (offered > 0))
    rep.chip_demand = demand
    rep.chip_supply = supply
    return spend
