"""The debrief report from the end screen: ``racegame.report`` in a worker thread, so the
window keeps drawing while the what-if batches play, then the file in the system browser.

The thread reads a shallow copy of the finished game (the copy's ``teams`` may differ, so a
desktop player's lab is reported as a team); nothing changes a finished game meanwhile.
"""

from __future__ import annotations

import copy
import os
import re
import webbrowser
from datetime import datetime
from pathlib import Path

from .jobs import BackgroundJob
from .paths import reports_dir

RUNS = 100  # what-if games per batch: about a second or two per team lab


def report_path(model) -> Path:
    stamp = datetime.now().strftime("%Y%m%d-%H%M%S")
    name = re.sub(r"[^A-Za-z0-9_-]+", "-", f"{model.level.id}-seed{model.seed}-turn{model.state.turn}-{stamp}")
    return reports_dir() / f"{name}.html"


class ReportJob(BackgroundJob):
    def __init__(self, model, teams: dict | None = None, runs: int | None = None):
        game = copy.copy(model)  # the live game may play on meanwhile: keep this moment's records
        game.news, game.chronicle, game.orders_log = list(model.news), list(model.chronicle), list(model.orders_log)
        game.teams = dict(model.teams if teams is None else teams)
        self.runs = RUNS if runs is None else int(runs)
        self.path = report_path(model)
        self.html_path: Path | None = None
        self.csv_path: Path | None = None
        self.opened = False
        super().__init__(game)

    def _work(self, game) -> None:
        from ..report import write_report

        self.html_path, self.csv_path = write_report(game, self.path, runs=self.runs)

    def open(self) -> bool:
        """Show the report in the system browser; False (and no harm) when there is none.
        ``RACEGAME_NO_BROWSER=1`` keeps it closed (screenshots, demonstrations)."""
        if self.html_path is None or os.environ.get("RACEGAME_NO_BROWSER"):
            return False
        try:
            self.opened = bool(webbrowser.open(self.html_path.resolve().as_uri()))
        except Exception:  # noqa: BLE001 - no browser, a broken one: the file is still there
            self.opened = False
        return self.opened
