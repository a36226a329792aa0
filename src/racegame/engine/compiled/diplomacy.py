"""Compiled twins of ``engine.diplomacy``'s phases: ``agreements`` (with its ``_notice``),
``pause_caps``, ``share_safety`` and ``catch_cheats`` (with ``verification``), one replica
at a time (see ``compiled/__init__.py``).

Same rules, same order: each agreement in turn sees the leavers, a new proposal, the
signatures and whether it starts, ends or lapses; then the pause's cap and safety
standards' floor. The kernels keep numpy's semantics where they matter: ``argmax``'s first
index, ``max_over``'s NaN propagation, a boolean multiplying a number (``NaN * False`` is
NaN), ``nan_to_num``'s clipping, and sums over the labs in ``np.sum``'s pairwise order.
Arrays the numpy phase changes in place (the treaty tables, ``cheating`` and the report's
``treaty_ended`` in ``catch_cheats``) are changed in place here; every other result is a
fresh array, as in numpy. The status codes and agreement indices come in as arguments
(``CODES``), so that numba's cache never keeps stale copies of them.
"""

from __future__ import annotations

import math

import numpy as np

from ..diplomacy import ALONE, IN_FORCE, NONE, PAUSE, PROPOSAL_TURNS, PROPOSED, SAFETY
from .jit import kernel
from .scalar import clip, maximum, minimum, nan_to_num, pairwise_sum

CODES = (PAUSE, SAFETY, NONE, PROPOSED, IN_FORCE, ALONE, PROPOSAL_TURNS)


@kernel
def _agreements(
    t, codes, notice, frontier0, pause_margin, pause_allowance, safety_floor,
    # state read (treaty, treaty_members and treaty_since are changed in place, as numpy does)
    alive, country, capability, regulation, treaty, treaty_members, treaty_since, treaty_cap, pause_notice,
    pause_notice_by,
    # orders (propose as floats)
    inspections, cheat, propose, sign, leave,
    # outputs: state, then report
    inspections_out, cheating_out, cap_out, notice_out, notice_by_out, regulation_out,
    started, ended_out, left, notice_given,
):
    pause, safety, none, proposed, in_force, alone_code, proposal_turns = codes
    R, A, C = treaty_members.shape
    L = alive.shape[1]
    has_labs = np.empty(C, dtype=np.bool_)  # one replica's scratch, reused
    asked = np.empty(C, dtype=np.int64)
    quits = np.empty(C, dtype=np.bool_)
    members = np.empty(C, dtype=np.bool_)
    for r in range(R):
        n_pause = 0
        for g in range(C):
            n_pause += treaty_members[r, pause, g]
        shared = n_pause >= 2  # a moratorium has nobody to cheat
        for g in range(C):
            inspections_out[r, g] = clip(nan_to_num(inspections[r, g]), 0.0, 1.0)
            cheating_out[r, g] = cheat[r, g] and treaty_members[r, pause, g] and shared
            has_labs[g] = False
            # np.clip(np.nan_to_num(propose), 0, ALONE).astype(int64): NaN and -inf ask nothing
            asked[g] = int(clip(nan_to_num(propose[r, g]), 0.0, float(alone_code)))
        # The frontier (masked_max: NaN propagates; frontier0 with no lab alive).
        frontier = -np.inf
        any_alive = False
        for l in range(L):
            if alive[r, l]:
                if 0 <= country[r, l] < C:
                    has_labs[country[r, l]] = True
                any_alive = True
            frontier = maximum(frontier, capability[r, l] if alive[r, l] else -np.inf)
        if not any_alive:
            frontier = frontier0
        cap = treaty_cap[r]
        pn = pause_notice[r]
        pn_by = pause_notice_by[r]
        notice_given[r] = -1
        for a in range(A):
            status = treaty[r, a]
            for g in range(C):
                quits[g] = treaty_members[r, a, g] and leave[r, g, a]
            if a == pause:
                # _notice: a member leaving a pause it shares gives notice; while notice runs,
                # only the notice giver's leaving counts, once it is due.
                running = pn > 0
                if running:
                    pn -= 1
                any_quit = False
                first = 0
                for g in range(C):
                    if quits[g] and not any_quit:
                        first = g
                    any_quit = any_quit or quits[g]
                gives = notice > 0 and status == in_force and shared and not running and any_quit
                if gives:
                    pn = notice
                    pn_by = first
                    notice_given[r] = pn_by
                for g in range(C):
                    quits[g] = (pn == 0 and g == pn_by) if running else (quits[g] and not gives)
            any_quit = False
            for g in range(C):
                any_quit = any_quit or quits[g]
            ended = status == in_force and any_quit
            # A new proposal, by the first government that makes one (a pause alone counts).
            proposer = -1
            for g in range(C):
                if proposer < 0 and (asked[g] == a + 1 or (asked[g] == alone_code and a == pause)):
                    proposer = g
            fresh = status == none and proposer >= 0
            alone = fresh and asked[proposer] == alone_code
            since = treaty_since[r, a]
            if fresh:
                since = t
                if a == pause:
                    cap = frontier + pause_margin
            pending = fresh or status == proposed
            for g in range(C):
                m = (g == proposer) if fresh else (treaty_members[r, a, g] and not quits[g])
                members[g] = m or (pending and sign[r, g, a])
            everyone = True
            count = 0
            for g in range(C):
                everyone = everyone and (members[g] or not has_labs[g])
                count += members[g]
            complete = everyone and count >= 2
            if alone:
                for g in range(C):
                    members[g] = g == proposer
            starts = (pending and complete) or alone
            lapsed = pending and not complete and t - since >= proposal_turns
            if starts:
                status = in_force
            elif fresh:
                status = proposed
            any_member = False
            for g in range(C):
                any_member = any_member or members[g]
            if ended or lapsed or not any_member:
                status = none
            if starts:
                since = t
            started[r, a] = starts
            ended_out[r, a] = ended
            for g in range(C):
                left[r, a, g] = quits[g] and ended
                treaty_members[r, a, g] = members[g] and status != none
            treaty[r, a] = status
            treaty_since[r, a] = since
        # A pause in force lets the cap rise by its allowance; safety standards hold a floor.
        pausing = treaty[r, pause] == in_force
        if pausing:
            cap = cap + pause_allowance
        elif treaty[r, pause] == none:
            cap = 0.0
        cap_out[r] = cap
        notice_out[r] = pn if pausing else 0
        notice_by_out[r] = pn_by if pausing else -1
        standards = treaty[r, safety] == in_force
        for g in range(C):
            held = standards and treaty_members[r, safety, g]
            regulation_out[r, g] = maximum(regulation[r, g], safety_floor) if held else regulation[r, g]
            cheating_out[r, g] = cheating_out[r, g] and pausing


