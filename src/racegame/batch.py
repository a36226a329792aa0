"""Many games in one vectorised pass: one summary row per replica."""

from __future__ import annotations

import numpy as np

from .engine.observe import observe
from .engine.state import CATASTROPHE, OUTCOMES, SAFE_AGI
from .history import turn_columns
from .model import RaceModel


def summary_columns(model) -> dict:
    """Per replica: the ending and final figures per country."""
    s, rules = model.state, model.rules
    R = s.alive.shape[0]
    rows = np.arange(R)
    winner = s.winner
    has_winner = winner >= 0
    safe_or_cat = np.isin(s.outcome, (SAFE_AGI, CATASTROPHE))
    cols = {
        "replica": model.replica_ids.copy(),
        "seed": np.full(R, model.seed),
        "outcome": np.array(OUTCOMES)[s.outcome],
        "winner": np.where(has_winner, np.array(rules.lab_ids)[np.maximum(winner, 0)], ""),
        "winner_country": np.where(has_winner, np.array(rules.country_ids)[s.country[rows, np.maximum(winner, 0)]], ""),
        "agi_lab": np.where(s.agi_lab >= 0, np.array(rules.lab_ids)[np.maximum(s.agi_lab, 0)], ""),
        "agi_turn": np.where(safe_or_cat, s.end_turn, -1),
        "catastrophe": (s.outcome == CATASTROPHE).astype(int),
        "turns_played": np.where(s.end_turn >= 0, s.end_turn + 1, s.turn),
    }
    view = observe(s, rules)
    for c, country in enumerate(rules.country_ids):
        mine = s.alive & (s.country == c)
        cols[f"{country}_best_capability"] = np.where(mine.any(axis=1), np.where(mine, s.capability, -np.inf).max(axis=1), np.nan)
        cols[f"{country}_compute_share"] = view.compute_share[:, c]
        cols[f"{country}_labs_alive"] = mine.sum(axis=1)
    cols["frontier_capability"] = view.frontier
    return cols


def run_batch(level, seed: int, runs: int, turns: int | None = None, first: int = 0, history=None) -> dict:
    """Play replicas ``first .. first + runs - 1`` of (level, seed) to the end."""
    model = RaceModel(level=level, rng=seed, replicas=runs, first_replica=first, turns=turns)
    while model.running:
        model.step()
        if history is not None:
            history.add(turn_columns(model, model.report))
    return summary_columns(model)
