"""Compiled twins of ``engine.safety.incidents`` and ``engine.safety.endings``, one replica at
a time (see ``compiled/__init__.py``).

``incidents`` keeps the numpy phase's effects exactly: the lab incident counts grow in place
(``s.incidents += hit``), every other result is a fresh array. ``endings`` scores a replica
only where its game ends at the horizon with a lab alive, the only place the numpy phase's
``best`` is used (it scores every replica every turn, which is most of its cost).
"""

from __future__ import annotations

import math

import numpy as np

from ..state import HORIZON, RUNNING
from .jit import kernel
from .scalar import interp, maximum, minimum


@kernel
def _incidents(capability, safety, alive, forced, u, country, reputation, regulation, need_x, need_y,
               incident_chance, incident_gap_factor, incident_reputation, recovery, incident_regulation,
               incidents, hit, new_reputation, incidents_last, new_regulation):
    R, L = alive.shape
    C = regulation.shape[1]
    for r in range(R):
        for k in range(C):
            incidents_last[r, k] = 0
        for l in range(L):
            gap = interp(capability[r, l], need_x, need_y) - safety[r, l]
            chance = minimum(0.5, incident_chance * math.exp(incident_gap_factor * minimum(gap, 5.0)))
            h = alive[r, l] and (u[r, l] < chance or forced[r, l])
            hit[r, l] = h
            rep = reputation[r, l]
            if h:
                new_reputation[r, l] = rep * (1.0 - incident_reputation)
                incidents[r, l] += 1
                k = country[r, l]
                if 0 <= k < C:  # the numpy phase counts a lab only under a country it has
                    incidents_last[r, k] += 1
            else:  # reputation recovers slowly
                new_reputation[r, l] = rep + (1.0 - rep) * recovery
        for k in range(C):
            new_regulation[r, k] = minimum(1.0, regulation[r, k] + incident_regulation * incidents_last[r, k])


def incidents(s, rules, rng, rep) -> None:
    """safety.incidents, compiled."""
    c = rules.at(s.turn)
    R, L = s.alive.shape
    C = len(rules.country_ids)
    # timeline.safety_needed's interpolation table (it reads rules.c, not this turn's c).
    medians = rules.c["frontier0"] + np.cumsum(rules.milestone_gap)
    need_x = np.concatenate([[min(rules.c["safety_start"], medians[0] - 1e-6)], medians]).astype(np.float64)
    need_y = np.concatenate([[0.0], rules.milestone_safety]).astype(np.float64)
    u = rng.uniform(s.turn, "incident", (L,))
    hit = np.empty((R, L), dtype=np.bool_)
    reputation = np.empty((R, L))
    incidents_last = np.empty((R, C), dtype=np.int64)
    regulation = np.empty((R, C))
    _incidents(s.capability, s.safety, s.alive, rep.forced_incident, u, s.country,
               s.reputation, s.regulation, need_x, need_y,
               float(c["incident_chance"]), float(c["incident_gap_factor"]), float(c["incident_reputation"]),
               float(c["recovery"]), float(c["incident_regulation"]),
               s.incidents, hit, reputation, incidents_last, regulation)
    s.reputation = reputation
    s.incidents_last = incidents_last
    s.regulation = regulation
    rep.incident = hit


@kernel
def _endings(t, last, running_code, horizon_code, outcome, winner, end_turn, alive, capability, share, cash,
             safety, score_capability, score_market, score_cash, score_safety,
             new_outcome, new_winner, new_end_turn):
    R, L = alive.shape
    caps = np.empty(L)
    for r in range(R):
        new_outcome[r] = outcome[r]
        new_winner[r] = winner[r]
        new_end_turn[r] = end_turn[r]
        if outcome[r] != running_code:
            continue
        anyone = False
        for l in range(L):
            anyone = anyone or alive[r, l]
        if not (last or not anyone):
            continue
        new_outcome[r] = horizon_code
        new_end_turn[r] = t
        if not anyone:
            continue  # nobody left: no winner
        # np.nanmedian of the living labs' capabilities: sorted, then the middle two averaged
        # (the middle one added to itself, for an odd count); NaN if none is a number.
        n = 0
        for l in range(L):
            x = capability[r, l]
            if alive[r, l] and x == x:
                i = n
                while i > 0 and caps[i - 1] > x:
                    caps[i] = caps[i - 1]
                    i -= 1
                caps[i] = x
                n += 1
        if n == 0:
            median = np.nan
        else:
            high = n // 2
            low = high if n % 2 == 1 else high - 1
            median = (caps[low] + caps[high]) / 2.0
        # np.argmax of the scores: the first of equals, and the first NaN wins.
        best = 0
        top = -np.inf
        for l in range(L):
            if alive[r, l]:
                score = (score_capability * (capability[r, l] - median)
                         + score_market * share[r, l]
                         + score_cash * math.log10(maximum(cash[r, l], 1e6) / 1e9)
                         + score_safety * safety[r, l])
            else:
                score = -np.inf
            if score != score:
                best = l
                break
            if score > top:
                top = score
                best = l
        new_winner[r] = best


def endings(s, rules, rng, rep) -> None:
    """safety.endings, compiled: the horizon."""
    c = rules.c
    t = s.turn
    R = s.outcome.shape[0]
    new_outcome = np.empty_like(s.outcome)
    new_winner = np.empty(R, dtype=np.result_type(np.intp, s.winner.dtype))  # np.where with argmax's intp
    new_end_turn = np.empty_like(s.end_turn)
    _endings(int(t), bool(t + 1 >= rules.horizon), RUNNING, HORIZON, s.outcome, s.winner, s.end_turn, s.alive,
             s.capability, s.share, s.cash, s.safety,
             float(c["score_capability"]), float(c["score_market"]), float(c["score_cash"]), float(c["score_safety"]),
             new_outcome, new_winner, new_end_turn)
    s.outcome = new_outcome
    s.winner = new_winner
    s.end_turn = new_end_turn