def agreements(s, govs, rules, rng, rep) -> None:
    """diplomacy.agreements, compiled (it leaves ``govs`` as it found it, as numpy does)."""
    c = rules.at(s.turn)
    R, C = s.tension.shape
    A = s.treaty.shape[1]
    s.tracking = np.asarray(govs.tracking, dtype=bool).copy()
    inspections = np.empty((R, C))
    cheating = np.empty((R, C), dtype=bool)
    treaty_cap = np.empty(R)
    pause_notice = np.empty(R, dtype=np.int64)
    pause_notice_by = np.empty(R, dtype=np.int64)
    regulation = np.empty((R, C))
    rep.treaty_started = np.empty((R, A), dtype=bool)
    rep.treaty_ended = np.empty((R, A), dtype=bool)
    rep.treaty_left = np.empty((R, A, C), dtype=bool)  # the governments whose leaving ended it
    rep.caught = np.full((R,), -1, dtype=np.int64)  # the country caught cheating on a pause
    rep.notice_given = np.empty((R,), dtype=np.int64)  # the country that gave notice to leave a pause
    _agreements(
        s.turn, CODES, int(c["pause_notice"]), float(c["frontier0"]), float(c["pause_margin"]),
        float(c["pause_allowance"]), float(c["safety_floor"]),
        s.alive, s.country, s.capability, s.regulation, s.treaty, s.treaty_members, s.treaty_since, s.treaty_cap,
        s.pause_notice, s.pause_notice_by,
        np.asarray(govs.inspections, dtype=float), np.asarray(govs.cheat, dtype=bool),
        np.asarray(govs.propose, dtype=float), np.asarray(govs.sign, dtype=bool), np.asarray(govs.leave, dtype=bool),
        inspections, cheating, treaty_cap, pause_notice, pause_notice_by, regulation,
        rep.treaty_started, rep.treaty_ended, rep.treaty_left, rep.notice_given,
    )
    s.inspections = inspections
    s.cheating = cheating
    s.treaty_cap = treaty_cap
    s.pause_notice = pause_notice
    s.pause_notice_by = pause_notice_by
    s.regulation = regulation


