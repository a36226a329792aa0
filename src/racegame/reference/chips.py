"""The chip market, plainly: who may buy what, a supply chain with capacity, smuggling,
rationing and prices."""

from __future__ import annotations

from bisect import bisect_left

from .plain import clip, ratio

PREMIUM_STEP = 0.5  # engine.chips.PREMIUM_STEP


def retaliation_banned(w, chip) -> bool:
    """A country the producer controls has banned critical minerals to it."""
    return any(controlled and target.retaliation for controlled, target in zip(w.govs[chip.producer].controls, w.govs))


def access(w, lab, chip):
    """(blocked, controlled, list price, the price this lab pays) for one lab and class.

    blocked: a domestic-only class of another country. controlled: the producer's export
    controls cover the lab's country at the producer's current tier; the class comes only
    from smugglers, at their premium.
    """
    c = w.c
    producer = w.govs[chip.producer]
    active = chip.control_tier > 0 and producer.export_tier >= chip.control_tier
    controlled = producer.controls[lab.country] and active
    blocked = chip.domestic_only and lab.country != chip.producer
    price = chip.price * (1.0 + c["retaliation_cost"] * retaliation_banned(w, chip))
    unit_price = price * (1.0 + chip.premium * controlled)
    return blocked, controlled, price, unit_price


def drawn_units(w, chip) -> tuple[list, float]:
    """Units of each input one chip of this class draws on now, and the share of an order it
    can fill when controls cut an input that has no substitute (only smuggled units)."""
    drawn = [0.0] * len(w.inputs)
    capped = 1.0
    for item in w.inputs:
        units = chip.units[item.index]
        if units <= 0:
            continue
        owner = w.govs[item.country]
        cut = (owner.controls[chip.producer] and item.control_tier > 0 and owner.export_tier >= item.control_tier)
        if cut and item.substitute >= 0:
            drawn[item.substitute] += units
            continue
        drawn[item.index] += units
        if cut:
            capped = min(capped, w.c["smuggle_share"] * (1.0 - owner.enforcement) ** 2)
    return drawn, capped


def capacity(w, item) -> float:
    return item.capacity * item.yield_ * item.shock * w.c["chip_supply_scale"]


def max_output(w, chip) -> float:
    """Chips of this class that could be made if it had every input to itself."""
    drawn, _ = drawn_units(w, chip)
    limits = [ratio(capacity(w, item), drawn[item.index], fill=0.0) for item in w.inputs if drawn[item.index] > 0]
    return min(limits) if limits else 0.0


def buy_tools(w) -> None:
    """A class made with tools the producer's rivals control comes on its drawn date; once
    their tools controls lift, the producer buys the tools and it comes within a few years."""
    for chip in w.chips:
        against = max(gov.controls[chip.producer] * gov.export_tier for gov in w.govs)
        if chip.tool_tier > 0 and against < chip.tool_tier and chip.available > w.turn:
            soon = bisect_left(w.rules.turn_years, float(w.rules.years_at(w.turn)) + chip.tools_bought_years)
            chip.available = min(chip.available, int(soon))


