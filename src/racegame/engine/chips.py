"""The chip market: a supply chain with capacity, export controls, smuggling, prices.

Every chip is made from supply inputs (advanced-node wafers, advanced packaging,
high-bandwidth memory; a chip class that names none has its own production line). Each
input's capacity is shared among the classes that draw on it in proportion to what they
need, so a class's output is held to its scarcest input. Export controls act three ways:

- on chips: a controlled country may buy a controlled class only from smugglers;
- on inputs: chips made in a controlled country lose a controlled input (high-bandwidth
  memory, say) and must use its substitute (a weaker domestic one) or do without;
- on tools: a rival's tools controls slow the growth of an input's capacity.

Smuggling is a market of its own: smugglers divert a share of a controlled class's output
through third countries, more when the premium they earn is high and less as enforcement
rises; the premium climbs when buyers want more than gets through.
"""

from __future__ import annotations

import numpy as np

from .util import any_over, by_country, max_over, min_over, ratio

PREMIUM_STEP = 0.5  # how fast the smugglers' premium follows excess demand (an exponent)


def country_access(s, rules):
    """Per (replica, country, chip class): (blocked, controlled, price, premium).

    Access depends only on the buyer's country, so it is worked out per country (small
    arrays) and looked up per lab where needed.
    blocked: the country may not buy the class at all (another country's domestic-only chip).
    controlled: the producer's export controls cover the country at the current tier; the
    class reaches it only through smugglers, at ``premium`` over the price.
    """
    c = rules.c
    producer = rules.chip_producer
    C = len(rules.country_ids)
    targeted = rules.controls[producer, :].T  # (C, K): does k's producer control country c?
    tier = s.export_tier[:, producer]  # (R, K) tier of each class's producer
    active = (rules.chip_control_tier > 0)[None, :] & (tier >= rules.chip_control_tier[None, :])
    controlled = targeted[None, :, :] & active[:, None, :]  # (R, C, K)
    blocked = rules.chip_domestic_only[None, :] & (np.arange(C)[:, None] != producer[None, :])  # (C, K)
    # A critical-mineral ban by a country the producer controls raises the producer's costs.
    banned_by_target = any_over(rules.controls[producer][None, :, :] & s.retaliation[:, None, :])  # (R, K)
    price = s.chip_price * (1.0 + c["retaliation_cost"] * banned_by_target)
    return blocked, controlled, price, s.smuggle_premium


def arrival_turns(u, rules) -> np.ndarray:
    """(R, K) turn each chip class goes on sale, from (R, C) uniform draws, one per producing
    country. A class with an uncertain date (``arrival_shape`` above 0) comes a log-logistic
    number of years after the start around its median (``available_turn``); its producer's
    one draw moves all of that country's uncertain classes early or late together, as one
    industry's breakthrough would. A fixed world (the timeline's quantile set) takes medians."""
    if rules.milestone_quantile >= 0:
        u = np.full_like(u, 0.5)
    q = np.clip(u[:, rules.chip_producer], 1e-12, 1.0 - 1e-12)  # (R, K)
    years = rules.years_at(rules.chip_available)[None, :] * (q / (1.0 - q)) ** rules.chip_arrival_shape[None, :]
    drawn = np.searchsorted(rules.turn_years, years, side="left")  # the first turn starting on or after it
    return np.where(rules.chip_arrival_shape[None, :] > 0, drawn, rules.chip_available[None, :]).astype(np.int64)


def redraw_arrivals(s, rules, u) -> None:
    """Futures must not know the game's own draw: each draws the dates of the classes not yet
    on sale again, given only that they have not come yet. ``u`` is (R, C)."""
    shape = rules.chip_arrival_shape
    waiting = (s.chip_arrival > s.turn) & (shape > 0)[None, :]  # (R, K)
    median = np.maximum(rules.years_at(rules.chip_available), 1e-9)
    now = max(float(rules.years_at(s.turn)), 1e-9)
    # The producer's draw lies above every waiting class's chance of having come by now: the
    # log-logistic's distribution function, 1 / (1 + (median / now)^(1 / shape)), in logs.
    z = np.clip(np.log(median / now) / np.maximum(shape, 1e-9), -700.0, 700.0)
    came_by_now = np.where(waiting, 1.0 / (1.0 + np.exp(z)), 0.0)  # (R, K)
    C = u.shape[1]
    low = np.stack([max_over(np.where(rules.chip_producer == g, came_by_now, 0.0), 1) for g in range(C)], axis=1)
    fresh = arrival_turns(low + (1.0 - low) * u, rules)
    s.chip_arrival = np.where(waiting, np.maximum(fresh, s.turn + 1), s.chip_arrival)


