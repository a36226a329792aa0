"""The chip market (``engine.chips.chip_market``) as a numba kernel, one replica at a time.

Same rules, same order of operations: tools bought, who may buy what at which price
(``country_access``), the inputs each class draws on (``input_access``), smuggling, the
supply chain's rationing (``production``, ``max_output``), deliveries, prices, the
smugglers' premium, input growth (``grow_inputs``) and the report. A boolean multiplying
a number stays a multiplication (as in numpy, where ``x * mask`` gives NaN for an infinite
``x``); the short-axis folds keep ``util.max_over``/``min_over``'s NaN propagation (they
start from the fold's identity, which gives the same result); and ``error_model="numpy"``
makes a division by zero give inf or NaN, as in numpy, instead of raising.
"""

from __future__ import annotations

import numpy as np

from ..chips import PREMIUM_STEP
from .jit import kernel
from .scalar import clip, maximum, minimum, power, ratio


@kernel
def _chip_market(
    # state
    t, alive, country, chips, export_tier, enforcement, retaliation, tracking, chip_arrival, chip_price,
    smuggle_premium, smuggle_fill, supply_shock, input_capacity, input_yield, input_shock, chip_usd,
    # rules: chips (K,), countries (C, C), inputs (P,), (K, P)
    producer, controls, control_tier, blocked_c, tools_linked, tool_tier, soon, trend, horizon,
    units, owner, input_control_tier, substitute, input_tool_tier, input_tool_penalty,
    perf_train, power_mw, input_growth, input_yield_gain,
    # constants (retaliation_cost and the input leak's smuggle_share come from rules.c, as in numpy)
    retaliation_cost, leak_share, tracking_cut, premium_floor, elasticity, smuggle_share, supply_scale,
    chip_keep, price_response, max_step, price_decline, premium_max,
    # outputs: state
    arrival_out, chips_out, price_out, premium_out, fill_out, capacity_out, yield_out,
    # outputs: report
    got_out, smuggled_out, spend_out, offered_out, denied_out, rationed_out, controlled_any_out,
    control_loss_out, usd_per_mw_out, demand_out, made_out, tight_out, use_out, smuggle_cap_out,
):
    R, L, K = chips.shape
    C = export_tier.shape[1]
    P = units.shape[1]
    # one replica's scratch, reused
    available = np.empty(K, dtype=np.bool_)
    price = np.empty(K)
    controlled_c = np.empty((C, K), dtype=np.bool_)
    unit_price_c = np.empty((C, K))
    useful_c = np.empty(C, dtype=np.bool_)
    share_c = np.empty((C, K))
    on_sale = np.empty((C, K), dtype=np.bool_)
    cut = np.empty((K, P), dtype=np.bool_)
    drawn = np.empty((K, P))
    capped = np.empty(K)
    in_active = np.empty(P, dtype=np.bool_)
    leak = np.empty(P)
    capacity = np.empty(P)
    max_out = np.empty(K)
    offer = np.empty((L, K))
    wanted = np.empty((L, K))
    legal = np.empty(K)
    contra = np.empty(K)
    through = np.empty(K)
    demand = np.empty(K)
    fill = np.empty(K)
    tight = np.empty(K)
    loss_c = np.empty(C)
    per_mw_c = np.empty(C)

    for r in range(R):
        # buy_tools: once no rival's tools controls are in force at the class's tier, its
        # producer buys the tools and the class comes by ``soon`` at the latest.
        for k in range(K):
            arrival = chip_arrival[r, k]
            if tools_linked:
                against = export_tier[r, 0] if controls[0, producer[k]] else 0
                for g in range(1, C):
                    against = max(against, export_tier[r, g] if controls[g, producer[k]] else 0)
                if tool_tier[k] > 0 and against < tool_tier[k] and arrival > t:
                    arrival = min(arrival, soon[k])
            arrival_out[r, k] = arrival
            available[k] = t >= arrival

        # country_access: controls and blocks per (country, class), the retaliation surcharge;
        # whether a country's labs face controls on a class that trains.
        useful_c[:] = False
        for k in range(K):
            tier = export_tier[r, producer[k]]
            active = control_tier[k] > 0 and tier >= control_tier[k]
            banned = False
            for g in range(C):
                banned = banned or (controls[producer[k], g] and retaliation[r, g])
            price[k] = chip_price[r, k] * (1.0 + retaliation_cost * banned)
            for c in range(C):
                controlled_c[c, k] = controls[producer[k], c] and active
                if controlled_c[c, k] and perf_train[k] > 0:
                    useful_c[c] = True
                unit_price_c[c, k] = price[k] * (1.0 + smuggle_premium[r, k] * controlled_c[c, k])
                on_sale[c, k] = not blocked_c[c, k] and available[k]

        # input_access: a controlled producer's chips move onto an input's substitute, or
        # get only smuggled units of an input that has none.
        for p in range(P):
            in_active[p] = input_control_tier[p] > 0 and export_tier[r, owner[p]] >= input_control_tier[p]
            missing = 1.0 - enforcement[r, owner[p]]
            leak[p] = leak_share * (missing * missing)
            capacity[p] = input_capacity[r, p] * input_yield[r, p] * input_shock[r, p] * supply_scale
        for k in range(K):
            for p in range(P):
                cut[k, p] = controls[owner[p], producer[k]] and in_active[p] and units[k, p] > 0
                drawn[k, p] = units[k, p] * (not (cut[k, p] and substitute[p] >= 0))
        for p in range(P):
            if substitute[p] >= 0:
                for k in range(K):
                    drawn[k, substitute[p]] += units[k, p] * cut[k, p]
        for k in range(K):
            capped[k] = np.inf
            for p in range(P):
                capped[k] = minimum(capped[k], leak[p] if (cut[k, p] and substitute[p] < 0) else 1.0)

        # max_output: chips of a class made with every input to itself.
        for k in range(K):
            out = np.inf
            for p in range(P):
                out = minimum(out, capacity[p] / drawn[k, p] if drawn[k, p] > 0 else np.inf)
            max_out[k] = out if np.isfinite(out) else 0.0

        # Orders: what each lab wants of each class, legal and contraband (sums over labs).
        legal[:] = 0.0
        contra[:] = 0.0
        for l in range(L):
            c = country[r, l]
            live = alive[r, l]
            for k in range(K):
                offer[l, k] = chip_usd[r, l, k] * (on_sale[c, k] and live)
                wanted[l, k] = offer[l, k] / unit_price_c[c, k]
                legal[k] += wanted[l, k] * (not controlled_c[c, k])
                contra[k] += wanted[l, k] * controlled_c[c, k]

        # Smugglers divert part of each controlled class's possible output; tracking by the
        # producer stops part of what enforcement misses.
        for k in range(K):
            g = producer[k]
            missed = (1.0 - enforcement[r, g]) * (1.0 - tracking_cut * tracking[r, g])
            slips = 1.0 - (1.0 - missed)  # 1 - enforcement, as numpy works it out
            reach = power(ratio(smuggle_premium[r, k], premium_floor, 1.0), elasticity)
            smuggle_cap = smuggle_share * (slips * slips) * reach * max_out[k] * available[k]
            smuggle_cap_out[r, k] = smuggle_cap
            through[k] = minimum(1.0, ratio(smuggle_cap, contra[k], 1.0))
            demand[k] = legal[k] + contra[k] * through[k]

        # production: each input shared in proportion to need; a class held to its scarcest.
        for p in range(P):
            need = 0.0
            for k in range(K):
                need += demand[k] * drawn[k, p]
            use_out[r, p] = ratio(need, capacity[p], np.inf) if need > 0 else 0.0
        for k in range(K):
            most = -np.inf
            for p in range(P):
                most = maximum(most, use_out[r, p] if drawn[k, p] > 0 else 0.0)
            tight[k] = most
            made = demand[k] * minimum(1.0, ratio(1.0, most, 1.0)) * minimum(1.0, capped[k]) * supply_shock[r, k]
            made_out[r, k] = made
            tight_out[r, k] = most
            demand_out[r, k] = demand[k]
            fill[k] = ratio(made, demand[k], 1.0)

        # Deliveries (retirements before them) and what each lab paid, offered, lost; the
        # share of an order delivered depends only on the buyer's country.
        for c in range(C):
            for k in range(K):
                share_c[c, k] = fill[k] * (through[k] if controlled_c[c, k] else 1.0)
        for l in range(L):
            c = country[r, l]
            spend = 0.0
            offered = 0.0
            denied = 0.0
            rationed = 0.0
            for k in range(K):  # sums over classes, in index order
                ctrl = controlled_c[c, k]
                got = wanted[l, k] * share_c[c, k]
                got_out[r, l, k] = got
                smuggled_out[r, l, k] = got * ctrl
                chips_out[r, l, k] = chips[r, l, k] * chip_keep + got
                spend += got * unit_price_c[c, k]
                offered += offer[l, k]
                denied += offer[l, k] * ctrl * (1.0 - share_c[c, k])
                rationed += offer[l, k] * (not ctrl) * (1.0 - fill[k])
            spend_out[r, l] = spend
            offered_out[r, l] = offered
            denied_out[r, l] = denied
            rationed_out[r, l] = rationed
            controlled_any_out[r, l] = useful_c[c]

        # Prices follow tightness within a bounded step and a band round the trend; the
        # smugglers' premium follows excess contraband demand.
        for k in range(K):
            if available[k]:
                excess = tight[k] if demand[k] > 0 else 1.0
                step = clip(power(excess, price_response), 1.0 / (1.0 + max_step), 1.0 + max_step)
                listed = trend[k, min(max(arrival_out[r, k], 0), horizon)]
                price_out[r, k] = clip(chip_price[r, k] * price_decline * step, 0.9 * listed, 2.0 * listed)
            else:
                price_out[r, k] = chip_price[r, k]
            wants_more = ratio(contra[k], smuggle_cap_out[r, k], np.inf) if contra[k] > 0 else 0.5
            premium_step = power(clip(wants_more, 0.5, 2.0), PREMIUM_STEP)
            premium_out[r, k] = clip(smuggle_premium[r, k] * premium_step, premium_floor, premium_max)
            fill_out[r, k] = through[k] * fill[k] if contra[k] > 0 else smuggle_fill[r, k]

        # grow_inputs: a rival's tools controls against an input's country slow its growth.
        for p in range(P):
            against = export_tier[r, 0] if controls[0, owner[p]] else 0
            for g in range(1, C):
                against = max(against, export_tier[r, g] if controls[g, owner[p]] else 0)
            tools = input_tool_tier[p] > 0 and against >= input_tool_tier[p]
            growth = 1.0 + (input_growth[p] - 1.0) * (1.0 - input_tool_penalty[p] * tools)
            capacity_out[r, p] = input_capacity[r, p] * growth
            yield_out[r, p] = minimum(1.0, input_yield[r, p] + input_yield_gain[p])

        # How much dearer compute is from the best legal class than the best on the market,
        # and the cheapest legal chips per MW (per country, then per lab).
        for c in range(C):
            best_any = -np.inf
            best_legal = -np.inf
            per_mw = np.inf
            for k in range(K):
                value = perf_train[k] / price[k]
                legal_ck = on_sale[c, k] and not controlled_c[c, k]
                best_any = maximum(best_any, value * on_sale[c, k])
                best_legal = maximum(best_legal, value * legal_ck)
                per_mw = minimum(per_mw, unit_price_c[c, k] / power_mw[k] if legal_ck else np.inf)
            loss_c[c] = 1.0 - ratio(best_legal, best_any, 1.0)
            per_mw_c[c] = per_mw
        for l in range(L):
            c = country[r, l]
            control_loss_out[r, l] = loss_c[c] * (controlled_any_out[r, l] and offered_out[r, l] > 0)
            usd_per_mw_out[r, l] = per_mw_c[c] if alive[r, l] else np.inf


