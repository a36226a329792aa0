"""Agreements between governments and labs' cooperative moves, plainly (see
``engine.diplomacy`` for the rules in words)."""

from __future__ import annotations

from ..engine.diplomacy import AGREEMENTS, ALONE, IN_FORCE, NONE, PAUSE, PROPOSAL_TURNS, PROPOSED, SAFETY
from .plain import clip, finite, ratio


def agreements(w, govs, rep) -> None:
    c = w.c
    t = w.turn
    A = len(AGREEMENTS)
    rep.treaty_started = [False] * A
    rep.treaty_ended = [False] * A
    rep.treaty_left = [[False] * len(w.govs) for _ in range(A)]  # the governments whose leaving ended it
    rep.caught = -1
    shared = sum(w.treaty_members[PAUSE]) >= 2  # a moratorium has nobody to cheat
    for gov, order in zip(w.govs, govs):
        gov.tracking = bool(order.tracking)
        gov.inspections = clip(finite(order.inspections), 0.0, 1.0)
        gov.cheating = bool(order.cheat) and w.treaty_members[PAUSE][gov.index] and shared
    has_labs = [any(lab.alive and lab.country == gov.index for lab in w.labs) for gov in w.govs]
    frontier = max((lab.capability for lab in w.labs if lab.alive), default=c["frontier0"])
    propose = [int(clip(finite(order.propose), 0.0, float(ALONE))) for order in govs]
    rep.notice_given = -1
    for a in range(A):
        members = list(w.treaty_members[a])
        quits = [m and bool(order.leave[a]) for m, order in zip(members, govs)]
        if a == PAUSE:
            quits = notice(w, quits, rep)
        ended = w.treaty[a] == IN_FORCE and any(quits)
        members = [m and not q for m, q in zip(members, quits)]
        asks = [p == a + 1 or (p == ALONE and a == PAUSE) for p in propose]
        fresh = w.treaty[a] == NONE and any(asks)
        alone = False
        if fresh:
            proposer = asks.index(True)
            alone = propose[proposer] == ALONE
            members = [g == proposer for g in range(len(w.govs))]
            w.treaty_since[a] = t
            if a == PAUSE:
                w.treaty_cap = frontier + c["pause_margin"]
        pending = fresh or w.treaty[a] == PROPOSED
        if pending:
            members = [m or bool(order.sign[a]) for m, order in zip(members, govs)]
        complete = all(m or not labs for m, labs in zip(members, has_labs)) and sum(members) >= 2
        if alone:  # the proposer's own labs only, at once
            members = [g == proposer for g in range(len(w.govs))]
        starts = (pending and complete) or alone
        lapsed = pending and not complete and t - w.treaty_since[a] >= PROPOSAL_TURNS
        status = IN_FORCE if starts else PROPOSED if fresh else w.treaty[a]
        if ended or lapsed or not any(members):
            status = NONE
        if starts:
            w.treaty_since[a] = t
        rep.treaty_started[a] = starts
        rep.treaty_ended[a] = ended
        rep.treaty_left[a] = [q and ended for q in quits]
        w.treaty[a] = status
        w.treaty_members[a] = [m and status != NONE for m in members]
    pausing = w.treaty[PAUSE] == IN_FORCE
    if pausing:
        w.treaty_cap = w.treaty_cap + c["pause_allowance"]
    elif w.treaty[PAUSE] == NONE:
        w.treaty_cap = 0.0
    if not pausing:
        w.pause_notice, w.pause_notice_by = 0, -1
    for gov in w.govs:
        if w.treaty[SAFETY] == IN_FORCE and w.treaty_members[SAFETY][gov.index]:
            gov.regulation = max(gov.regulation, c["safety_floor"])
        gov.cheating = gov.cheating and pausing


def notice(w, quits, rep) -> list:
    """Who leaves the pause this turn: a member leaving a pause it shares gives notice and
    the pause ends when that runs out; with no notice period, or alone, at once."""
    running = w.pause_notice > 0
    if running:
        w.pause_notice -= 1
        due = w.pause_notice == 0
        return [due and g == w.pause_notice_by for g in range(len(quits))]
    shared = sum(w.treaty_members[PAUSE]) >= 2
    if w.c["pause_notice"] > 0 and w.treaty[PAUSE] == IN_FORCE and shared and any(quits):
        w.pause_notice = w.c["pause_notice"]
        w.pause_notice_by = quits.index(True)
        rep.notice_given = w.pause_notice_by
        return [False] * len(quits)
    return quits


