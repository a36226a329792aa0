"""Governments' orders take effect, within their legal ranges; national projects start."""

from __future__ import annotations

import math

from .plain import INF, clip, finite


MAX_SUBSIDY = 1e13  # USD per turn: beyond any real budget, and far from overflow


def project_weight(w, lab, gov, best: float) -> float:
    """How likely ``lab`` is to lead ``gov``'s national project: a state-backed champion most
    likely, otherwise the capable and those who lobbied for it."""
    if not (lab.alive and lab.country == gov.index):
        return 0.0
    lobbying = 1.0 + lab.lobby_usd / w.c["lobby_usd"]
    champion = 1.0 + 9.0 * lab.state_backed
    return math.exp(3.0 * min(lab.capability - best, 0.0)) * lobbying * champion


def apply_policy(w, govs, reaction_wait, draws, rep) -> None:
    rep.tier_change = [0] * len(w.govs)
    rep.mega_start = [False] * len(w.govs)
    rep.mega_lab = [-1] * len(w.govs)
    rep.mega_mw = [0.0] * len(w.labs)
    for gov, order in zip(w.govs, govs):
        old_tier = gov.export_tier
        # A NaN tier counts as 0, like every other unreadable policy number (the vectorised
        # engine casts NaN to a huge negative integer instead).
        gov.export_tier = int(round(clip(finite(order.export_tier), 0.0, 3.0)))
        gov.enforcement = clip(finite(order.enforcement), 0.0, 1.0)
        gov.subsidy = clip(finite(order.subsidy), 0.0, MAX_SUBSIDY)
        gov.permitting = clip(finite(order.permitting, nan=1.0), 0.1, 10.0)
        gov.regulation = clip(finite(order.regulation), 0.0, 1.0)
        gov.pool = clip(finite(order.pool), 0.0, gov.pool_max)
        gov.retaliation = bool(order.retaliation)
        gov.spy_usd = clip(finite(order.intel_usd, posinf=0.0), 0.0, MAX_SUBSIDY)
        rep.tier_change[gov.index] = gov.export_tier - old_tier
    w.reaction_wait = [max(int(x), 0) for x in reaction_wait]

    u = draws.uniform(w.turn, "mega", (len(w.govs),))
    for gov, order in zip(w.govs, govs):
        has_project = gov.mega_mw > 0 or gov.mega_usd > 0
        if not (order.start_mega and not gov.mega_started and has_project):
            continue
        gov.mega_started = True
        rep.mega_start[gov.index] = True
        # A draw among the country's labs, in proportion to their weights.
        best = max((lab.capability for lab in w.labs if lab.alive and lab.country == gov.index), default=-INF)
        weights = [project_weight(w, lab, gov, best) for lab in w.labs]
        total = sum(weights)
        if total <= 0:
            continue  # a country with no living lab wastes its project
        target = u[gov.index] * total
        running, chosen = 0.0, len(weights) - 1
        for lab, weight in zip(w.labs, weights):
            running += weight
            if running > target:
                chosen = lab.index
                break
        w.labs[chosen].cash += gov.mega_usd
        rep.mega_mw[chosen] += gov.mega_mw
        rep.mega_lab[gov.index] = chosen