def buy_tools(s, rules) -> None:
    """A class made with tools its producer's rivals control (``tool_tier``) waits for the
    producer's own tools: its drawn date. Once no rival's tools controls are in force at that
    tier, the producer buys the tools instead, and the class comes within
    ``tools_bought_years`` at the latest (a date once brought forward stays)."""
    linked = rules.chip_tool_tier > 0
    if not linked.any():
        return
    against = max_over(rules.controls[:, rules.chip_producer][None, :, :] * s.export_tier[:, :, None], 1)  # (R, K)
    free = linked[None, :] & (against < rules.chip_tool_tier[None, :]) & (s.chip_arrival > s.turn)
    soon = np.searchsorted(rules.turn_years, rules.years_at(s.turn) + rules.chip_tools_bought_years, side="left")
    s.chip_arrival = np.where(free, np.minimum(s.chip_arrival, soon[None, :]), s.chip_arrival)


def smuggled_share(c, enforcement, premium=None):
    """Share of a controlled class's possible output smugglers can divert at this
    enforcement (and premium: the starting one if not given); for explanations."""
    reach = 1.0 if premium is None else (premium / c["smuggle_premium"]) ** c["smuggle_elasticity"]
    return c["smuggle_share"] * (1.0 - enforcement) ** 2 * reach


def per_lab(per_country, country):
    """(R, C, K) or (C, K) country arrays looked up for each lab's country -> (R, L, K)."""
    if per_country.ndim == 2:
        return per_country[country]
    return by_country(per_country, country)


def unit_prices(price, premium, controlled):
    """(R, C or L, K): what a buyer pays per chip: list price, or the smugglers' price."""
    return price[:, None, :] * (1.0 + premium[:, None, :] * controlled)


def input_access(s, rules):
    """(R, K, P) units of each input a chip of each class draws on now: controls on an input
    move a controlled producer's chips onto the input's substitute. Also the (R, K) share of
    an order a class can fill when it lost an input with no substitute (smuggled input)."""
    units = rules.chip_units  # (K, P)
    owner = rules.input_country  # (P,)
    covers = rules.controls[owner][:, rules.chip_producer].T  # (K, P): input's country controls the chip's maker
    tier = s.export_tier[:, owner]  # (R, P)
    active = (rules.input_control_tier > 0)[None, :] & (tier >= rules.input_control_tier[None, :])
    cut = covers[None, :, :] & active[:, None, :] & (units > 0)[None, :, :]  # (R, K, P)
    has_sub = rules.input_substitute >= 0
    moved = units[None, :, :] * (cut & has_sub[None, None, :])
    drawn = units[None, :, :] * ~(cut & has_sub[None, None, :])
    for p in np.flatnonzero(has_sub):  # a loop over inputs: a batched matrix product of 3x3s is slower
        drawn[..., rules.input_substitute[p]] += moved[..., p]
    # Without a substitute only smuggled units arrive: the input country's enforcement decides.
    leak = rules.c["smuggle_share"] * (1.0 - s.enforcement[:, owner]) ** 2  # (R, P)
    capped = min_over(np.where(cut & ~has_sub[None, None, :], leak[:, None, :], 1.0))  # (R, K)
    return drawn, capped


def production(s, rules, demand, c, access=None):
    """(output (R, K), tightness (R, K), use (R, P)): chips made against ``demand`` (R, K)
    when each input is shared in proportion to need; tightness is need over capacity on a
    class's scarcest input (above 1: rationed). ``access``: ``input_access`` already worked out."""
    drawn, capped = access if access is not None else input_access(s, rules)
    capacity = s.input_capacity * s.input_yield * s.input_shock * c["chip_supply_scale"]  # (R, P)
    need = np.einsum("rk,rkp->rp", demand, drawn)
    use = ratio(need, capacity, fill=np.inf)
    use = np.where(need > 0, use, 0.0)
    tight = max_over(np.where(drawn > 0, use[:, None, :], 0.0))
    made = demand * np.minimum(1.0, ratio(1.0, tight, fill=1.0)) * np.minimum(1.0, capped) * s.supply_shock
    return made, tight, use