def chip_market(s, chip_usd, rules, rep) -> np.ndarray:
    """Buy chips with ``chip_usd`` (R, L, K); returns money spent per lab (R, L)."""
    c = rules.at(s.turn)
    t = s.turn
    R, L, K = s.chips.shape
    P = s.input_capacity.shape[1]
    C = len(rules.country_ids)
    producer = rules.chip_producer
    # What does not depend on the replica is worked out once, as the numpy phase does.
    blocked_c = rules.chip_domestic_only[None, :] & (np.arange(C)[:, None] != producer[None, :])  # (C, K)
    linked = rules.chip_tool_tier > 0
    soon = np.searchsorted(rules.turn_years, rules.years_at(t) + rules.chip_tools_bought_years, side="left")
    # The list-price trend of each class for each turn it may have arrived in (K, horizon + 1):
    # a table, so that the kernel calls no power function per replica.
    since = np.maximum(0.0, c["chip_price_trend_years"] - rules.turn_years)
    trend = rules.chip_price0[:, None] * c["chip_price_decline_per_year"] ** since[None, :]

    arrival = np.empty_like(s.chip_arrival)
    chips = np.empty_like(s.chips)
    price, premium, smuggle_fill = (np.empty_like(s.chip_price) for _ in range(3))
    capacity, input_yield = np.empty_like(s.input_capacity), np.empty_like(s.input_yield)
    got, smuggled = np.empty((R, L, K)), np.empty((R, L, K))
    spend, offered, denied, rationed, control_loss, usd_per_mw = (np.empty((R, L)) for _ in range(6))
    controlled_any = np.empty((R, L), dtype=bool)
    demand, made, tight, smuggle_capacity = (np.empty((R, K)) for _ in range(4))
    use = np.empty((R, P))

    _chip_market(
        t, s.alive, s.country, s.chips, s.export_tier, s.enforcement, s.retaliation, s.tracking, s.chip_arrival,
        s.chip_price, s.smuggle_premium, s.smuggle_fill, s.supply_shock, s.input_capacity, s.input_yield,
        s.input_shock, chip_usd,
        producer, rules.controls, rules.chip_control_tier, blocked_c, bool(linked.any()), rules.chip_tool_tier,
        soon.astype(np.int64), trend, int(rules.horizon),
        rules.chip_units, rules.input_country, rules.input_control_tier, rules.input_substitute,
        rules.input_tool_tier, rules.input_tool_penalty,
        rules.chip_perf_train, rules.chip_power_mw,
        np.asarray(c["input_growth"], dtype=float), np.asarray(c["input_yield_gain"], dtype=float),
        float(rules.c["retaliation_cost"]), float(rules.c["smuggle_share"]), float(c["tracking_smuggling_cut"]),
        float(c["smuggle_premium"]), float(c["smuggle_elasticity"]), float(c["smuggle_share"]),
        float(c["chip_supply_scale"]), float(c["chip_keep"]), float(c["chip_price_response"]),
        float(c["chip_max_price_step"]), float(c["chip_price_decline"]), float(c["smuggle_premium_max"]),
        arrival, chips, price, premium, smuggle_fill, capacity, input_yield,
        got, smuggled, spend, offered, denied, rationed, controlled_any,
        control_loss, usd_per_mw, demand, made, tight, use, smuggle_capacity,
    )

    s.chip_arrival = arrival
    s.chips = chips
    s.chip_price = price
    s.smuggle_premium = premium
    s.smuggle_fill = smuggle_fill
    s.input_capacity = capacity
    s.input_yield = input_yield
    rep.chips_bought = got
    rep.chips_smuggled = smuggled
    rep.chip_spend = spend
    rep.chip_offer = offered
    rep.denied_usd = denied
    rep.rationed = rationed
    rep.controlled_any = controlled_any
    rep.control_loss = control_loss
    rep.usd_per_mw = usd_per_mw
    rep.chip_demand = demand
    rep.chip_supply = made
    rep.chip_tightness = tight
    rep.input_use = use
    rep.smuggle_capacity = smuggle_capacity
    return spend
