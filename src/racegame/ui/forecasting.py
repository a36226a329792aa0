"""Futures in the background: ``racegame.forecast`` runs in a worker thread so the window
keeps drawing while 1,000 futures play out. One job at a time; results are keyed by the
turn and the plan they describe, so a stale forecast is never shown as current."""

from __future__ import annotations

import json

import numpy as np

from .jobs import BackgroundJob

RUNS = 1000
TURNS = 8
# The futures screen's look-ahead choices: years ahead (None: to the end of the game).
AHEAD = {"2 years": 2.0, "4 years": 4.0, "To the end": None}


def turns_ahead(rules, turn: int, years) -> int:
    """The turns from ``turn`` that cover ``years`` of the level's calendar (turns may be
    quarters early and half-years later), at least one and no further than the last turn;
    ``years`` None: to the end of the game."""
    left = max(1, rules.horizon - turn)
    if years is None:
        return left
    start = float(rules.turn_years[min(turn, rules.horizon)])
    end = int(np.searchsorted(rules.turn_years, start + years - 1e-9))  # the first turn starting that late
    return int(min(max(1, end - turn), left))


def plan_key(session, turns: int = TURNS) -> tuple:
    """What a forecast depends on: the turn, the look-ahead and the policy (plan and advisor)."""
    return (session.model.state.turn, int(turns), bool(session.advisor_drafts),
            json.dumps(session.plan.to_json(), sort_keys=True))


class ForecastJob(BackgroundJob):
    def __init__(self, session, runs: int = RUNS, turns: int = TURNS, workers: int = 1):
        self.key = plan_key(session, turns)
        self.result = None
        self.progress = None  # (turns played, most turns, date of the last one) while it plays
        super().__init__(session.model, runs, turns, workers)

    def _work(self, model, runs, turns, workers) -> None:
        from ..futures import forecast

        self.result = forecast(model, runs=runs, turns=turns, progress=self._played, workers=workers)

    def _played(self, done: int, most: int, date: str) -> None:
        self.progress = (done, most, date)
