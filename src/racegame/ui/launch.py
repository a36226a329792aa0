"""Opening the game window: the app, its first screen, and attract mode when asked.

This is where the pieces meet (the app, the screens' routes, the autopilot); none of them
imports another to do it.
"""

from __future__ import annotations

import sys
from pathlib import Path

import pygame

from .app import App


def run_app(level: str = "baseline", seed: int | None = None, autoplay: int | None = None,
            screenshot: Path | None = None, engine: str = "vectorised") -> int:
    """Open the game window. With ``autoplay``, the AI plays that many turns through the UI."""
    from ..errors import RaceError
    from ..level.loader import load_level
    from . import fmt
    from .screens.title import check_autosave

    problem = None
    try:
        load_level(level)
    except RaceError as exc:
        if autoplay is not None:
            print(f"racegame: error: {exc}", file=sys.stderr)
            return 2
        problem, level = str(exc), "baseline"  # open anyway, and say why in a dialog
    app = App()
    app.engine = engine
    if autoplay is None:  # forecasts use the machine's cores (the pool starts with the first)
        from .. import forecast_workers

        app.forecast_workers = forecast_workers.default_count()
    try:
        if autoplay is not None:
            from .autopilot import Autopilot

            app.autopilot = Autopilot(app, level=level, seed=seed, turns=autoplay, screenshot=screenshot)
            app.autopilot.start()
        else:
            check_autosave(app.notices)  # before the title offers to continue it
            app.push("title", level=level, seed=seed)
            for notice in app.notices:
                app.push("message", "A damaged file was set aside", fmt.esc(notice), width=600, height=300)
            if problem:
                app.push("message", "That level cannot be loaded", fmt.esc(problem), width=640, height=320)
        return app.run()
    finally:
        pygame.quit()
