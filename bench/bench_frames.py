"""Frame time of the main game screen at 1280x720 (and a larger size), under the dummy
video driver. Prints figures; it is a measurement, not a test.

    python bench/bench_frames.py [--frames 400] [--turns 4]

A frame is what the game loop does 60 times a second: pump events, update the top screen
(widgets, tooltips, the lever preview), draw every visible screen and flip. The mouse
sweeps across the map and charts, so hover tooltips and chart crosshairs are included.
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


def measure(size, frames: int, turns: int, ui_scale: float = 1.0) -> dict:
    app = driver.start_app(size)
    if ui_scale != 1.0:  # drawn on a smaller canvas, then scaled up to the window each frame
        app.settings.ui_scale = ui_scale
        app.apply_display_settings()
    main = driver.new_game(app, seed=7)
    for _ in range(turns):  # a game under way: charts with history, flows on the map
        driver.click(app, app.top.end_button)
        driver.click(app, app.top.continue_button)
    assert isinstance(app.top, MainGameScreen)
    main = app.top
    w, h = app.display.get_size()
    driver.run(app, 30)  # warm caches
    times = []
    for i in range(frames):
        x = int((i * 7) % (w - 460)) + 440
        y = int(90 + (i * 3) % (h - 150))
        driver.post_move(app, (x * app.size[0] // w, y * app.size[1] // h))
        if i % 50 == 25:  # and a lever being dragged now and then: the preview recomputes
            slider = main.panel.levers["chip_budget"].control
            driver.post_click(app, slider.rect.move((i % 100) - 50, 0).center)
        start = time.perf_counter()
        app.frame(1 / 60)
        times.append((time.perf_counter() - start) * 1000.0)
    pygame.quit()
    times.sort()
    return {"size": size, "scale": ui_scale, "frames": frames, "mean": statistics.fmean(times), "p50": times[len(times) // 2],
            "p95": times[int(len(times) * 0.95) - 1], "max": times[-1]}


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--frames", type=int, default=400)
    parser.add_argument("--turns", type=int, default=4)
    args = parser.parse_args(argv)
    print(f"racegame main screen frame time ({os.environ['SDL_VIDEODRIVER']} video, {args.frames} frames, "
          f"after {args.turns} turns); budget at 60 fps: 16.7 ms")
    for size, scale in (((1280, 720), 1.0), ((1920, 1080), 1.0), ((1920, 1080), 1.5)):
        r = measure(size, args.frames, args.turns, scale)
        print(f"  {size[0]}x{size[1]} at {scale:.0%} UI scale: mean {r['mean']:.2f} ms, p50 {r['p50']:.2f} ms, p95 {r['p95']:.2f} ms, "
              f"max {r['max']:.2f} ms  (~{1000 / r['mean']:.0f} fps possible)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
