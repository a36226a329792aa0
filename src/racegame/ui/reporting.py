"""The debrief report from the end screen: ``racegame.analysis.report`` in a worker thread, so the
window keeps drawing while the what-if batches play, then the file in the system browser
(also from the worker: finding out whether a browser really started takes a moment).

The thread reads a shallow copy of the finished game (the copy's ``teams`` may differ, so a
desktop player's lab is reported as a team); nothing changes a finished game meanwhile.
"""

from __future__ import annotations

import copy
import html
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
    """Write the report; then, with ``show``, open it in a browser (``opened`` says whether one
    started). ``RACEGAME_NO_BROWSER=1`` keeps it closed (screenshots, demonstrations)."""

    def __init__(self, model, teams: dict | None = None, runs: int | None = None, show: bool = False):
        game = copy.copy(model)  # the live game may play on meanwhile: keep this moment's records
        game.news, game.chronicle, game.orders_log = list(model.news), list(model.chronicle), list(model.orders_log)
        game.teams = dict(model.teams if teams is None else teams)
        self.runs = RUNS if runs is None else int(runs)
        self.path = report_path(model)
        self.html_path: Path | None = None
        self.csv_path: Path | None = None
        self.opened = False
        self.show = show and not os.environ.get("RACEGAME_NO_BROWSER")
        super().__init__(game)

    def _work(self, game) -> None:
        from ..analysis.report import write_report

        self.html_path, self.csv_path = write_report(game, self.path, runs=self.runs)
        if self.show:
            self.opened = open_in_browser(self.html_path)


def open_in_browser(path: Path) -> bool:
    """Show ``path`` in the system's web browser; True only when one really started.

    ``webbrowser.open`` says True as soon as it has launched a helper such as ``xdg-open``,
    even when that helper then finds no browser. So a helper is run here and given a moment:
    if it exits with an error, nothing opened."""
    import subprocess

    uri = path.resolve().as_uri()
    try:
        browser = webbrowser.get()
    except webbrowser.Error:
        return False
    command = getattr(browser, "args", None)  # a helper program run with these arguments
    if not command:  # a platform browser (macOS, Windows): it answers for itself
        try:
            return bool(browser.open(uri))
        except Exception:  # noqa: BLE001
            return False
    try:
        process = subprocess.Popen([browser.name, *(a.replace("%s", uri) for a in command)], stdout=subprocess.DEVNULL,
                                   stderr=subprocess.DEVNULL, start_new_session=True)
    except OSError:
        return False
    try:
        return process.wait(timeout=3.0) == 0
    except subprocess.TimeoutExpired:
        return True  # still running after a moment: a browser window is up


def announce_report(host, job) -> None:
    """Say where a finished report is, and that it is opening in a browser only when one started."""
    if job.error:
        host.sound.play("error")
        host.push("message", "The report could not be written", _html(job.error), width=560, height=260)
        return
    where = ("It is opening in your browser." if job.opened else
             "No web browser could be started from here: open the file in any browser.")
    host.push("message", "Debrief report written",
              f"<b>{_html(job.html_path.name)}</b><br>in {_html(str(job.html_path.parent))}<br><br>{where} Print it, "
              f"project it, or share the file: it is self-contained. The history of every lab and turn is beside it "
              f"in <b>{_html(job.csv_path.name)}</b>.", width=640, height=300)


def _html(text: str) -> str:
    return html.escape(str(text), quote=False)
