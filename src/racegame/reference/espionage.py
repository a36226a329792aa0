"""Security and espionage, plainly: security levels, intelligence services, thefts of model
weights and leaks of algorithmic secrets, discovery and hostility."""

from __future__ import annotations

from .plain import INF, clip, finite, ratio


def security_levels(w, lab_orders) -> None:
    """Each lab moves one level towards the security level it ordered."""
    for lab, order in zip(w.labs, lab_orders):
        want = int(clip(round(finite(order.security, nan=1.0)), 1, 5))
        if lab.alive:
            lab.security += (want > lab.security) - (want < lab.security)


def espionage(w, lab_orders, draws, rep) -> None:
    """Thefts and leaks; a capped lab (a pause, or its own wait below a milestone) fields no
    stolen model past its cap: it keeps the weights until the cap goes."""
    c = w.c
    L, C = len(w.labs), len(w.govs)
    u = draws.uniform(w.turn, "espionage", (C, L, 3))
    rep.stolen = [-1] * C
    rep.thief = [-1] * C
    rep.fielded = [False] * C
    rep.held_back = [False] * C
    rep.leaked = [-1] * C
    rep.discovered = [[False] * L for _ in range(C)]
    rep.spy_spend = [gov.spy_usd for gov in w.govs]  # this turn's budgets, as policy set them
    for gov, spend in zip(w.govs, rep.spy_spend):
        gov.gov_intel = gov.gov_intel * c["spy_keep"] + spend / c["spy_usd"]
    for gov in w.govs:
        a = gov.index
        mine = [lab for lab in w.labs if lab.alive and lab.country == a]
        if not mine:
            continue
        # The attacker's strongest lab receives what its services take (first on ties).
        recipient = max(mine, key=lambda lab: (lab.capability, -lab.index))
        own_best = recipient.capability
        strength = ratio(gov.gov_intel, gov.gov_intel + 1.0)
        thefts, leaks = [], []
        for lab in w.labs:
            if not lab.alive or lab.country == a:
                continue
            defence = c["security_defence"][lab.security - 1]
            stakes = 1.0 + lab.milestone
            hit = strength * (1.0 - defence) * stakes
            stole = lab.capability > own_best and u[a][lab.index][0] < c["theft_chance"] * hit
            leaked = lab.efficiency > recipient.efficiency and u[a][lab.index][1] < c["secrets_chance"] * hit
            if stole:
                thefts.append(lab)
            if leaked:
                leaks.append(lab)
            if (stole or leaked) and u[a][lab.index][2] < c["security_discovery"][lab.security - 1]:
                rep.discovered[a][lab.index] = True
        if thefts:
            target = max(thefts, key=lambda lab: (lab.capability, -lab.index))
            stolen = target.capability - c["adaptation_oom"]
            cap = finite(lab_orders[recipient.index].cap_capability, posinf=0.0)
            if stolen > recipient.capability and (cap <= 0 or stolen <= cap):
                recipient.capability = stolen
                rep.fielded[a] = True
            elif stolen > recipient.capability:
                rep.held_back[a] = True
            recipient.distilled = max(recipient.distilled, stolen)
            rep.stolen[a] = target.index
            rep.thief[a] = recipient.index
        if leaks:
            source = max(leaks, key=lambda lab: (lab.efficiency, -lab.index))
            recipient.efficiency = recipient.efficiency + c["secrets_share"] * max(source.efficiency - recipient.efficiency, 0.0)
            rep.leaked[a] = source.index
        # Discovery: the victims' governments grow hostile.
        for victim in w.govs:
            if any(rep.discovered[a][lab.index] for lab in w.labs if lab.alive and lab.country == victim.index):
                victim.tension = min(1.0, victim.tension + c["theft_tension"])
    for gov in w.govs:
        gov.tension = gov.tension * c["tension_keep"]


__all__ = ["INF", "espionage", "security_levels"]
