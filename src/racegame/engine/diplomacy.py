"""Agreements between governments, and labs' cooperative moves.

Two kinds of agreement (``AGREEMENTS``):

- a pause: the members' labs train no model beyond a capability cap, set a little above the
  frontier when it is proposed and raised by a small allowance each year;
- safety standards: the members' safety regulation is held at a floor, and the members' labs
  share part of their safety research (incident sharing).

A government proposes one; the others sign; it is in force once every government with a lab
left has signed, and ends when a member leaves. A government may also pause alone (a
moratorium on its own labs): that pause is in force at once with the proposer as its only
member, and ends when it leaves; nobody else is bound, and there is nothing to cheat on. A member may cheat on a pause (its labs
ignore the cap). Verification catches cheating: chip-location tracking and inspections in
the members' countries give the agreement its strength, intelligence adds a little; a
cheater caught ends the agreement, its labs lose reputation and the others grow hostile.
Chip tracking also cuts smuggling of the tracking country's chips.

Labs may publish safety research (everyone's safety grows, and rivals learn a little of the
publisher's methods) and make a public commitment to pause before passing a milestone
without good odds (breaking it costs reputation).
"""

from __future__ import annotations

import numpy as np

from .util import all_over, any_over, by_country, masked_max, max_over

AGREEMENTS = ("pause", "safety")
PAUSE, SAFETY = range(len(AGREEMENTS))
NONE, PROPOSED, IN_FORCE = range(3)
ALONE = len(AGREEMENTS) + 1  # the proposal code for a pause on the proposer's own labs alone
PROPOSAL_TURNS = 2  # a proposal lapses after this many turns without every signature


def agreements(s, govs, rules, rng, rep) -> None:
    """This turn's diplomacy, after the governments' other orders took effect."""
    c = rules.at(s.turn)
    t = s.turn
    R, C = s.tension.shape
    A = len(AGREEMENTS)
    rep.treaty_started = np.zeros((R, A), dtype=bool)
    rep.treaty_ended = np.zeros((R, A), dtype=bool)
    rep.treaty_left = np.zeros((R, A, C), dtype=bool)  # the governments whose leaving ended it
    rep.caught = np.full((R,), -1, dtype=np.int64)  # the country caught cheating on a pause
    s.tracking = np.asarray(govs.tracking, dtype=bool).copy()
    s.inspections = np.clip(np.nan_to_num(np.asarray(govs.inspections, dtype=float)), 0.0, 1.0)
    shared = s.treaty_members[:, PAUSE, :].sum(axis=1) >= 2  # a moratorium has nobody to cheat
    s.cheating = np.asarray(govs.cheat, dtype=bool) & s.treaty_members[:, PAUSE, :] & shared[:, None]
    has_labs = np.stack([any_over(s.alive & (s.country == g), 1) for g in range(C)], axis=1)  # (R, C)
    frontier = masked_max(s.capability, s.alive, c["frontier0"])
    propose = np.clip(np.nan_to_num(np.asarray(govs.propose, dtype=float)), 0, ALONE).astype(np.int64)  # (R, C)
    sign = np.asarray(govs.sign, dtype=bool)
    leave = np.asarray(govs.leave, dtype=bool)
    rep.notice_given = np.full((R,), -1, dtype=np.int64)  # the country that gave notice to leave a pause
    for a in range(A):
        members = s.treaty_members[:, a, :]
        # Leaving ends an agreement in force (and withdraws a signature from a proposal); a
        # pause shared with others ends only once the leaver's notice runs out.
        quits = members & leave[:, :, a]
        if a == PAUSE:
            quits = _notice(s, quits, c["pause_notice"], rep)
        ended = (s.treaty[:, a] == IN_FORCE) & any_over(quits, 1)
        members &= ~quits
        # A new proposal, by the first government that makes one (a pause alone counts).
        asks = (propose == a + 1) | ((propose == ALONE) & (a == PAUSE))
        proposer = np.argmax(asks, axis=1)
        fresh = (s.treaty[:, a] == NONE) & any_over(asks, 1)
        alone = fresh & (propose[np.arange(R), proposer] == ALONE)
        members = np.where(fresh[:, None], np.arange(C)[None, :] == proposer[:, None], members)
        s.treaty_since[:, a] = np.where(fresh, t, s.treaty_since[:, a])
        if a == PAUSE:
            s.treaty_cap = np.where(fresh, frontier + c["pause_margin"], s.treaty_cap)
        pending = fresh | (s.treaty[:, a] == PROPOSED)
        members |= pending[:, None] & sign[:, :, a]
        complete = all_over(members | ~has_labs, 1) & (members.sum(axis=1) >= 2)
        members = np.where(alone[:, None], np.arange(C)[None, :] == proposer[:, None], members)
        starts = (pending & complete) | alone
        lapsed = pending & ~complete & (t - s.treaty_since[:, a] >= PROPOSAL_TURNS)
        status = np.where(starts, IN_FORCE, np.where(fresh, PROPOSED, s.treaty[:, a]))
        status = np.where(ended | lapsed | ~any_over(members, 1), NONE, status)
        s.treaty_since[:, a] = np.where(starts, t, s.treaty_since[:, a])
        rep.treaty_started[:, a] = starts
        rep.treaty_ended[:, a] = ended
        rep.treaty_left[:, a, :] = quits & ended[:, None]
        s.treaty[:, a] = status
        s.treaty_members[:, a, :] = members & (status != NONE)[:, None]
    # A pause in force lets the cap rise by its allowance; safety standards hold a floor.
    pausing = s.treaty[:, PAUSE] == IN_FORCE
    s.treaty_cap = np.where(pausing, s.treaty_cap + c["pause_allowance"], np.where(s.treaty[:, PAUSE] == NONE, 0.0, s.treaty_cap))
    s.pause_notice = np.where(pausing, s.pause_notice, 0)
    s.pause_notice_by = np.where(pausing, s.pause_notice_by, -1)
    standards = (s.treaty[:, SAFETY] == IN_FORCE)[:, None] & s.treaty_members[:, SAFETY, :]
    s.regulation = np.where(standards, np.maximum(s.regulation, c["safety_floor"]), s.regulation)
    s.cheating &= pausing[:, None]


