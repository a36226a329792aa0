"""Revenue and finance (``engine.economy.revenue`` and ``finance``) as numba kernels, one
replica at a time.

Same rules, same order of operations. ``revenue``: where buyers' money goes (``target_use``,
``market_frontiers``), the inertia of use, the market pools (``market_pools``, with
``timeline.market_boost``), serving capacity and the report. ``finance``: running costs,
subsidies (``subsidy_shares``) and parent funding, the valuation, the one financing move a
lab may make (a round sharing its country's investors, state backing, tokens), partner
deals, then bankruptcy. The random draws are made in the wrappers with the numpy phase's
calls. Nothing is left in numpy. Divisions follow numpy (``error_model="numpy"``: x / 0 is inf or NaN, as there);
a boolean multiplying a number stays a multiplication, and sums over a contiguous axis
(labs per country, markets) keep numpy's pairwise order (``pairwise_sum``).
"""

from __future__ import annotations

import math

import numpy as np

from ..economy import OUTSIDE_WEIGHT
from .jit import kernel
from .scalar import clip, maximum, minimum, nan_to_num, pairwise_sum, pow10, ratio


@kernel
def _revenue(
    # state (R, L), (R, L, M), (R, M), (R, L, T)
    alive, country, capability, model_open, reputation, efficiency, reasoning, partner_share,
    market_use, market_shock, milestone_turn,
    # orders and report (R, L)
    price_level, serve_h100e,
    # rules: (M, C), (L,), (T + 1,) growth after k milestones, (M,) and (M,) market sizes
    market_access, lab_distribution, boost_table, market_usd, market_cap,
    # constants
    frontier0, frontier0_rules, price_per_oom, price_weight, capability_weight, share_inertia,
    adoption_scale, growth_per_oom, open_revenue_share, serve_usd, reasoning_serving_cost,
    # outputs: state
    use_out, served_state_out, revenue_out, share_out,
    # outputs: report
    frontier_out, pools_out, served_out, price_index_out,
):
    R, L, M = market_use.shape
    T = milestone_turn.shape[2]
    level = np.empty(L)
    access = np.empty((L, M))
    best = np.empty(M)
    price = np.empty((L, M))
    weight = np.empty((L, M))
    total = np.empty(M)
    pools = np.empty(M)

    for r in range(R):
        # Orders: a price level clipped to [0.2, 3] (NaN is par, inf the top).
        for l in range(L):
            level[l] = clip(nan_to_num(price_level[r, l], nan=1.0), 0.2, 3.0)

        # The frontier (masked_max) and the best model each market can get (market_frontiers).
        frontier = -np.inf
        anyone = False
        for l in range(L):
            frontier = maximum(frontier, capability[r, l] if alive[r, l] else -np.inf)
            anyone = anyone or alive[r, l]
        if not anyone:
            frontier = frontier0
        for m in range(M):
            top = -np.inf
            for l in range(L):
                access[l, m] = 1.0 if model_open[r, l] else market_access[m, country[r, l]]
                top = maximum(top, capability[r, l] if (alive[r, l] and access[l, m] > 0) else -np.inf)
            best[m] = top if np.isfinite(top) else frontier0_rules

        # target_use: appeal, the discount behind a market's best, each market's weights.
        total[:] = 0.0
        for l in range(L):
            appeal = alive[r, l] * level[l] ** (1.0 - price_weight) * reputation[r, l] * lab_distribution[l]
            for m in range(M):
                behind = minimum(capability[r, l] - best[m], 0.0)
                price[l, m] = level[l] * pow10(price_per_oom * behind)
                weight[l, m] = appeal * pow10(capability_weight * behind) * access[l, m]
                total[m] += weight[l, m]

        # market_pools: milestones passed by any lab (world_milestone) boost growth.
        passed = 0
        for k in range(T):
            for l in range(L):
                if milestone_turn[r, l, k] >= 0:
                    passed += 1
                    break
        growth = adoption_scale * 10.0 ** (growth_per_oom * (frontier - frontier0)) * boost_table[passed]
        for m in range(M):
            raw = market_usd[m] * growth
            pools[m] = raw / (1.0 + ratio(raw, market_cap[m], 0.0)) * market_shock[r, m]
            pools_out[r, m] = pools[m]
        pool_sum = pairwise_sum(pools)
        frontier_out[r] = frontier

        for l in range(L):
            # Buyers move with some inertia; spending and volume at par prices (einsum over m).
            spending = 0.0
            volume = 0.0
            for m in range(M):
                target = weight[l, m] / (total[m] + OUTSIDE_WEIGHT)
                use = share_inertia * market_use[r, l, m] * alive[r, l] + (1.0 - share_inertia) * target
                use_out[r, l, m] = use
                spending += use * pools[m]
                volume += use * pools[m] * ratio(1.0, price[l, m], 0.0)
            demand = spending * (open_revenue_share if model_open[r, l] else 1.0)
            capacity = serve_h100e[r, l] * serve_usd * pow10(0.5 * efficiency[r, l] - reasoning_serving_cost * reasoning[r, l])
            served = 1.0 if model_open[r, l] else minimum(1.0, ratio(capacity, volume, 1.0))
            gross = demand * served
            served_state_out[r, l] = served if alive[r, l] else 1.0
            revenue_out[r, l] = gross * (1.0 - partner_share[r, l])
            share_out[r, l] = ratio(spending, pool_sum, 0.0)
            served_out[r, l] = served
            price_index_out[r, l] = level[l] * pow10(price_per_oom * (capability[r, l] - frontier))


