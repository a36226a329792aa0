"""Governments' orders take effect, within their legal ranges; national projects start."""

from __future__ import annotations

from .plain import INF, clip, finite


def apply_policy(w, govs, reaction_wait, rep) -> None:
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
        gov.subsidy = max(finite(order.subsidy), 0.0)
        gov.permitting = clip(finite(order.permitting, nan=1.0), 0.1, 10.0)
        gov.regulation = clip(finite(order.regulation), 0.0, 1.0)
        gov.retaliation = bool(order.retaliation)
        rep.tier_change[gov.index] = gov.export_tier - old_tier
    w.reaction_wait = [max(int(x), 0) for x in reaction_wait]

    for gov, order in zip(w.govs, govs):
        has_project = gov.mega_mw > 0 or gov.mega_usd > 0
        if not (order.start_mega and not gov.mega_started and has_project):
            continue
        gov.mega_started = True
        rep.mega_start[gov.index] = True
        # The project goes to the country's state-backed champion, else its most capable lab;
        # a country with no living lab wastes it.
        best, best_score = -1, -INF
        for lab in w.labs:
            if lab.alive and lab.country == gov.index:
                score = lab.capability + 100.0 * lab.state_backed
                if best < 0 or score > best_score:
                    best, best_score = lab.index, score
        if best >= 0:
            w.labs[best].cash += gov.mega_usd
            rep.mega_mw[best] += gov.mega_mw
            rep.mega_lab[gov.index] = best
