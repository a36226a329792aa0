"""Markets, revenue and money, plainly: costs, subsidies, fundraising and bankruptcy."""

from __future__ import annotations

import math

from ..engine.economy import OUTSIDE_WEIGHT
from .plain import clip, finite, ratio
from .timeline import world_milestone


def frontier(w) -> float:
    """The best living lab's capability (the level's starting frontier if nobody is left)."""
    return max((lab.capability for lab in w.labs if lab.alive), default=w.c["frontier0"])


def market_pools(w, top: float) -> list:
    """Spending on AI models this turn, per market: the AI market grows with adoption, with
    the frontier, and with the milestones the world's best models have passed."""
    c = w.c
    boost = 1.0
    for m in range(world_milestone(w)):
        boost *= w.rules.milestone_market[m]
    growth = c["adoption_scale"] * 10.0 ** (c["growth_per_oom"] * (top - c["frontier0"])) * boost
    total = sum(c["market_usd"])
    pools = []
    for usd, market in zip(c["market_usd"], w.markets):
        raw = usd * growth
        cap = c["market_cap_usd"] * (usd / total)  # spending saturates towards what the world could spend
        pools.append(raw / (1.0 + ratio(raw, cap)) * market.shock)
    return pools


def market_frontiers(w) -> list:
    """The best model buyers in each market can get (open weights count everywhere)."""
    best = []
    for market in w.markets:
        caps = [lab.capability for lab in w.labs if lab.alive and _access(lab, market) > 0]
        best.append(max(caps) if caps else w.c["frontier0"])
    return best


def _access(lab, market) -> float:
    # Open weights are available everywhere; closed models only where the lab may sell.
    return 1.0 if lab.model_open else market.access[lab.country]


def target_use(w, price_levels: list) -> tuple:
    """Where buyers would go this turn: share of use per lab and market, each lab's price
    relative to par in each market, and the global frontier. A market judges models against
    the best it can get: China's buyers against the best model sold in China."""
    c = w.c
    top = frontier(w)
    tops = market_frontiers(w)
    prices, weights = [], []
    for lab, level in zip(w.labs, price_levels):
        appeal = lab.alive * level ** (1.0 - c["price_weight"]) * lab.reputation * lab.distribution
        lab_prices, lab_weights = [], []
        for market in w.markets:
            # Buyers weigh capability, price, reputation and distribution; a model behind
            # the frontier also sells at a discount.
            gap = min(lab.capability - tops[market.index], 0.0)
            lab_prices.append(level * 10.0 ** (c["price_per_oom"] * gap))
            lab_weights.append(appeal * 10.0 ** (c["capability_weight"] * gap) * _access(lab, market))
        prices.append(lab_prices)
        weights.append(lab_weights)
    use = [[0.0] * len(w.markets) for _ in w.labs]
    for market in w.markets:
        m = market.index
        total = sum(row[m] for row in weights) + OUTSIDE_WEIGHT  # outside providers take a little
        for i, row in enumerate(weights):
            use[i][m] = row[m] / total
    return use, prices, top