def revenue(s, lab, rules, rep) -> None:
    c = rules.at(s.turn)
    R, L, M = s.market_use.shape
    boost_table = np.concatenate([[1.0], np.cumprod(rules.milestone_market)])  # as timeline.market_boost
    market_usd = np.asarray(c["market_usd"], dtype=float)
    market_cap = c["market_cap_usd"] * (market_usd / market_usd.sum())
    use = np.empty((R, L, M))
    served_state = np.empty((R, L))
    revenue_ = np.empty((R, L))
    share = np.empty((R, L))
    frontier = np.empty(R)
    pools = np.empty((R, M))
    served = np.empty((R, L))
    price_index = np.empty((R, L))
    _revenue(
        s.alive, s.country, s.capability, s.model_open, s.reputation, s.efficiency, s.reasoning, s.partner_share,
        s.market_use, s.market_shock, s.milestone_turn,
        np.asarray(lab.price_level, dtype=float), rep.serve_h100e,
        rules.market_access, rules.lab_distribution, boost_table, market_usd, market_cap,
        float(c["frontier0"]), float(rules.c["frontier0"]), float(c["price_per_oom"]), float(c["price_weight"]),
        float(c["capability_weight"]), float(c["share_inertia"]), float(c["adoption_scale"]), float(c["growth_per_oom"]),
        float(c["open_revenue_share"]), float(c["serve_usd"]), float(c["reasoning_serving_cost"]),
        use, served_state, revenue_, share, frontier, pools, served, price_index,
    )
    s.market_use = use
    s.served = served_state
    s.revenue = revenue_
    s.share = share
    rep.frontier = frontier
    rep.pools = pools
    rep.served = served
    rep.price_index = price_index


