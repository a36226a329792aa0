"""Attract mode: the AI steers the player's lab through the real UI.

It clicks what a player would click (the advisor's plan, End turn, Continue) by posting
mouse events at the buttons' centres, waits a moment on each screen so an audience can
read it, and saves a screenshot of the final frame.
"""

from __future__ import annotations

from pathlib import Path

from . import driver
from .session import Session

PAUSE_MAIN = 1.2  # seconds on the main screen before ending a turn
PAUSE_SUMMARY = 1.6  # seconds on each turn summary
PAUSE_END = 1.0


class Autopilot:
    def __init__(self, app, level: str = "baseline", seed: int | None = None, turns: int = 3,
                 screenshot: Path | None = None):
        self.app = app
        self.level, self.seed = level, seed
        self.turns = int(turns)
        self.screenshot = Path(screenshot) if screenshot else None
        self.played = 0
        self.wait = 0.0
        self.state = "start"
        self.finished = False
        # Nobody watches a dummy display: keep the same steps, but do not linger.
        from .app import headless

        self.pace = 0.15 if headless() else 1.0

    def start(self) -> None:
        from .screens.main_game import MainGameScreen

        self.app.session = Session.new(level=self.level, seed=self.seed)
        self.app.session.advisor_drafts = True
        self.app.reset_to(MainGameScreen(self.app))
        self.state, self.wait = "main", PAUSE_MAIN

    def update(self, dt: float) -> None:
        from .screens.end import EndScreen
        from .screens.main_game import MainGameScreen
        from .screens.turn_summary import TurnSummaryScreen

        if self.finished:
            return
        self.wait -= dt / self.pace
        if self.wait > 0:
            return
        top = self.app.top
        if isinstance(top, EndScreen):
            self.finish()
        elif isinstance(top, TurnSummaryScreen):
            driver.post_click(self.app, top.continue_button)
            self.wait = 0.2
        elif isinstance(top, MainGameScreen):
            if self.played >= self.turns or self.app.session.over:
                self.finish()
                return
            if self.state == "main":
                driver.post_click(self.app, top.panel.advisor_button)
                self.state, self.wait = "advised", 0.3
            else:
                driver.post_click(self.app, top.end_button)
                self.played += 1
                self.state, self.wait = "main", PAUSE_SUMMARY + PAUSE_MAIN
        else:
            self.wait = 0.2  # a dialog or other screen: give it a moment

    def finish(self) -> None:
        self.finished = True
        driver.post_move(self.app, (0, 0))  # no hover marks from the last click in the picture
        self.app.frame(1 / 60)  # one more frame so the screenshot shows the settled screen
        if self.screenshot is not None:
            self.app.screenshot(self.screenshot)
        self.app.quit(0)
