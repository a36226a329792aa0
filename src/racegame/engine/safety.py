"""Safety incidents, and the end of a game nobody won by AGI: the horizon.

(AGI itself ends the game in ``timeline.passages``.)
"""

from __future__ import annotations

import numpy as np

from .state import HORIZON, RUNNING
from .timeline import safety_needed
from .util import any_over


def incidents(s, rules, rng, rep) -> None:
    c = rules.at(s.turn)
    gap = safety_needed(s.capability, rules) - s.safety
    chance = np.minimum(0.5, c["incident_chance"] * np.exp(c["incident_gap_factor"] * np.minimum(gap, 5.0)))
    u = rng.uniform(s.turn, "incident", (s.alive.shape[1],))
    hit = s.alive & ((u < chance) | rep.forced_incident)
    s.reputation = np.where(hit, s.reputation * (1.0 - c["incident_reputation"]), s.reputation + (1.0 - s.reputation) * c["recovery"])
    s.incidents += hit
    C = len(rules.country_ids)
    per_country = (hit[:, :, None] & (s.country[:, :, None] == np.arange(C)[None, None, :])).sum(axis=1)
    s.incidents_last = per_country
    s.regulation = np.minimum(1.0, s.regulation + c["incident_regulation"] * per_country)
    rep.incident = hit


def scores(s, rules):
    """Horizon score per lab (R, L): capability lead, market, cash and safety."""
    c = rules.c
    alive_caps = np.where(s.alive, s.capability, np.nan)
    with np.errstate(all="ignore"):
        median = np.nanmedian(np.where(any_over(s.alive, 1)[:, None], alive_caps, 0.0), axis=1)
    score = (
        c["score_capability"] * (s.capability - median[:, None])
        + c["score_market"] * s.share
        + c["score_cash"] * np.log10(np.maximum(s.cash, 1e6) / 1e9)
        + c["score_safety"] * s.safety
    )
    return np.where(s.alive, score, -np.inf)


def endings(s, rules, rng, rep) -> None:
    """The horizon: the game is scored when its last turn ends, or when no lab is left."""
    t = s.turn
    running = s.outcome == RUNNING
    last = t + 1 >= rules.horizon
    nobody = running & ~any_over(s.alive, 1)
    horizon = running & (last | nobody)
    best = np.argmax(scores(s, rules), axis=1)
    s.outcome = np.where(horizon, HORIZON, s.outcome)
    s.winner = np.where(horizon & ~nobody, best, s.winner)
    s.end_turn = np.where(horizon, t, s.end_turn)
