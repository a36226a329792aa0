"""The chip market, plainly: who may buy what, smuggling, rationing, prices and supply."""

from __future__ import annotations

from .plain import INF, clip, ratio


def retaliation_banned(w, chip) -> bool:
    """A country the producer controls has banned critical minerals to it."""
    return any(controlled and target.retaliation for controlled, target in zip(w.govs[chip.producer].controls, w.govs))


def access(w, lab, chip):
    """(blocked, controlled, list price, the price this lab pays) for one lab and class.

    blocked: a domestic-only class of another country. controlled: the producer's export
    controls cover the lab's country at the producer's current tier; only a leak of what
    the lab tries to buy gets through, at a smuggling premium.
    """
    c = w.c
    producer = w.govs[chip.producer]
    active = chip.control_tier > 0 and producer.export_tier >= chip.control_tier
    controlled = producer.controls[lab.country] and active
    blocked = chip.domestic_only and lab.country != chip.producer
    price = chip.price * (1.0 + c["retaliation_cost"] * retaliation_banned(w, chip))
    unit_price = price * (1.0 + c["smuggle_premium"] * controlled)
    return blocked, controlled, price, unit_price


def chip_market(w, lab_orders, rep) -> list:
    """Buy chips with each lab's (sanitised) offers; returns money spent per lab."""
    c = w.c
    t = w.turn
    L, K = len(w.labs), len(w.chips)
    # Retirements happen before deliveries.
    for lab in w.labs:
        lab.chips = [n * c["chip_keep"] for n in lab.chips]

    spend = [0.0] * L
    rep.chip_offer = [0.0] * L
    rep.rationed = [0.0] * L
    rep.denied_usd = [0.0] * L
    rep.controlled_any = [False] * L
    rep.control_loss = [0.0] * L
    rep.chip_demand = [0.0] * K
    rep.chip_supply = [0.0] * K
    rep.chips_bought = [[0.0] * K for _ in range(L)]
    best_any = [0.0] * L
    best_legal = [0.0] * L
    for chip in w.chips:
        k = chip.index
        available = t >= chip.available
        supply = chip.supply * c["chip_supply_scale"] * chip.shock * available
        leak = c["smuggle_max"] * (1.0 - w.govs[chip.producer].enforcement)
        offers, wants, unit_prices = [], [], []
        for lab, order in zip(w.labs, lab_orders):
            blocked, controlled, price, unit_price = access(w, lab, chip)
            offer = order.chip_usd[k] * (not blocked) * lab.alive * available
            through = leak if controlled else 1.0
            offers.append(offer)
            wants.append(offer / unit_price * through)
            unit_prices.append(unit_price)
            rep.chip_offer[lab.index] += offer
            rep.denied_usd[lab.index] += offer * controlled * (1.0 - through)
            if controlled and chip.perf_train > 0:
                rep.controlled_any[lab.index] = True
            # Export controls bind through price: compute from the best class the lab may
            # legally buy against compute from the best class on the market.
            if not blocked and available:
                best_any[lab.index] = max(best_any[lab.index], chip.perf_train / price)
                if not controlled:
                    best_legal[lab.index] = max(best_legal[lab.index], chip.perf_train / unit_price)
        demand = sum(wants)
        fill = min(1.0, ratio(supply, demand, fill=1.0))
        for lab in w.labs:
            i = lab.index
            got = wants[i] * fill
            lab.chips[k] += got
            rep.chips_bought[i][k] = got
            spend[i] += got * unit_prices[i]
            rep.rationed[i] += (wants[i] - got) * unit_prices[i]
        rep.chip_demand[k] = demand
        rep.chip_supply[k] = supply

        # Prices follow excess demand within a bounded step, on top of the secular decline,
        # and stay within a band around the list-price trend (makers ration, not auction).
        if available:
            # With nothing produced, unmet demand pushes the price up as far as it may go;
            # with no demand either, the price just follows its trend.
            if supply > 0:
                excess = ratio(demand, supply)
            else:
                excess = INF if demand > 0 else 1.0
            step = excess ** c["chip_price_response"]
            step = clip(step, 1.0 / (1.0 + c["chip_max_price_step"]), 1.0 + c["chip_max_price_step"])
            trend = chip.price0 * c["chip_price_decline_per_year"] ** max(0.0, c["chip_price_trend_years"] - chip.available_years)
            chip.price = clip(chip.price * c["chip_price_decline"] * step, 0.9 * trend, 2.0 * trend)

            # Production grows; a rival's HBM and tool controls against the producer slow it.
            against = max(gov.controls[chip.producer] * gov.export_tier for gov in w.govs)
            hbm = chip.hbm_tier > 0 and against >= chip.hbm_tier
            chip.supply = chip.supply * (1.0 + (c["chip_growth"][k] - 1.0) * (1.0 - chip.hbm_penalty * hbm))

    for lab in w.labs:
        i = lab.index
        loss = 1.0 - ratio(best_legal[i], best_any[i], fill=1.0)
        rep.control_loss[i] = loss if rep.controlled_any[i] and rep.chip_offer[i] > 0 else 0.0
    rep.chip_spend = spend
    return spend
