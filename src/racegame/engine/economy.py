"""Markets, revenue, and money: costs, subsidies, fundraising, and bankruptcy.

Spending on AI models grows with adoption, with the frontier's capability and with the
milestones passed, and saturates towards what the world could spend. Buyers weigh
capability, price, reputation and a lab's distribution (its apps, search, cloud), and move
slowly (contracts, integrations). Money is finite: a parent business funds its lab from a
budget, and only while the lab keeps up; investors put so much a year into AI rounds, and
rounds that close in the same turn share it.
"""

from __future__ import annotations

import numpy as np

from .timeline import market_boost
from .util import by_country, by_country_sum, masked_max, max_over, pow10, ratio

OUTSIDE_WEIGHT = 0.02  # providers outside the game take a small share of every market


def market_pools(s, rules, frontier):
    """Spending on AI models this turn, per market (R, M): adoption, the frontier's
    capability, and the milestones the world has passed make it grow."""
    c = rules.at(s.turn)
    growth = c["adoption_scale"] * 10.0 ** (c["growth_per_oom"] * (frontier - c["frontier0"])) * market_boost(s, rules)
    raw = c["market_usd"][None, :] * growth[:, None]
    cap = c["market_cap_usd"] * (c["market_usd"] / c["market_usd"].sum())
    return raw / (1.0 + ratio(raw, cap[None, :])) * s.market_shock  # a market with no spending stays empty


def market_frontiers(s, rules, access):
    """(R, M): the best model buyers in each market can get (open weights count everywhere)."""
    reach = s.alive[:, :, None] & (access > 0)
    best = max_over(np.where(reach, s.capability[:, :, None], -np.inf), 1)
    return np.where(np.isfinite(best), best, rules.c["frontier0"])


def target_use(s, price_level, rules):
    """Where buyers' money would go this turn: each lab's share of spending (R, L, M), its
    price relative to par in each market (R, L, M), and the global frontier (R,).

    Buyers weigh capability (a market judges models against the best it can get: China's
    buyers against the best model sold in China), price (spending is elastic: a cheaper lab
    takes a larger share of it), reputation and distribution. A model behind the frontier
    also sells at a discount, so serving a dollar of its sales takes more compute."""
    c = rules.at(s.turn)
    frontier = masked_max(s.capability, s.alive, c["frontier0"])
    access = np.where(s.model_open[:, :, None], 1.0, rules.market_access.T[s.country])  # (R, L, M)
    behind = np.minimum(s.capability[:, :, None] - market_frontiers(s, rules, access)[:, None, :], 0.0)
    price = price_level[:, :, None] * pow10(c["price_per_oom"] * behind)
    appeal = (s.alive * price_level ** (1.0 - c["price_weight"]) * s.reputation * rules.lab_distribution[None, :])[:, :, None]
    weight = appeal * pow10(c["capability_weight"] * behind) * access
    share = weight / (weight.sum(axis=1, keepdims=True) + OUTSIDE_WEIGHT)
    return share, price, frontier


def revenue(s, lab, rules, rep) -> None:
    c = rules.at(s.turn)
    price_level = np.clip(np.nan_to_num(lab.price_level, nan=1.0), 0.2, 3.0)
    target, price, frontier = target_use(s, price_level, rules)
    # Buyers move with some inertia (contracts, habits, integrations).
    use = c["share_inertia"] * s.market_use * s.alive[:, :, None] + (1.0 - c["share_inertia"]) * target
    s.market_use = use
    # A market's pool is what its buyers spend on AI models. Free open weights that take a
    # share of it earn their makers little: the open-weights squeeze on closed labs.
    pools = market_pools(s, rules, frontier)
    spending = np.einsum("rlm,rm->rl", use, pools)
    volume = np.einsum("rlm,rm,rlm->rl", use, pools, ratio(1.0, price, fill=0.0))  # at par prices
    demand = spending * np.where(s.model_open, c["open_revenue_share"], 1.0)
    # Serving capacity limits sales: efficient models serve more per chip; reasoning models
    # think longer per task.
    capacity = rep.serve_h100e * c["serve_usd"] * pow10(0.5 * s.efficiency - c["reasoning_serving_cost"] * s.reasoning)
    served = np.where(s.model_open, 1.0, np.minimum(1.0, ratio(capacity, volume, fill=1.0)))
    gross = demand * served
    s.served = np.where(s.alive, served, 1.0)
    s.revenue = gross * (1.0 - s.partner_share)
    s.share = ratio(spending, pools.sum(axis=1)[:, None])
    rep.frontier = frontier
    rep.pools = pools
    rep.served = served
    rep.price_index = price_level * pow10(c["price_per_oom"] * (s.capability - frontier[:, None]))


def valuation(s, rules, pools, frontier):
    c = rules.at(s.turn)
    market_scale = pools.sum(axis=1) / c["market_usd"].sum()
    gap = s.capability - frontier[:, None]
    hype = c["hype_usd"] * np.sqrt(market_scale)[:, None] * 10.0 ** gap * s.reputation
    return np.minimum(s.revenue / c["dt"] * c["revenue_multiple"] + hype, c["valuation_cap"])


def subsidy_shares(s, rules) -> np.ndarray:
    """Each country's subsidy this turn shared among its living labs, a state champion
    weighing more (a level's subsidies are per first-stage turn)."""
    c = rules.at(s.turn)
    weight = s.alive * (1.0 + (c["champion_weight"] - 1.0) * rules.lab_state_backed[None, :])
    country_weight = by_country_sum(weight, s.country, len(rules.country_ids))  # (R, C)
    return weight * by_country(ratio(s.subsidy * c["subsidy_scale"], country_weight), s.country)