@kernel
def _finance(
    # state (R, L), (R, L, K), (R, C)
    alive, country, capability, reputation, momentum, talent, chips, parent_left, security, cash,
    revenue, share, equity, raise_cooldown, partner_cooldown, partner_share, subsidy_c,
    # state zeroed in place on bankruptcy (R, L, ...)
    built, approved, queued, onsite, dc_ring_mw, onsite_ring_mw, ppa_ring_mw,
    # report (R,), (R, M), (R, L); extra costs (R, L); orders (R, L); draws (R, L, 4), (R, L)
    frontier, pools, power_bill, extra_costs, raise_round, seek_state, token_financing, partner_deal,
    u, u_partner,
    # rules (K,), (L,), (L,), (L,), (5,), (C,)
    chip_price0, state_backed, parent_patience, parent_funding, security_cost, investor_usd,
    # constants
    market_usd_total, salary, chip_ops, champion_weight, subsidy_scale, dt, revenue_multiple, hype_usd,
    valuation_cap, round_chance, round_share, round_cap_usd, state_backing_usd, token_share,
    token_volatility, token_fine_chance, token_fine_share, partner_share_c, partner_cut, cooldown,
    # outputs: state
    parent_left_out, cash_out, reputation_out, equity_out, raise_cooldown_out, partner_share_out,
    partner_cooldown_out, alive_out, revenue_out, share_out,
    # outputs: report
    parent_out, payroll_out, subsidy_out, security_out, costs_out, value_out, round_fill_out,
    raised_out, round_chance_out, backing_chance_out, backed_out, token_out, partnered_out, bankrupt_out,
):
    R, L, K = chips.shape
    C = subsidy_c.shape[1]
    weight = np.empty(L)
    in_country = np.empty(L)
    per_country = np.empty(C)
    asked = np.empty(L)
    chance = np.empty(L)
    raised = np.empty(L, dtype=np.bool_)

    for r in range(R):
        # subsidy_shares: each country's subsidy shared by weight among its living labs.
        for l in range(L):
            weight[l] = alive[r, l] * (1.0 + (champion_weight - 1.0) * state_backed[l])
        for g in range(C):
            for l in range(L):
                in_country[l] = weight[l] * (country[r, l] == g)
            per_country[g] = ratio(subsidy_c[r, g] * subsidy_scale, pairwise_sum(in_country), 0.0)

        # Income and running costs; a parent funds its lab while it keeps up.
        for l in range(L):
            payroll = talent[r, l] * salary
            held = 0.0  # numpy's chips @ chip_price0 goes through BLAS: the last bit may differ
            for k in range(K):
                held += chips[r, l, k] * chip_price0[k]
            ops = held * chip_ops
            subsidy = weight[l] * per_country[country[r, l]]
            behind = frontier[r] - capability[r, l]
            belief = clip(2.0 - behind / parent_patience[l], 0.0, 1.0)
            parent = minimum(parent_funding[l] * belief, parent_left[r, l]) * alive[r, l]
            parent_left_out[r, l] = parent_left[r, l] - parent
            guard = security_cost[security[r, l] - 1] * alive[r, l]
            cash_out[r, l] = (cash[r, l] + revenue[r, l] + subsidy + parent - payroll - ops - power_bill[r, l] - guard
                              - extra_costs[r, l])
            parent_out[r, l] = parent
            payroll_out[r, l] = payroll
            subsidy_out[r, l] = subsidy
            security_out[r, l] = guard
            costs_out[r, l] = payroll + ops + power_bill[r, l] + guard

        # valuation, and the rounds asked for: capital markets absorb more as the market grows.
        root_scale = math.sqrt(pairwise_sum(pools[r]) / market_usd_total)
        for l in range(L):
            gap = capability[r, l] - frontier[r]
            hype = hype_usd * root_scale * 10.0 ** gap * reputation[r, l]
            value_out[r, l] = minimum(revenue[r, l] / dt * revenue_multiple + hype, valuation_cap)
            chance[l] = clip(round_chance + 0.5 * momentum[r, l] + 0.3 * gap + 0.2 * (reputation[r, l] - 1.0), 0.05, 0.95)
            tried_round = alive[r, l] and raise_cooldown[r, l] == 0 and raise_round[r, l]
            raised[l] = tried_round and u[r, l, 0] < chance[l]
            asked[l] = minimum(value_out[r, l] * round_share, round_cap_usd * root_scale) if raised[l] else 0.0
        # Each country's investors' pool, shared by the rounds that close in it.
        for g in range(C):
            for l in range(L):
                in_country[l] = asked[l] * (country[r, l] == g)
            per_country[g] = minimum(1.0, ratio(investor_usd[g] * root_scale, pairwise_sum(in_country), 1.0))

        for l in range(L):
            value = value_out[r, l]
            ready = alive[r, l] and raise_cooldown[r, l] == 0
            tried_round = ready and raise_round[r, l]
            fill = per_country[country[r, l]]
            round_fill_out[r, l] = fill if raised[l] else np.nan
            money = cash_out[r, l] + (asked[l] * fill if raised[l] else 0.0)
            equity_out[r, l] = equity[r, l] * (1.0 - round_share * fill) if raised[l] else equity[r, l]

            tried_state = ready and not tried_round and seek_state[r, l]
            backing_chance = 0.25 + 0.6 * state_backed[l]
            backed = tried_state and u[r, l, 1] < backing_chance
            money += state_backing_usd * backed

            tried_token = ready and not tried_round and not tried_state and token_financing[r, l]
            proceeds = value * token_share * (1.0 + token_volatility * (2.0 * u[r, l, 2] - 1.0))
            fined = tried_token and u[r, l, 3] < token_fine_chance
            money += (proceeds if tried_token else 0.0) - (proceeds * token_fine_share if fined else 0.0)
            rep_l = reputation[r, l] * 0.9 if fined else reputation[r, l]
            reputation_out[r, l] = rep_l

            # After money comes in, the next move waits; a refusal can be tried again next turn.
            got_money = raised[l] or backed or tried_token
            raise_cooldown_out[r, l] = cooldown if got_money else max(raise_cooldown[r, l] - 1, 0)

            partner_ready = alive[r, l] and partner_cooldown[r, l] == 0 and partner_deal[r, l] and partner_share[r, l] < 0.6
            partnered = partner_ready and u_partner[r, l] < 0.8 * minimum(1.0, rep_l)
            money += value * partner_share_c if partnered else 0.0
            partner_share_out[r, l] = partner_share[r, l] + partner_cut * partnered
            partner_cooldown_out[r, l] = 2 * cooldown if partner_ready else max(partner_cooldown[r, l] - 1, 0)
            cash_out[r, l] = money

            # A lab that cannot pay its bills closes: its chips, sites and builds are gone.
            bankrupt = alive[r, l] and money < 0
            alive_out[r, l] = alive[r, l] and not bankrupt
            if bankrupt:
                chips[r, l, :] = 0.0
                built[r, l, :] = 0.0
                approved[r, l, :] = 0.0
                queued[r, l, :] = 0.0
                onsite[r, l, :] = 0.0
                dc_ring_mw[r, l, :] = 0.0
                onsite_ring_mw[r, l, :] = 0.0
                ppa_ring_mw[r, l, :] = 0.0
            revenue_out[r, l] = 0.0 if bankrupt else revenue[r, l]
            share_out[r, l] = 0.0 if bankrupt else share[r, l]

            raised_out[r, l] = 1 if raised[l] else (-1 if tried_round else 0)
            # The odds of each financing roll a lab tried (NaN: not tried).
            round_chance_out[r, l] = chance[l] if tried_round else np.nan
            backing_chance_out[r, l] = backing_chance if tried_state else np.nan
            backed_out[r, l] = backed
            token_out[r, l] = -1 if fined else (1 if tried_token else 0)
            partnered_out[r, l] = partnered
            bankrupt_out[r, l] = bankrupt


