"""Safety incidents, and the end of a game nobody won by AGI (the horizon), plainly.

AGI itself ends the game in ``timeline.passages``.
"""

from __future__ import annotations

import math

from ..engine.state import HORIZON, RUNNING
from .plain import INF, argmax, exp
from .timeline import safety_needed


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
            lab.reputation = lab.reputation + (1.0 - lab.reputation) * c["recovery"]
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


def endings(w, rep) -> None:
    """The horizon: the game is scored when its last turn ends, or when no lab is left."""
    t = w.turn
    running = w.outcome == RUNNING
    nobody = running and not any(lab.alive for lab in w.labs)
    if running and (t + 1 >= w.horizon or nobody):
        w.outcome = HORIZON
        if not nobody:
            w.winner = argmax(scores(w))
        w.end_turn = t