def max_output(s, rules, c, access=None):
    """(R, K) chips a class could be made if it had every input to itself (the scale on which
    smugglers divert a share)."""
    drawn, _ = access if access is not None else input_access(s, rules)
    capacity = s.input_capacity * s.input_yield * s.input_shock * c["chip_supply_scale"]
    per_input = np.where(drawn > 0, ratio(capacity[:, None, :], drawn, fill=np.inf), np.inf)
    out = min_over(per_input)
    return np.where(np.isfinite(out), out, 0.0)


def chip_market(s, chip_usd, rules, rep) -> np.ndarray:
    """Buy chips with ``chip_usd`` (R, L, K); returns money spent per lab (R, L)."""
    c = rules.at(s.turn)
    t = s.turn
    buy_tools(s, rules)
    available = t >= s.chip_arrival  # (R, K)
    blocked_c, controlled_c, price, premium = country_access(s, rules)
    # What depends only on the buyer's country is worked out per country (3 rows, not 12)
    # and looked up per lab.
    controlled = per_lab(controlled_c, s.country)
    unit_price_c = unit_prices(price, premium, controlled_c)
    unit_price = per_lab(unit_price_c, s.country)

    # Sums over chip classes use einsum: far faster than .sum over a short last axis.
    on_sale = ~blocked_c[None, :, :] & available[:, None, :]  # (R, C, K): what each country's labs may buy at all
    buyable = per_lab(on_sale, s.country) * s.alive[:, :, None]
    offer = chip_usd * buyable
    wanted = offer / unit_price
    legal = np.einsum("rlk->rk", wanted * ~controlled)
    contra = np.einsum("rlk->rk", wanted * controlled)

    # Smugglers divert part of each controlled class's possible output: more at a high
    # premium, less as the producer's enforcement rises.
    # Chip-location tracking by the producer stops part of what enforcement misses.
    missed = (1.0 - s.enforcement) * (1.0 - c["tracking_smuggling_cut"] * s.tracking)  # (R, C)
    enforcement = 1.0 - missed[:, rules.chip_producer]  # (R, K)
    reach = ratio(premium, c["smuggle_premium"], fill=1.0) ** c["smuggle_elasticity"]  # 1 at the floor
    access = input_access(s, rules)
    capacity = c["smuggle_share"] * (1.0 - enforcement) ** 2 * reach * max_output(s, rules, c, access) * available
    through = np.minimum(1.0, ratio(capacity, contra, fill=1.0))  # (R, K) share of contraband orders filled
    demand = legal + contra * through
    made, tight, use = production(s, rules, demand, c, access)
    fill = ratio(made, demand, fill=1.0)  # (R, K)
    share = per_lab(fill[:, None, :] * np.where(controlled_c, through[:, None, :], 1.0), s.country)
    got = wanted * share
    spend = np.einsum("rlk,rlk->rl", got, unit_price)
    s.chips = s.chips * c["chip_keep"] + got  # retirements happen before deliveries

    # Prices follow the scarcest input's tightness, within a bounded step, on top of the
    # secular decline, and stay within a band around the list-price trend (makers ration,
    # they do not auction). With no demand the price just follows its trend.
    excess = np.where(demand > 0, tight, 1.0)
    step = excess ** c["chip_price_response"]
    step = np.clip(step, 1.0 / (1.0 + c["chip_max_price_step"]), 1.0 + c["chip_max_price_step"])
    since = np.maximum(0.0, c["chip_price_trend_years"] - rules.years_at(s.chip_arrival))
    trend = rules.chip_price0 * c["chip_price_decline_per_year"] ** since
    new_price = np.clip(s.chip_price * c["chip_price_decline"] * step, 0.9 * trend, 2.0 * trend)
    s.chip_price = np.where(available, new_price, s.chip_price)
    # The smugglers' premium climbs when buyers want more than gets through, and eases back.
    wants_more = np.where(contra > 0, ratio(contra, capacity, fill=np.inf), 0.5)
    premium_step = np.clip(wants_more, 0.5, 2.0) ** PREMIUM_STEP
    s.smuggle_premium = np.clip(s.smuggle_premium * premium_step, c["smuggle_premium"], c["smuggle_premium_max"])
    s.smuggle_fill = np.where(contra > 0, through * fill, s.smuggle_fill)

    grow_inputs(s, rules, c)

    offered = np.einsum("rlk->rl", offer)
    rep.chips_bought = got
    rep.chips_smuggled = got * controlled
    rep.chip_spend = spend
    rep.chip_offer = offered
    # Money the lab offered for controlled classes that smugglers could not deliver, and for
    # legal ones that makers could not (each a sum of products, never a difference of sums).
    rep.denied_usd = np.einsum("rlk,rlk->rl", offer * controlled, 1.0 - share)
    rep.rationed = np.einsum("rlk,rk->rl", offer * ~controlled, 1.0 - fill)
    useful = controlled_c & (rules.chip_perf_train > 0)[None, None, :]
    rep.controlled_any = by_country(any_over(useful), s.country)
    # Export controls bind through price: how much dearer is compute from the best class the
    # country may legally buy than from the best class on the market? (per country, then lab)
    value = rules.chip_perf_train[None, :] / price  # (R, K)
    best_any = max_over(value[:, None, :] * on_sale)  # (R, C)
    best_legal = max_over(value[:, None, :] * (on_sale & ~controlled_c))
    loss = by_country(1.0 - ratio(best_legal, best_any, fill=1.0), s.country)
    rep.control_loss = loss * (rep.controlled_any & (offered > 0))
    # The cheapest legal way to fill a MW of powered capacity with chips (for cash binding).
    legal_c = on_sale & ~controlled_c  # (R, C, K)
    per_mw_c = min_over(np.where(legal_c, unit_price_c / rules.chip_power_mw, np.inf))
    rep.usd_per_mw = np.where(s.alive, by_country(per_mw_c, s.country), np.inf)
    rep.chip_demand = demand
    rep.chip_supply = made
    rep.chip_tightness = tight
    rep.input_use = use
    rep.smuggle_capacity = capacity
    return spend


