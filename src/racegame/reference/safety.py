"""Safety incidents, and the end of the game: AGI (safe or not) or the horizon, plainly."""

from __future__ import annotations

import math

from ..engine.state import CATASTROPHE, HORIZON, RUNNING, SAFE_AGI
from .plain import INF, argmax, clip, exp


def safety_needed(w, capability: float) -> float:
    """Safety stock a lab at this capability should hold to be on track."""
    c = w.c
    progress = (capability - c["safety_start"]) / (c["agi_capability"] - c["safety_start"])
    return c["safety_required"] * max(0.0, progress)


def incidents(w, draws, rep) -> None:
    c = w.c
    u = draws.uniform(w.turn, "incident", (len(w.labs),))
    rep.incident = [False] * len(w.labs)
    per_country = [0] * len(w.govs)
    for lab in w.labs:
        gap = safety_needed(w, lab.capability) - lab.safety
        chance = min(0.5, c["incident_chance"] * exp(c["incident_gap_factor"] * min(gap, 5.0)))
        hit = lab.alive and (u[lab.index] < chance or rep.forced_incident[lab.index])
        if hit:
            lab.reputation = lab.reputation * (1.0 - c["incident_reputation"])
            lab.incidents += 1
            per_country[lab.country] += 1
        else:  # reputation recovers slowly
            lab.reputation = lab.reputation + (1.0 - lab.reputation) * 0.1
        rep.incident[lab.index] = hit
    for gov in w.govs:
        gov.incidents_last = per_country[gov.index]
        gov.regulation = min(1.0, gov.regulation + c["incident_regulation"] * per_country[gov.index])


def scores(w) -> list:
    """Horizon score per lab: capability lead over the median, market, cash and safety."""
    c = w.c
    caps = sorted(lab.capability for lab in w.labs if lab.alive)
    if not caps:
        median = 0.0
    elif len(caps) % 2:
        median = caps[len(caps) // 2]
    else:
        median = (caps[len(caps) // 2 - 1] + caps[len(caps) // 2]) / 2.0
    out = []
    for lab in w.labs:
        if not lab.alive:
            out.append(-INF)
            continue
        out.append(
            c["score_capability"] * (lab.capability - median)
            + c["score_market"] * lab.share
            + c["score_cash"] * math.log10(max(lab.cash, 1e6) / 1e9)
            + c["score_safety"] * lab.safety
        )
    return out


def endings(w, draws, rep) -> None:
    c = w.c
    t = w.turn
    u = draws.uniform(t, "agi", ())
    running = w.outcome == RUNNING
    reached = [lab.capability if lab.alive and lab.capability >= c["agi_capability"] else -INF for lab in w.labs]
    agi = running and max(reached) > -INF
    rep.safe_chance = math.nan
    if agi:
        # The most capable lab past the line gets there first; whether it is safe is a
        # gamble on how far its safety stock clears the requirement.
        first = argmax(reached)
        margin = (w.labs[first].safety - c["safety_required"]) / c["safety_spread"]
        safe_chance = 1.0 / (1.0 + exp(-clip(margin, -50, 50)))
        safe = u < safe_chance
        w.outcome = SAFE_AGI if safe else CATASTROPHE
        w.agi_lab = first
        if safe:
            w.winner = first
        w.end_turn = t
        rep.safe_chance = safe_chance
        return

    nobody = running and not any(lab.alive for lab in w.labs)
    if running and (t + 1 >= w.horizon or nobody):
        w.outcome = HORIZON
        if not nobody:
            w.winner = argmax(scores(w))
        w.end_turn = t