def revenue(w, lab_orders, rep) -> None:
    c = w.c
    price_levels = [clip(finite(order.price_level, nan=1.0), 0.2, 3.0) for order in lab_orders]
    target, prices, top = target_use(w, price_levels)
    pools = market_pools(w, top)
    total_pool = sum(pools)
    rep.served = [1.0] * len(w.labs)
    rep.price_index = [0.0] * len(w.labs)
    for lab in w.labs:
        i = lab.index
        # Buyers move with some inertia (contracts, habits, integrations).
        lab.market_use = [
            c["share_inertia"] * old * lab.alive + (1.0 - c["share_inertia"]) * new
            for old, new in zip(lab.market_use, target[i])
        ]
        # A market's pool is what its buyers would pay at par for frontier models; a lab earns
        # its share of use times its relative price, so cheap or free models that take use
        # shrink what closed labs earn: the open-weights squeeze.
        spending = sum(pool * use for pool, use in zip(pools, lab.market_use))
        volume = sum(pool * use * ratio(1.0, price) for pool, use, price in zip(pools, lab.market_use, prices[i]))
        demand = spending * (c["open_revenue_share"] if lab.model_open else 1.0)
        # Serving capacity limits volume: efficient models serve more per chip; reasoning
        # models think longer per task.
        capacity = rep.serve_h100e[i] * c["serve_usd"] * 10.0 ** (0.5 * lab.efficiency - c["reasoning_serving_cost"] * lab.reasoning)
        served = 1.0 if lab.model_open else min(1.0, ratio(capacity, volume, fill=1.0))
        lab.revenue = demand * served * (1.0 - lab.partner_share)
        lab.share = ratio(spending, total_pool)
        lab.served = served if lab.alive else 1.0
        rep.served[i] = served
        level = price_levels[i]
        rep.price_index[i] = level * 10.0 ** (c["price_per_oom"] * (lab.capability - top))
    rep.frontier = top
    rep.pools = pools


def valuation(w, lab, pools, top) -> float:
    c = w.c
    market_scale = sum(pools) / sum(c["market_usd"])
    gap = lab.capability - top
    hype = c["hype_usd"] * math.sqrt(market_scale) * 10.0 ** gap * lab.reputation
    return min(lab.revenue / c["dt"] * c["revenue_multiple"] + hype, c["valuation_cap"])


def _subsidies(w) -> list:
    """Each country's subsidy shared among its living labs, a state champion weighing more."""
    c = w.c
    weight = [lab.alive * (1.0 + (c["champion_weight"] - 1.0) * lab.state_backed) for lab in w.labs]
    per_country = [0.0] * len(w.govs)
    for lab in w.labs:
        per_country[lab.country] += weight[lab.index]
    return [weight[lab.index] * ratio(w.govs[lab.country].subsidy * c["subsidy_scale"], per_country[lab.country]) for lab in w.labs]


