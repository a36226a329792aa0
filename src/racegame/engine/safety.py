"""Safety incidents, and the end of the game: AGI (safe or not) or the horizon."""

from __future__ import annotations

import numpy as np

from .state import CATASTROPHE, HORIZON, RUNNING, SAFE_AGI


def safety_needed(capability, rules):
    """Safety stock a lab at this capability should hold to be on track."""
    c = rules.c
    progress = (capability - c["safety_start"]) / (c["agi_capability"] - c["safety_start"])
    return c["safety_required"] * np.maximum(0.0, progress)


def incidents(s, rules, rng, rep) -> None:
    c = rules.c
    gap = safety_needed(s.capability, rules) - s.safety
    chance = np.minimum(0.5, c["incident_chance"] * np.exp(c["incident_gap_factor"] * np.minimum(gap, 5.0)))
    u = rng.uniform(s.turn, "incident", (s.alive.shape[1],))
    hit = s.alive & ((u < chance) | rep.forced_incident)
    s.reputation = np.where(hit, s.reputation * (1.0 - c["incident_reputation"]), s.reputation + (1.0 - s.reputation) * 0.1)
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
        median = np.nanmedian(np.where(s.alive.any(axis=1)[:, None], alive_caps, 0.0), axis=1)
    score = (
        c["score_capability"] * (s.capability - median[:, None])
        + c["score_market"] * s.share
        + c["score_cash"] * np.log10(np.maximum(s.cash, 1e6) / 1e9)
        + c["score_safety"] * s.safety
    )
    return np.where(s.alive, score, -np.inf)


def endings(s, rules, rng, rep) -> None:
    c = rules.c
    t = s.turn
    running = s.outcome == RUNNING
    reached = s.alive & (s.capability >= c["agi_capability"])
    agi = running & reached.any(axis=1)
    first = np.argmax(np.where(reached, s.capability, -np.inf), axis=1)
    rows = np.arange(len(first))
    margin = (s.safety[rows, first] - c["safety_required"]) / c["safety_spread"]
    safe_chance = 1.0 / (1.0 + np.exp(-np.clip(margin, -50, 50)))
    u = rng.uniform(t, "agi", ())
    safe = u < safe_chance
    s.outcome = np.where(agi, np.where(safe, SAFE_AGI, CATASTROPHE), s.outcome)
    s.agi_lab = np.where(agi, first, s.agi_lab)
    s.winner = np.where(agi & safe, first, s.winner)

    last = t + 1 >= rules.horizon
    nobody = running & ~agi & ~s.alive.any(axis=1)
    horizon = running & ~agi & (last | nobody)
    best = np.argmax(scores(s, rules), axis=1)
    s.outcome = np.where(horizon, HORIZON, s.outcome)
    s.winner = np.where(horizon & ~nobody, best, s.winner)
    s.end_turn = np.where(agi | horizon, t, s.end_turn)
    rep.safe_chance = np.where(agi, safe_chance, np.nan)