def finance(s, lab, rules, rng, rep, extra_costs) -> None:
    """Income, running costs, financing moves, then bankruptcy."""
    c = rules.at(s.turn)
    t = s.turn
    payroll = s.talent * c["salary"]
    ops = (s.chips @ rules.chip_price0) * c["chip_ops"]
    subsidy = subsidy_shares(s, rules)
    # A parent business funds its lab while the lab keeps up (full within its patience, none
    # at twice it), and only from the budget it set aside.
    behind = rep.frontier[:, None] - s.capability
    patience = rules.lab_parent_patience[None, :]
    belief = np.clip(2.0 - behind / patience, 0.0, 1.0)
    parent = np.minimum(c["parent_funding"][None, :] * belief, s.parent_left) * s.alive
    s.parent_left = s.parent_left - parent
    security = c["security_cost"][s.security - 1] * s.alive
    s.cash = s.cash + s.revenue + subsidy + parent - payroll - ops - rep.power_bill - security - extra_costs
    rep.parent = parent
    rep.payroll = payroll
    rep.subsidy = subsidy
    rep.security_cost = security
    rep.costs = payroll + ops + rep.power_bill + security

    value = valuation(s, rules, rep.pools, rep.frontier)
    u = rng.uniform(t, "fundraise", (s.alive.shape[1], 4))
    ready = s.alive & (s.raise_cooldown == 0)
    gap = s.capability - rep.frontier[:, None]
    chance = np.clip(c["round_chance"] + 0.5 * s.momentum + 0.3 * gap + 0.2 * (s.reputation - 1.0), 0.05, 0.95)
    tried_round = ready & lab.raise_round
    raised = tried_round & (u[:, :, 0] < chance)
    # Capital markets absorb only so much at once, more as the AI market grows: each
    # country's investors put so much into AI rounds a turn, shared by the rounds that close.
    market_scale = rep.pools.sum(axis=1) / c["market_usd"].sum()
    asked = np.where(raised, np.minimum(value * c["round_share"], c["round_cap_usd"] * np.sqrt(market_scale)[:, None]), 0.0)
    C = len(rules.country_ids)
    pool = c["investor_usd"][None, :] * np.sqrt(market_scale)[:, None]  # (R, C)
    fill = np.minimum(1.0, ratio(pool, by_country_sum(asked, s.country, C), fill=1.0))
    round_size = asked * by_country(fill, s.country)
    rep.round_fill = np.where(raised, by_country(fill, s.country), np.nan)
    # np.where, not a mask: an overflowing valuation times "no" must stay out of the cash.
    s.cash += np.where(raised, round_size, 0.0)
    s.equity = np.where(raised, s.equity * (1.0 - c["round_share"] * by_country(fill, s.country)), s.equity)

    tried_state = ready & ~tried_round & lab.seek_state
    backing_chance = 0.25 + 0.6 * rules.lab_state_backed[None, :]
    backed = tried_state & (u[:, :, 1] < backing_chance)
    s.cash += c["state_backing_usd"] * backed

    tried_token = ready & ~tried_round & ~tried_state & lab.token_financing
    proceeds = value * c["token_share"] * (1.0 + c["token_volatility"] * (2.0 * u[:, :, 2] - 1.0))
    fined = tried_token & (u[:, :, 3] < c["token_fine_chance"])
    s.cash += np.where(tried_token, proceeds, 0.0) - np.where(fined, proceeds * c["token_fine_share"], 0.0)
    s.reputation = np.where(fined, s.reputation * 0.9, s.reputation)

    # After money comes in, the next move waits; a refusal can be tried again next turn.
    got_money = (tried_round & raised) | backed | tried_token
    s.raise_cooldown = np.where(got_money, c["raise_cooldown"], np.maximum(s.raise_cooldown - 1, 0))

    partner_ready = s.alive & (s.partner_cooldown == 0) & lab.partner_deal & (s.partner_share < 0.6)
    u_partner = rng.uniform(t, "partner", (s.alive.shape[1],))
    partnered = partner_ready & (u_partner < 0.8 * np.minimum(1.0, s.reputation))
    s.cash += np.where(partnered, value * c["partner_share"], 0.0)
    s.partner_share = s.partner_share + c["partner_cut"] * partnered
    s.partner_cooldown = np.where(partner_ready, 2 * c["raise_cooldown"], np.maximum(s.partner_cooldown - 1, 0))

    bankrupt = s.alive & (s.cash < 0)
    s.alive = s.alive & ~bankrupt
    s.chips[bankrupt] = 0.0
    for name in ("built", "approved", "queued", "onsite"):
        getattr(s, name)[bankrupt] = 0.0
    s.dc_ring_mw[bankrupt] = 0.0
    s.onsite_ring_mw[bankrupt] = 0.0
    s.ppa_ring_mw[bankrupt] = 0.0
    s.revenue = np.where(bankrupt, 0.0, s.revenue)
    s.share = np.where(bankrupt, 0.0, s.share)

    rep.valuation = value
    rep.raised = np.where(raised, 1, np.where(tried_round, -1, 0))
    # The odds of each financing roll a lab tried (NaN: not tried), so players see them.
    rep.round_chance = np.where(tried_round, chance, np.nan)
    rep.backing_chance = np.where(tried_state, backing_chance, np.nan)
    rep.backed = backed
    rep.token = np.where(fined, -1, np.where(tried_token, 1, 0))
    rep.partnered = partnered
    rep.bankrupt = bankrupt
