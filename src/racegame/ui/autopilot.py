"""Attract mode: the AI steers the player's lab through the real UI.

It stands outside the screen stack: it reads which screen is on top by its route name and
posts input events, as the test driver does; no screen knows it exists.

It clicks what a player would click (the advisor's plan, End turn, Continue) by posting
mouse events at the buttons' centres, waits a moment on each screen so an audience can
read it, and saves a screenshot of the final frame. In a classroom game it plays every
team in turn (Start at each hand-over, the advisor's plan for a lab, Done, the turn
summary's Next), which is how the tests play every level to its end.
"""

from __future__ import annotations

from pathlib import Path

import pygame

from . import driver
from .host import headless
from .session import Session

PAUSE_MAIN = 1.2  # seconds on the main screen before ending a turn
PAUSE_SUMMARY = 1.6  # seconds on each turn summary
PAUSE_END = 1.0


class Autopilot:
    def __init__(self, app, level: str = "baseline", seed: int | None = None, turns: int = 3,
                 screenshot: Path | None = None, classroom: bool = False, pace: float | None = None):
        self.app = app
        self.level, self.seed = level, seed
        self.turns = int(turns)
        self.screenshot = Path(screenshot) if screenshot else None
        self.played = 0
        self.wait = 0.0
        self.hold = 0
        self.state = "start"
        self.finished = False
        self.classroom = classroom
        # Nobody watches a dummy display: keep the same steps, but do not linger (pace 0: a
        # step every frame).
        self.pace = pace if pace is not None else (0.15 if headless() else 1.0)

    def start(self) -> None:
        if self.classroom:
            self._start_classroom()
            return
        self.app.session = Session.new(level=self.level, seed=self.seed, engine=self.app.engine)
        self.app.session.advisor_drafts = True
        self.app.reset_to("main")
        self.state, self.wait = "main", PAUSE_MAIN

    def update(self, dt: float) -> None:
        if self.finished:
            return
        self.wait = self.wait - dt / self.pace if self.pace > 0 else 0.0
        self.hold -= 1
        if self.wait > 0 or self.hold > 0:
            return
        self.hold = 2  # a click takes effect two frames later (pygame_gui posts its event): never click twice
        top = self.app.top
        name = getattr(top, "name", "")
        if self.classroom and name != "end":
            self._classroom_step(top)
        elif name == "end":
            self.finish()
        elif name == "turn_summary":
            driver.post_click(self.app, top.continue_button)
            self.wait = 0.2
        elif name == "main":
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

    # -- a classroom game: every team in turn --------------------------------------------------
    def _start_classroom(self) -> None:
        from ..level.loader import load_level
        from ..lessons import default_seats
        from .classroom import Classroom

        level = load_level(self.level)
        seats = default_seats(level.data, 2)
        classroom = Classroom.new(level, self.seed, [("Team A", seats[0]), ("Team B", seats[1])],
                                  engine=self.app.engine)
        for team in classroom.teams:
            team.advisor_drafts = True  # a lab team starts each turn from its advisor's plan
        self.app.session = classroom
        self.app.flow("start_turn")
        self.state, self.wait = "handover", PAUSE_MAIN

    def _classroom_step(self, top) -> None:
        name = getattr(top, "name", "")
        if name == "handover":
            driver.post_click(self.app, top.start_button)
            self.state, self.wait = "desk", PAUSE_MAIN
        elif name in ("team_lab", "government"):
            driver.post_click(self.app, top.end_button)
            self.wait = 0.2
        elif name == "class_summary":
            self.played += 1
            if self.played >= self.turns and not self.app.session.over:
                self.finish()
                return
            driver.post_key(pygame.K_RETURN)  # the summary ignores clicks for a moment (double-clicked Done)
            self.wait = PAUSE_SUMMARY
        else:
            self.wait = 0.2

    def finish(self) -> None:
        self.finished = True
        driver.post_move(self.app, (0, 0))  # no hover marks from the last click in the picture
        self.app.frame(1 / 60)  # one more frame so the screenshot shows the settled screen
        if self.screenshot is not None:
            self.app.screenshot(self.screenshot)
        self.app.quit(0)