def on_pause_line(w, lab, cap: float) -> bool:
    """Whether ``cap`` is the line of a pause that holds ``lab`` (not its own, lower cap)."""
    gov = w.govs[lab.country]
    return (w.treaty[PAUSE] == IN_FORCE and bool(w.treaty_members[PAUSE][lab.country]) and not gov.cheating
            and cap == w.treaty_cap)


def pause_caps(w, lab_orders) -> None:
    """Members' labs may not train beyond a pause's cap unless their government cheats."""
    for lab, order in zip(w.labs, lab_orders):
        own = finite(order.cap_capability, posinf=0.0)
        gov = w.govs[lab.country]
        if w.treaty[PAUSE] == IN_FORCE and w.treaty_members[PAUSE][lab.country] and not gov.cheating:
            order.cap_capability = min(own, w.treaty_cap) if own > 0 else w.treaty_cap
        else:
            order.cap_capability = own


def verification(w) -> float:
    c = w.c
    members = [gov for gov in w.govs if w.treaty_members[PAUSE][gov.index]]
    if not members:
        return 0.0
    strength = [c["tracking_strength"] * gov.tracking + c["inspection_strength"] * gov.inspections for gov in members]
    return sum(strength) / len(members)


def catch_cheats(w, draws, rep) -> None:
    c = w.c
    u = draws.uniform(w.turn, "treaty", (len(w.govs),))
    if w.treaty[PAUSE] != IN_FORCE:
        return
    strength = verification(w)
    caught = []
    for gov in w.govs:
        over = max([max(lab.capability - w.treaty_cap, 0.0) for lab in w.labs if lab.alive and lab.country == gov.index], default=0.0)
        chance = (strength + c["spy_detection"]) * min(1.0, over / c["detect_oom"])
        if gov.cheating and u[gov.index] < chance:
            caught.append(gov.index)
    if not caught:
        return
    rep.caught = caught[0]
    for lab in w.labs:
        if lab.alive and lab.country in caught:
            lab.reputation = lab.reputation * (1.0 - c["cheat_reputation"])
    for gov in w.govs:
        if gov.index not in caught:
            gov.tension = min(1.0, gov.tension + c["cheat_tension"])
        gov.cheating = False
    w.treaty[PAUSE] = NONE
    w.treaty_members[PAUSE] = [False] * len(w.govs)
    w.treaty_cap = 0.0
    w.pause_notice, w.pause_notice_by = 0, -1
    rep.treaty_ended[PAUSE] = True


def share_safety(w, lab_orders, rep) -> None:
    c = w.c
    gained = rep.safety_gain
    publish = [clip(finite(o.publish_safety), 0.0, 1.0) * lab.alive for lab, o in zip(w.labs, lab_orders)]
    published = sum(g * p for g, p in zip(gained, publish))
    members = [w.treaty[SAFETY] == IN_FORCE and w.treaty_members[SAFETY][lab.country] and lab.alive for lab in w.labs]
    pooled = sum(g for g, m in zip(gained, members) if m)
    count = max(sum(members), 1)
    publishers = [lab for lab, p in zip(w.labs, publish) if lab.alive and p > 0]
    best = max((lab.efficiency for lab in publishers), default=None)
    reveal = max(publish, default=0.0)
    for lab in w.labs:
        i = lab.index
        lab.safety = lab.safety + c["publish_uptake"] * (published - gained[i] * publish[i]) * lab.alive
        if members[i]:
            lab.safety = lab.safety + c["incident_sharing"] * (pooled - gained[i]) / count
        if best is not None:
            lab.efficiency = lab.efficiency + c["publish_reveal"] * reveal * max(best - lab.efficiency, 0.0) * lab.alive
        lab.reputation = lab.reputation + c["publish_trust"] * publish[i]
    rep.published = published


def broken_commitments(w, lab_orders, rep) -> None:
    c = w.c
    rep.broke_commitment = [False] * len(w.labs)
    for lab, order in zip(w.labs, lab_orders):
        lab.committed = bool(order.commit_pause) and lab.alive
        odds = rep.passage_odds[lab.index]
        odds = 1.0 if odds != odds else odds
        if lab.committed and rep.passed[lab.index] > 0 and odds < c["commit_odds"]:
            lab.reputation = lab.reputation * (1.0 - c["broken_reputation"])
            rep.broke_commitment[lab.index] = True


__all__ = ["agreements", "broken_commitments", "catch_cheats", "notice", "pause_caps", "ratio", "share_safety", "verification"]