@kernel
def _pause_caps(codes, own_cap, country, treaty, treaty_members, treaty_cap, cheating, out):
    pause, in_force = codes[0], codes[4]
    R, L = own_cap.shape
    for r in range(R):
        pausing = treaty[r, pause] == in_force
        cap = treaty_cap[r]
        for l in range(L):
            # np.nan_to_num(own, nan=0.0, posinf=0.0): no cap; -inf stays the lowest float
            own = nan_to_num(own_cap[r, l], posinf=0.0)
            g = country[r, l]
            if pausing and treaty_members[r, pause, g] and not cheating[r, g]:
                out[r, l] = minimum(own, cap) if own > 0 else cap
            else:
                out[r, l] = own


def pause_caps(s, lab, rules):
    """diplomacy.pause_caps, compiled: each lab's capability cap this turn."""
    out = np.empty(s.alive.shape)
    _pause_caps(CODES, np.asarray(lab.cap_capability, dtype=float), s.country, s.treaty, s.treaty_members,
                s.treaty_cap, s.cheating, out)
    return out


@kernel
def _share_safety(
    codes, publish_uptake, incident_sharing, publish_reveal, publish_trust,
    alive, country, treaty, treaty_members, safety, efficiency, reputation, publish_safety, gained,
    safety_out, efficiency_out, reputation_out, published_out,
):
    safety_code, in_force = codes[1], codes[4]
    R, L = alive.shape
    publish = np.empty(L)  # one replica's scratch, reused
    member = np.empty(L)  # 1.0 for a lab sharing under safety standards
    terms = np.empty(L)
    for r in range(R):
        standards = treaty[r, safety_code] == in_force
        count = 0
        for l in range(L):
            publish[l] = clip(nan_to_num(publish_safety[r, l]), 0.0, 1.0) * alive[r, l]
            terms[l] = gained[r, l] * publish[l]
        published = pairwise_sum(terms)
        for l in range(L):
            m = standards and treaty_members[r, safety_code, country[r, l]] and alive[r, l]
            member[l] = 1.0 if m else 0.0
            count += m
            terms[l] = gained[r, l] * member[l]
        pooled = pairwise_sum(terms)
        count = max(count, 1)
        # What publishers reveal: the best publisher's efficiency (masked_max), and the
        # largest share published.
        best = -np.inf
        any_publisher = False
        reveal = publish[0]
        for l in range(L):
            publisher = alive[r, l] and publish[l] > 0
            any_publisher = any_publisher or publisher
            best = maximum(best, efficiency[r, l] if publisher else -np.inf)
            reveal = maximum(reveal, publish[l])
        if not any_publisher:
            best = -np.inf
        known = math.isfinite(best)
        for l in range(L):
            mine = gained[r, l] * publish[l]
            grown = safety[r, l] + publish_uptake * (published - mine) * alive[r, l]
            shared = gained[r, l] * member[l]
            safety_out[r, l] = grown + incident_sharing * member[l] * (pooled - shared) / count
            lift = maximum(best - efficiency[r, l], 0.0) if known else 0.0
            efficiency_out[r, l] = efficiency[r, l] + publish_reveal * reveal * lift * alive[r, l]
            reputation_out[r, l] = reputation[r, l] + publish_trust * publish[l]
        published_out[r] = published


def share_safety(s, lab, rules, rep, gained) -> None:
    """diplomacy.share_safety, compiled."""
    c = rules.at(s.turn)
    R, L = s.alive.shape
    safety = np.empty((R, L))
    efficiency = np.empty((R, L))
    reputation = np.empty((R, L))
    published = np.empty(R)
    _share_safety(
        CODES, float(c["publish_uptake"]), float(c["incident_sharing"]), float(c["publish_reveal"]),
        float(c["publish_trust"]),
        s.alive, s.country, s.treaty, s.treaty_members, s.safety, s.efficiency, s.reputation,
        np.asarray(lab.publish_safety, dtype=float), np.asarray(gained, dtype=float),
        safety, efficiency, reputation, published,
    )
    s.safety = safety
    s.efficiency = efficiency
    s.reputation = reputation
    rep.published = published