def finance(s, lab, rules, rng, rep, extra_costs) -> None:
    """Income, running costs, financing moves, then bankruptcy."""
    c = rules.at(s.turn)
    t = s.turn
    R, L = s.alive.shape
    u = rng.uniform(t, "fundraise", (L, 4))
    u_partner = rng.uniform(t, "partner", (L,))
    parent_left, cash, reputation, equity, partner_share, revenue_, share = (np.empty((R, L)) for _ in range(7))
    raise_cooldown, partner_cooldown = (np.empty((R, L), dtype=np.int64) for _ in range(2))
    alive = np.empty((R, L), dtype=bool)
    parent, payroll, subsidy, security, costs, value, round_fill, round_chance, backing_chance = (
        np.empty((R, L)) for _ in range(9))
    raised, token = (np.empty((R, L), dtype=np.int64) for _ in range(2))
    backed, partnered, bankrupt = (np.empty((R, L), dtype=bool) for _ in range(3))
    _finance(
        s.alive, s.country, s.capability, s.reputation, s.momentum, s.talent, s.chips, s.parent_left, s.security,
        s.cash, s.revenue, s.share, s.equity, s.raise_cooldown, s.partner_cooldown, s.partner_share, s.subsidy,
        s.built, s.approved, s.queued, s.onsite, s.dc_ring_mw, s.onsite_ring_mw, s.ppa_ring_mw,
        rep.frontier, rep.pools, rep.power_bill, np.asarray(extra_costs, dtype=float),
        lab.raise_round, lab.seek_state, lab.token_financing, lab.partner_deal, u, u_partner,
        rules.chip_price0, rules.lab_state_backed, rules.lab_parent_patience,
        np.asarray(c["parent_funding"], dtype=float), np.asarray(c["security_cost"], dtype=float),
        np.asarray(c["investor_usd"], dtype=float),
        float(np.sum(c["market_usd"])), float(c["salary"]), float(c["chip_ops"]), float(c["champion_weight"]),
        float(c["subsidy_scale"]), float(c["dt"]), float(c["revenue_multiple"]), float(c["hype_usd"]),
        float(c["valuation_cap"]), float(c["round_chance"]), float(c["round_share"]), float(c["round_cap_usd"]),
        float(c["state_backing_usd"]), float(c["token_share"]), float(c["token_volatility"]),
        float(c["token_fine_chance"]), float(c["token_fine_share"]), float(c["partner_share"]),
        float(c["partner_cut"]), int(c["raise_cooldown"]),
        parent_left, cash, reputation, equity, raise_cooldown, partner_share, partner_cooldown, alive, revenue_, share,
        parent, payroll, subsidy, security, costs, value, round_fill,
        raised, round_chance, backing_chance, backed, token, partnered, bankrupt,
    )
    s.parent_left = parent_left
    s.cash = cash
    s.reputation = reputation
    s.equity = equity
    s.raise_cooldown = raise_cooldown
    s.partner_share = partner_share
    s.partner_cooldown = partner_cooldown
    s.alive = alive
    s.revenue = revenue_
    s.share = share
    rep.parent = parent
    rep.payroll = payroll
    rep.subsidy = subsidy
    rep.security_cost = security
    rep.costs = costs
    rep.valuation = value
    rep.round_fill = round_fill
    rep.raised = raised
    rep.round_chance = round_chance
    rep.backing_chance = backing_chance
    rep.backed = backed
    rep.token = token
    rep.partnered = partnered
    rep.bankrupt = bankrupt