def grow_inputs(s, rules, c) -> None:
    """Capacity grows; a rival's tools controls against an input's country slow that growth.
    Yields improve towards one."""
    owner = rules.input_country
    against = max_over(rules.controls[:, owner][None, :, :] * s.export_tier[:, :, None], 1)  # (R, P)
    tools = (rules.input_tool_tier > 0)[None, :] & (against >= rules.input_tool_tier[None, :])
    growth = 1.0 + (c["input_growth"][None, :] - 1.0) * (1.0 - rules.input_tool_penalty[None, :] * tools)
    s.input_capacity = s.input_capacity * growth
    s.input_yield = np.minimum(1.0, s.input_yield + c["input_yield_gain"][None, :])


def rent_abroad(s, rent_usd, rules, rep) -> np.ndarray:
    """Compute rented abroad for this turn (R, L) with ``rent_usd``; returns money spent.

    Cloud capacity in third countries is open to every lab and shared among renters in
    proportion to what they want. A country whose export controls are in force against a
    renter's country closes part of it to that renter: its cloud controls (know-your-customer
    rules for cloud providers), and chip-location tracking on its chips, which finds part of
    what those rules miss. Rented compute works this turn only, powered abroad."""
    c = rules.at(s.turn)
    shut = 1.0 - (1.0 - rules.cloud_controls[None, :]) * (1.0 - c["tracking_smuggling_cut"] * s.tracking)  # (R, P)
    applies = rules.controls[None, :, :] & (s.export_tier >= 1)[:, :, None]  # (R, P, C): P's controls cover C
    open_c = np.prod(np.where(applies, 1.0 - shut[:, :, None], 1.0), axis=1)  # (R, C)
    reach = rent_usd / c["rent_price"] * by_country(open_c, s.country) * s.alive
    fill = np.minimum(1.0, ratio(c["rent_pool"], reach.sum(axis=1), fill=1.0))
    rented = reach * fill[:, None]
    rep.rented_h100e = rented
    rep.rent_spend = rented * c["rent_price"]
    return rep.rent_spend