def lift_turn(s) -> np.ndarray:
    """(R,) the turn at whose start a pause under notice ends (-1: no notice given): the
    labs it held train freely that turn."""
    return np.where(s.pause_notice > 0, s.turn + s.pause_notice - 1, -1)


def _notice(s, quits, notice: int, rep):
    """Who leaves the pause this turn, given the members who asked (``quits``, (R, C)).

    A member leaving a pause it shares gives ``notice`` turns' notice (as arms-control
    treaties set a notice period for withdrawal): the pause binds everyone until it runs
    out, then ends with that member's leaving; while it runs nobody else's leaving counts.
    With no notice period, or a pause kept alone, leaving takes effect at once."""
    running = s.pause_notice > 0
    s.pause_notice = s.pause_notice - running
    due = running & (s.pause_notice == 0)
    leaver = np.arange(quits.shape[1])[None, :] == s.pause_notice_by[:, None]
    shared = s.treaty_members[:, PAUSE, :].sum(axis=1) >= 2
    gives = (notice > 0) & (s.treaty[:, PAUSE] == IN_FORCE) & shared & ~running & any_over(quits, 1)
    s.pause_notice = np.where(gives, notice, s.pause_notice)
    s.pause_notice_by = np.where(gives, np.argmax(quits, axis=1), s.pause_notice_by)
    rep.notice_given = np.where(gives, s.pause_notice_by, -1)
    return np.where(running[:, None], due[:, None] & leaver, quits & ~gives[:, None])


def paused_alone(s) -> np.ndarray:
    """(R,) a pause is in force with a single member: a government pausing its own labs alone."""
    return (s.treaty[:, PAUSE] == IN_FORCE) & (s.treaty_members[:, PAUSE, :].sum(axis=1) == 1)


def pause_binds(s) -> np.ndarray:
    """(R, C) a pause in force binds the country's labs: it is a member and does not cheat."""
    return (s.treaty[:, PAUSE] == IN_FORCE)[:, None] & s.treaty_members[:, PAUSE, :] & ~s.cheating


def labs_paused(s) -> np.ndarray:
    """(R, L) the labs a pause in force holds: those of its members that do not cheat."""
    return by_country(pause_binds(s), s.country)


def cap_values(cap_capability) -> np.ndarray:
    """Caps as numbers (``LabOrders.cap_capability``): NaN and +inf, like 0 or less, mean no
    cap and become 0, so that ``cap > 0`` marks a cap."""
    return np.nan_to_num(np.asarray(cap_capability, dtype=float), nan=0.0, posinf=0.0)


def pause_caps(s, lab, rules):
    """The members' labs may not train beyond a pause's cap (unless their government cheats):
    the tighter of the lab's own cap and the agreement's."""
    own = cap_values(lab.cap_capability)
    bound = labs_paused(s)
    cap = s.treaty_cap[:, None]
    return np.where(bound, np.where(own > 0, np.minimum(own, cap), cap), own)


