"""Futures in the background: ``racegame.forecast`` runs in a worker thread so the window
keeps drawing while 1,000 futures play out. One job at a time; results are keyed by the
turn and the plan they describe, so a stale forecast is never shown as current."""

from __future__ import annotations

import json
import threading

RUNS = 1000
TURNS = 8


def plan_key(session, turns: int = TURNS) -> tuple:
    return (session.model.state.turn, int(turns), json.dumps(session.plan.to_json(), sort_keys=True))


class ForecastJob:
    def __init__(self, session, runs: int = RUNS, turns: int = TURNS):
        self.key = plan_key(session, turns)
        self.result = None
        self.error: str | None = None
        self._thread = threading.Thread(target=self._run, args=(session.model, runs, turns), daemon=True)
        self._thread.start()

    def _run(self, model, runs, turns) -> None:
        from ..futures import forecast

        try:
            self.result = forecast(model, runs=runs, turns=turns)
        except Exception as exc:  # a failed forecast is shown as a message, never a crash
            self.error = f"{type(exc).__name__}: {exc}"

    @property
    def done(self) -> bool:
        return not self._thread.is_alive()

    def wait(self, timeout: float | None = None) -> None:
        self._thread.join(timeout)