@kernel
def _catch_cheats(
    codes, tracking_strength, inspection_strength, spy_detection, detect_oom, cheat_reputation, cheat_tension, u,
    alive, country, capability, reputation, tension, tracking, inspections, treaty_cap, pause_notice,
    pause_notice_by,
    # changed in place, as numpy does
    treaty, treaty_members, cheating, treaty_ended,
    # outputs: state, then report
    reputation_out, tension_out, cap_out, notice_out, notice_by_out, caught_out,
):
    pause, none, in_force = codes[0], codes[2], codes[4]
    R, L = alive.shape
    C = treaty_members.shape[2]
    caught = np.empty(C, dtype=np.bool_)  # one replica's scratch, reused
    strength = np.empty(C)
    for r in range(R):
        first = -1
        for g in range(C):
            caught[g] = False
        # Only a member cheating on a pause in force can be caught: elsewhere the chance
        # (whatever it is) decides nothing, so it is not worked out.
        suspect = False
        if treaty[r, pause] == in_force:
            for g in range(C):
                suspect = suspect or cheating[r, g]
        if suspect:
            # verification (from rules.c, as numpy): the members' mean strength.
            count = 0
            for g in range(C):
                m = treaty_members[r, pause, g]
                count += m
                per_country = tracking_strength * tracking[r, g] + inspection_strength * inspections[r, g]
                strength[g] = per_country * m
            verified = pairwise_sum(strength) / max(count, 1) if count > 0 else 0.0
            cap = treaty_cap[r]
            for g in range(C):
                if not cheating[r, g]:
                    continue
                # max_over of the labs' excess past the cap, times the country mask (NaN and
                # inf anywhere in the replica propagate, as in numpy).
                excess = 0.0
                for l in range(L):
                    x = maximum(capability[r, l] - cap, 0.0) * alive[r, l] * (country[r, l] == g)
                    excess = x if l == 0 else maximum(excess, x)
                chance = (verified + spy_detection) * minimum(1.0, excess / detect_oom)
                caught[g] = u[r, g] < chance
                if caught[g] and first < 0:
                    first = g
        caught_out[r] = first
        for l in range(L):
            shamed = first >= 0 and alive[r, l] and caught[country[r, l]]
            reputation_out[r, l] = reputation[r, l] * (1.0 - cheat_reputation) if shamed else reputation[r, l]
        for g in range(C):
            hostile = first >= 0 and not caught[g]
            tension_out[r, g] = minimum(1.0, tension[r, g] + cheat_tension) if hostile else tension[r, g]
        if first >= 0:  # a cheater caught ends the pause
            treaty[r, pause] = none
            for g in range(C):
                treaty_members[r, pause, g] = False
                cheating[r, g] = False
            treaty_ended[r, pause] = True
            cap_out[r] = 0.0
            notice_out[r] = 0
            notice_by_out[r] = -1
        else:
            cap_out[r] = treaty_cap[r]
            notice_out[r] = pause_notice[r]
            notice_by_out[r] = pause_notice_by[r]


def catch_cheats(s, rules, rng, rep) -> None:
    """diplomacy.catch_cheats, compiled."""
    c = rules.at(s.turn)
    R, C = s.tension.shape
    u = rng.uniform(s.turn, "treaty", (C,))
    reputation = np.empty(s.alive.shape)
    tension = np.empty((R, C))
    treaty_cap = np.empty(R)
    pause_notice = np.empty(R, dtype=np.int64)
    pause_notice_by = np.empty(R, dtype=np.int64)
    rep.caught = np.empty(R, dtype=np.int64)
    _catch_cheats(
        CODES, float(rules.c["tracking_strength"]), float(rules.c["inspection_strength"]), float(c["spy_detection"]),
        float(c["detect_oom"]), float(c["cheat_reputation"]), float(c["cheat_tension"]), u,
        s.alive, s.country, s.capability, s.reputation, s.tension, s.tracking, s.inspections, s.treaty_cap,
        s.pause_notice, s.pause_notice_by,
        s.treaty, s.treaty_members, s.cheating, rep.treaty_ended,
        reputation, tension, treaty_cap, pause_notice, pause_notice_by, rep.caught,
    )
    s.reputation = reputation
    s.tension = tension
    s.treaty_cap = treaty_cap
    s.pause_notice = pause_notice
    s.pause_notice_by = pause_notice_by
