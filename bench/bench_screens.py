"""How long a player waits when a screen opens: from the key press on the main game screen
to the new screen drawn, for each screen the desk opens, and for a turn (End turn, then
Continue). Dummy video driver; prints figures, it is a measurement, not a test.

    python bench/bench_screens.py [--repeats 7] [--size 1280x720]

Every screen builds its own pygame_gui widgets, so opening one costs widget building (and
used to cost loading the theme again, about 50 ms, before screens shared one theme).
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import tempfile
import time
import warnings

os.environ.setdefault("SDL_VIDEODRIVER", "dummy")
os.environ.setdefault("SDL_AUDIODRIVER", "dummy")
os.environ.setdefault("PYGAME_HIDE_SUPPORT_PROMPT", "1")
os.environ.setdefault("RACEGAME_HOME", tempfile.mkdtemp(prefix="racegame-bench-"))
warnings.simplefilter("ignore")

import pygame  # noqa: E402

from racegame.ui import driver  # noqa: E402
from racegame.ui.screens.main_game import MainGameScreen  # noqa: E402

KEYS = {"ledger": pygame.K_l, "events": pygame.K_n, "help": pygame.K_F1, "pause menu": pygame.K_ESCAPE}


def _next_screen(app, post) -> float:
    """Milliseconds from an input event (``post()`` sends it) to the next screen's first frame."""
    below = app.top
    post()
    start = time.perf_counter()
    while app.top is below:
        app.frame(1 / 60)
    app.frame(1 / 60)
    return (time.perf_counter() - start) * 1000.0


def _back_to_main(app) -> None:
    while not isinstance(app.top, MainGameScreen):
        driver.press(app, pygame.K_ESCAPE)


def measure(size, repeats: int) -> dict:
    app = driver.start_app(size)
    driver.new_game(app, seed=7)
    for _ in range(3):  # a game under way
        driver.click(app, app.top.end_button)
        driver.click(app, app.top.continue_button)
    driver.run(app, 10)
    times = {name: [] for name in KEYS}
    times["turn (End turn, Continue)"] = []
    for _ in range(repeats):
        for name, key in KEYS.items():
            times[name].append(_next_screen(app, lambda: driver.post_key(key)))
            _back_to_main(app)
            driver.run(app, 2)
        turn = _next_screen(app, lambda: driver.post_click(app, app.top.end_button))
        turn += _next_screen(app, lambda: driver.post_click(app, app.top.continue_button))
        times["turn (End turn, Continue)"].append(turn)
    pygame.quit()
    return {name: statistics.median(v) for name, v in times.items()}


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeats", type=int, default=7)
    parser.add_argument("--size", default="1280x720")
    args = parser.parse_args(argv)
    size = tuple(int(v) for v in args.size.lower().split("x"))
    print(f"racegame: time to open each screen from the main game at {size[0]}x{size[1]} "
          f"({os.environ['SDL_VIDEODRIVER']} video, median of {args.repeats})")
    for name, ms in measure(size, args.repeats).items():
        print(f"  {name:<28}{ms:8.1f} ms")
    return 0


if __name__ == "__main__":
    sys.exit(main())