def chip_market(w, lab_orders, rep) -> list:
    """Buy chips with each lab's (sanitised) offers; returns money spent per lab."""
    c = w.c
    t = w.turn
    buy_tools(w)
    L, K, P = len(w.labs), len(w.chips), len(w.inputs)
    # Every class's orders, legal and contraband, are gathered before anything is made: the
    # supply chain's inputs are shared by all classes at once.
    offers = [[0.0] * K for _ in range(L)]
    wanted = [[0.0] * K for _ in range(L)]
    prices = [[0.0] * K for _ in range(L)]
    contra_flag = [[False] * K for _ in range(L)]
    legal = [0.0] * K
    contra = [0.0] * K
    rep.controlled_any = [False] * L
    best_any = [0.0] * L
    best_legal = [0.0] * L
    for chip in w.chips:
        k = chip.index
        available = t >= chip.available
        for lab, order in zip(w.labs, lab_orders):
            i = lab.index
            blocked, controlled, price, unit_price = access(w, lab, chip)
            offer = order.chip_usd[k] * (not blocked) * lab.alive * available
            offers[i][k] = offer
            wanted[i][k] = offer / unit_price
            prices[i][k] = unit_price
            contra_flag[i][k] = controlled
            if controlled:
                contra[k] += wanted[i][k]
            else:
                legal[k] += wanted[i][k]
            if controlled and chip.perf_train > 0:
                rep.controlled_any[i] = True
            # Export controls bind through price: compute from the best class the lab may
            # legally buy against compute from the best class on the market.
            if not blocked and available:
                best_any[i] = max(best_any[i], chip.perf_train / price)
                if not controlled:
                    best_legal[i] = max(best_legal[i], chip.perf_train / unit_price)

    # Smugglers divert part of each controlled class's possible output.
    through, demand, smuggling = [1.0] * K, [0.0] * K, [0.0] * K
    for chip in w.chips:
        k = chip.index
        available = t >= chip.available
        # Chip-location tracking by the producer stops part of what enforcement misses.
        producer = w.govs[chip.producer]
        enforcement = 1.0 - (1.0 - producer.enforcement) * (1.0 - c["tracking_smuggling_cut"] * producer.tracking)
        reach = ratio(chip.premium, c["smuggle_premium"], fill=1.0) ** c["smuggle_elasticity"]
        smuggling[k] = c["smuggle_share"] * (1.0 - enforcement) ** 2 * reach * max_output(w, chip) * available
        through[k] = min(1.0, ratio(smuggling[k], contra[k], fill=1.0))
        demand[k] = legal[k] + contra[k] * through[k]

    # Each input is shared in proportion to need; a class is held to its scarcest input.
    draws = [drawn_units(w, chip) for chip in w.chips]
    need = [sum(demand[k] * draws[k][0][p] for k in range(K)) for p in range(P)]
    use = [(ratio(need[p], capacity(w, item), fill=float("inf")) if need[p] > 0 else 0.0) for p, item in enumerate(w.inputs)]
    rep.input_use = use
    made, tight = [0.0] * K, [0.0] * K
    for chip in w.chips:
        k = chip.index
        drawn, capped = draws[k]
        tight[k] = max([use[p] for p in range(P) if drawn[p] > 0], default=0.0)
        made[k] = demand[k] * min(1.0, ratio(1.0, tight[k], fill=1.0)) * min(1.0, capped) * chip.shock

    spend = [0.0] * L
    rep.chip_offer = [sum(row) for row in offers]
    rep.chips_bought = [[0.0] * K for _ in range(L)]
    rep.chips_smuggled = [[0.0] * K for _ in range(L)]
    rep.denied_usd = [0.0] * L
    rep.rationed = [0.0] * L
    for lab in w.labs:
        i = lab.index
        lab.chips = [n * c["chip_keep"] for n in lab.chips]  # retirements happen before deliveries
        for chip in w.chips:
            k = chip.index
            fill = ratio(made[k], demand[k], fill=1.0)
            got = wanted[i][k] * fill * (through[k] if contra_flag[i][k] else 1.0)
            lab.chips[k] += got
            rep.chips_bought[i][k] = got
            spend[i] += got * prices[i][k]
            # Money offered that smugglers (controlled classes) or makers could not deliver.
            if contra_flag[i][k]:
                rep.chips_smuggled[i][k] = got
                rep.denied_usd[i] += offers[i][k] * (1.0 - fill * through[k])
            else:
                rep.rationed[i] += offers[i][k] * (1.0 - fill)

    for chip in w.chips:
        k = chip.index
        if t >= chip.available:
            # Prices follow the scarcest input's tightness within a bounded step, on top of
            # the secular decline, and stay within a band around the list-price trend.
            excess = tight[k] if demand[k] > 0 else 1.0
            step = clip(excess ** c["chip_price_response"], 1.0 / (1.0 + c["chip_max_price_step"]), 1.0 + c["chip_max_price_step"])
            trend = chip.price0 * c["chip_price_decline_per_year"] ** max(0.0, c["chip_price_trend_years"] - float(w.rules.years_at(chip.available)))
            chip.price = clip(chip.price * c["chip_price_decline"] * step, 0.9 * trend, 2.0 * trend)
        # The smugglers' premium climbs when buyers want more than gets through.
        wants_more = ratio(contra[k], smuggling[k], fill=float("inf")) if contra[k] > 0 else 0.5
        chip.premium = clip(chip.premium * clip(wants_more, 0.5, 2.0) ** PREMIUM_STEP, c["smuggle_premium"], c["smuggle_premium_max"])
        if contra[k] > 0:
            chip.smuggle_fill = through[k] * ratio(made[k], demand[k], fill=1.0)

    grow_inputs(w)

    rep.chip_spend = spend
    rep.control_loss = [0.0] * L
    for lab in w.labs:
        i = lab.index
        loss = 1.0 - ratio(best_legal[i], best_any[i], fill=1.0)
        rep.control_loss[i] = loss if rep.controlled_any[i] and rep.chip_offer[i] > 0 else 0.0
    # The cheapest legal way to fill a MW of powered capacity with chips (for cash binding).
    rep.usd_per_mw = [min((prices[lab.index][chip.index] / chip.power_mw for chip in w.chips
                           if lab.alive and t >= chip.available and not contra_flag[lab.index][chip.index]
                           and not access(w, lab, chip)[0]), default=float("inf")) for lab in w.labs]
    rep.chip_demand = demand
    rep.chip_supply = made
    rep.chip_tightness = tight
    rep.smuggle_capacity = smuggling
    return spend


def grow_inputs(w) -> None:
    """Capacity grows; a rival's tools controls against an input's country slow it. Yields
    improve towards one."""
    c = w.c
    for item in w.inputs:
        against = max(gov.controls[item.country] * gov.export_tier for gov in w.govs)
        tools = item.tool_tier > 0 and against >= item.tool_tier
        growth = 1.0 + (c["input_growth"][item.index] - 1.0) * (1.0 - item.tool_penalty * tools)
        item.capacity = item.capacity * growth
        item.yield_ = min(1.0, item.yield_ + c["input_yield_gain"][item.index])


def rent_abroad(w, lab_orders, rep) -> list:
    """Compute rented abroad this turn: third countries' cloud capacity, shared in proportion
    to what renters want; each country whose controls are in force against a renter's country
    closes part of it (cloud controls, then tracking finds part of what they miss)."""
    c = w.c
    reach = []
    for lab, order in zip(w.labs, lab_orders):
        openness = 1.0
        for p, gov in enumerate(w.govs):
            if gov.controls[lab.country] and gov.export_tier >= 1:
                shut = 1.0 - (1.0 - w.rules.cloud_controls[p]) * (1.0 - c["tracking_smuggling_cut"] * gov.tracking)
                openness = openness * (1.0 - shut)
        reach.append(order.rent_usd / c["rent_price"] * openness * lab.alive)
    fill = min(1.0, ratio(c["rent_pool"], sum(reach), fill=1.0))
    rep.rented_h100e = [x * fill for x in reach]
    rep.rent_spend = [x * c["rent_price"] for x in rep.rented_h100e]
    return rep.rent_spend