def verification(s, rules) -> np.ndarray:
    """(R,) how likely a pause's members catch a cheater: chip tracking and inspections in
    the members' countries, averaged over the members (inspections are mutual)."""
    c = rules.c
    members = s.treaty_members[:, PAUSE, :]
    per_country = c["tracking_strength"] * s.tracking + c["inspection_strength"] * s.inspections
    return np.where(any_over(members, 1), (per_country * members).sum(axis=1) / np.maximum(members.sum(axis=1), 1), 0.0)


def catch_cheats(s, rules, rng, rep) -> None:
    """After training: a cheater whose labs went past the cap may be caught."""
    c = rules.at(s.turn)
    R, C = s.tension.shape
    pausing = s.treaty[:, PAUSE] == IN_FORCE
    over = np.maximum(s.capability - s.treaty_cap[:, None], 0.0) * s.alive  # (R, L)
    excess = np.stack([max_over(over * (s.country == g), 1) for g in range(C)], axis=1)  # (R, C)
    chance = (verification(s, rules)[:, None] + c["spy_detection"]) * np.minimum(1.0, excess / c["detect_oom"])
    u = rng.uniform(s.turn, "treaty", (C,))
    caught = pausing[:, None] & s.cheating & (u < chance)
    any_caught = any_over(caught, 1)
    rep.caught = np.where(any_caught, np.argmax(caught, axis=1), -1)
    shamed = by_country(caught, s.country) & s.alive
    s.reputation = np.where(shamed, s.reputation * (1.0 - c["cheat_reputation"]), s.reputation)
    s.tension = np.where(any_caught[:, None] & ~caught, np.minimum(1.0, s.tension + c["cheat_tension"]), s.tension)
    s.treaty[:, PAUSE] = np.where(any_caught, NONE, s.treaty[:, PAUSE])
    s.treaty_members[:, PAUSE, :] &= ~any_caught[:, None]
    s.treaty_cap = np.where(any_caught, 0.0, s.treaty_cap)
    s.pause_notice = np.where(any_caught, 0, s.pause_notice)
    s.pause_notice_by = np.where(any_caught, -1, s.pause_notice_by)
    s.cheating &= ~any_caught[:, None]
    rep.treaty_ended[:, PAUSE] |= any_caught


def share_safety(s, lab, rules, rep, gained) -> None:
    """Published safety research lifts every other lab's safety; safety standards' members
    share part of theirs. Publishers' rivals also learn a little of their methods
    (efficiency), and publishers earn some trust."""
    c = rules.at(s.turn)
    publish = np.clip(np.nan_to_num(np.asarray(lab.publish_safety, dtype=float)), 0.0, 1.0) * s.alive
    published = (gained * publish).sum(axis=1, keepdims=True)  # (R, 1)
    mine = gained * publish
    s.safety = s.safety + c["publish_uptake"] * (published - mine) * s.alive
    members = (s.treaty[:, SAFETY] == IN_FORCE)[:, None] & by_country(s.treaty_members[:, SAFETY, :], s.country) & s.alive
    pooled = (gained * members).sum(axis=1, keepdims=True)
    count = np.maximum(members.sum(axis=1, keepdims=True), 1)
    s.safety = s.safety + c["incident_sharing"] * members * (pooled - gained * members) / count
    # What publishers reveal: rivals close a little of the efficiency gap to the best of them.
    publishers = s.alive & (publish > 0)
    best = masked_max(s.efficiency, publishers, -np.inf)
    known = np.isfinite(best)
    lift = np.where(known[:, None], np.maximum(np.where(known, best, 0.0)[:, None] - s.efficiency, 0.0), 0.0)
    s.efficiency = s.efficiency + c["publish_reveal"] * publish.max(axis=1, keepdims=True) * lift * s.alive
    s.reputation = s.reputation + c["publish_trust"] * publish
    rep.published = published[:, 0]


def broken_commitments(s, lab, rules, rep) -> None:
    """A lab that committed to pause without good odds, then passed a milestone with worse
    odds, loses reputation."""
    c = rules.at(s.turn)
    committed = np.asarray(lab.commit_pause, dtype=bool) & s.alive
    s.committed = committed
    broke = committed & (rep.passed > 0) & (np.nan_to_num(rep.passage_odds, nan=1.0) < c["commit_odds"])
    s.reputation = np.where(broke, s.reputation * (1.0 - c["broken_reputation"]), s.reputation)
    rep.broke_commitment = broke