def finance(w, lab_orders, draws, rep, extra_costs) -> None:
    """Income and running costs, then financing moves, then bankruptcy."""
    c = w.c
    t = w.turn
    L = len(w.labs)
    subsidy = _subsidies(w)
    rep.payroll = [0.0] * L
    rep.costs = [0.0] * L
    rep.parent = [0.0] * L
    rep.security_cost = [0.0] * L
    for lab in w.labs:
        i = lab.index
        payroll = lab.talent * c["salary"]
        ops = sum(n * chip.price0 for n, chip in zip(lab.chips, w.chips)) * c["chip_ops"]
        # A parent funds its lab while it keeps up, and only from the budget it set aside.
        behind = rep.frontier - lab.capability
        belief = clip(2.0 - behind / lab.parent_patience, 0.0, 1.0)
        parent = min(c["parent_funding"][i] * belief, lab.parent_left) * lab.alive
        lab.parent_left = lab.parent_left - parent
        rep.parent[i] = parent
        security = c["security_cost"][lab.security - 1] * lab.alive
        lab.cash = lab.cash + lab.revenue + subsidy[i] + parent - payroll - ops - rep.power_bill[i] - security - extra_costs[i]
        rep.payroll[i] = payroll
        rep.security_cost[i] = security
        rep.costs[i] = payroll + ops + rep.power_bill[i] + security
    rep.subsidy = subsidy

    u = draws.uniform(t, "fundraise", (L, 4))
    u_partner = draws.uniform(t, "partner", (L,))
    market_scale = sum(rep.pools) / sum(c["market_usd"])
    # Capital markets absorb only so much at once, more as the AI market grows: each
    # country's investors put so much into AI rounds a turn, shared by the rounds that close.
    round_cap = c["round_cap_usd"] * math.sqrt(market_scale)
    rep.valuation = [valuation(w, lab, rep.pools, rep.frontier) for lab in w.labs]
    rep.raised = [0] * L
    rep.round_chance = [math.nan] * L
    rep.backing_chance = [math.nan] * L
    rep.backed = [False] * L
    rep.token = [0] * L
    rep.partnered = [False] * L
    rep.round_fill = [math.nan] * L
    asked = [0.0] * L
    for lab, order in zip(w.labs, lab_orders):
        i = lab.index
        if lab.alive and lab.raise_cooldown == 0 and order.raise_round:
            gap = lab.capability - rep.frontier
            chance = clip(c["round_chance"] + 0.5 * lab.momentum + 0.3 * gap + 0.2 * (lab.reputation - 1.0), 0.05, 0.95)
            rep.raised[i] = 1 if u[i][0] < chance else -1
            rep.round_chance[i] = chance
            if rep.raised[i] == 1:
                asked[i] = min(rep.valuation[i] * c["round_share"], round_cap)
    pool_fill = []
    for gov in w.govs:
        wanted = sum(asked[lab.index] for lab in w.labs if lab.country == gov.index)
        pool_fill.append(min(1.0, ratio(c["investor_usd"][gov.index] * math.sqrt(market_scale), wanted, fill=1.0)))
    for lab, order in zip(w.labs, lab_orders):
        i = lab.index
        value = rep.valuation[i]
        ready = lab.alive and lab.raise_cooldown == 0
        # One financing move per turn, in order of preference: a round, state backing, tokens.
        tried_round = ready and order.raise_round
        tried_state = ready and not tried_round and order.seek_state
        tried_token = ready and not tried_round and not tried_state and order.token_financing
        if tried_round:
            if rep.raised[i] == 1:
                fill = pool_fill[lab.country]
                rep.round_fill[i] = fill
                lab.cash += asked[i] * fill
                lab.equity = lab.equity * (1.0 - c["round_share"] * fill)
        elif tried_state:
            rep.backing_chance[i] = 0.25 + 0.6 * lab.state_backed
            if u[i][1] < rep.backing_chance[i]:
                rep.backed[i] = True
                lab.cash += c["state_backing_usd"]
        elif tried_token:
            proceeds = value * c["token_share"] * (1.0 + c["token_volatility"] * (2.0 * u[i][2] - 1.0))
            fined = u[i][3] < c["token_fine_chance"]
            lab.cash += proceeds - (proceeds * c["token_fine_share"] if fined else 0.0)
            rep.token[i] = -1 if fined else 1
            if fined:
                lab.reputation = lab.reputation * 0.9
        # After money comes in, the next move waits; a refusal can be tried again next turn.
        if (tried_round and rep.raised[i] == 1) or rep.backed[i] or tried_token:
            lab.raise_cooldown = c["raise_cooldown"]
        else:
            lab.raise_cooldown = max(lab.raise_cooldown - 1, 0)

        partner_ready = lab.alive and lab.partner_cooldown == 0 and order.partner_deal and lab.partner_share < 0.6
        if partner_ready and u_partner[i] < 0.8 * min(1.0, lab.reputation):
            rep.partnered[i] = True
            lab.cash += value * c["partner_share"]
            lab.partner_share = lab.partner_share + c["partner_cut"]
        if partner_ready:
            lab.partner_cooldown = 2 * c["raise_cooldown"]
        else:
            lab.partner_cooldown = max(lab.partner_cooldown - 1, 0)

    rep.bankrupt = [False] * L
    for lab in w.labs:
        if lab.alive and lab.cash < 0:
            bankrupt(lab)
            rep.bankrupt[lab.index] = True


def bankrupt(lab) -> None:
    """A lab that cannot pay its bills closes: its chips, sites and builds are gone."""
    lab.alive = False
    lab.chips = [0.0] * len(lab.chips)
    for name in ("built", "approved", "queued", "onsite"):
        setattr(lab, name, [0.0] * len(getattr(lab, name)))
    lab.dc_ring_mw = [0.0] * len(lab.dc_ring_mw)
    lab.onsite_ring_mw = [0.0] * len(lab.onsite_ring_mw)
    lab.ppa_ring_mw = [0.0] * len(lab.ppa_ring_mw)
    lab.revenue = 0.0
    lab.share = 0.0
