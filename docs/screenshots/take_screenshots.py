"""Take the screenshots in this folder: every screen of the game, in a real X window.

    xvfb-run -a -s "-screen 0 1366x800x24" python docs/screenshots/take_screenshots.py
    xvfb-run -a -s "-screen 0 2000x1160x24" python docs/screenshots/take_screenshots.py --large
    xvfb-run -a -s "-screen 0 1366x800x24" python docs/screenshots/take_screenshots.py --classroom
    xvfb-run -a -s "-screen 0 2000x1160x24" python docs/screenshots/take_screenshots.py --large --scale 1.5 \
        --every --out /tmp/shots-150   # every screen at 150% UI scale, to look at (not kept here)

The game is driven with real input events (racegame.ui.driver) and each screen is captured
from the X server with ImageMagick's ``import -window ID`` (the game's window, found with
xdotool), i.e. exactly what is on screen. The X screen is a little larger than the window:
the game never opens a window as large as the screen it is on.
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import tempfile
import warnings
from pathlib import Path

HERE = Path(__file__).resolve().parent
os.environ.setdefault("RACEGAME_HOME", tempfile.mkdtemp(prefix="racegame-shots-"))
os.environ.setdefault("SDL_VIDEO_X11_WMCLASS", "racegame")
os.environ.setdefault("RACEGAME_NO_BROWSER", "1")  # the debrief report is written, not opened
warnings.simplefilter("ignore")

import pygame  # noqa: E402

from racegame.ui import driver  # noqa: E402
from racegame.ui.paths import autosave_path  # noqa: E402


OUT = HERE  # where the pictures go (--out)
EVERY = False  # --every: keep every screen at 1920x1080, not only the busiest
SCALE = 1.0  # --scale: the UI scale the window uses
# At 1920x1080 only the busiest screens are kept: enough to judge the larger layout.
LARGE = {"05_turn_summary_1920", "06_main_1920", "09_tooltip_chart_1920", "12_futures_1920", "16_help_1920", "22_end_1920",
         "31_projector_1920"}


def _window_id() -> str:
    """The game's X window (the screen is a little larger: a window never fills a screen)."""
    ids = subprocess.run(["xdotool", "search", "--classname", "racegame"], capture_output=True, text=True).stdout.split()
    return ids[-1] if ids else "root"


def shot(app, name: str, frames: int = 20) -> None:
    driver.run(app, frames)
    if name.endswith("_1920") and name not in LARGE and not EVERY:
        return
    path = OUT / f"{name}.png"
    subprocess.run(["import", "-window", _window_id(), str(path)], check=True)
    print(path.name)


def hover(app, target, frames: int = 40) -> None:
    driver.post_move(app, target)
    driver.run(app, frames)


def start(size):
    """The game's window at ``size`` and the UI scale asked for."""
    app = driver.start_app(size)
    if SCALE != 1.0:
        app.settings.ui_scale = SCALE
        app.apply_display_settings()
        driver.run(app, 2)
    return app


def until_end(app) -> None:
    while app.top.name != "end":
        if app.top.name == "main":
            driver.click(app, app.top.end_button)
        elif app.top.name == "turn_summary":
            driver.click(app, app.top.continue_button)
        else:
            driver.press(app, pygame.K_ESCAPE)


def classroom_shots(size) -> None:
    """A classroom game: setup, briefing, hand-over, a government's desk, a lab's desk under
    fog of war, the facilitator's panel, the pause, the projector view, a turn summary with
    its discussion prompt, and the end screen after writing the debrief report."""
    suffix = "" if size == (1280, 720) else "_1920"
    app = start(size)
    driver.click(app, app.top.menu["Classroom"])
    setup = app.top
    for i, name in enumerate(("Red Team", "Blue Team")):
        driver.retype(app, setup.name_entries[i], name)
    driver.choose(app, setup.seat_menus[0], "tempo")
    driver.click(app, setup.add_button)
    driver.retype(app, setup.name_entries[2], "Green Team")
    driver.choose(app, setup.seat_menus[2], "cn")
    driver.retype(app, setup.seed_entry, "4821")
    driver.click(app, setup.countdown_buttons[180])
    driver.click(app, setup.fog_box)
    hover(app, (0, 0))
    shot(app, f"25_classroom_setup{suffix}")
    driver.click(app, setup.start_button)
    hover(app, (0, 0))
    shot(app, f"26_classroom_briefing{suffix}")
    driver.click(app, app.top.begin_button)
    shot(app, f"27_handover{suffix}")
    driver.click(app, app.top.start_button)  # Red Team: Tempo, a lab, under fog
    for _ in range(3):  # to the discussion prompt after turn 1, and a few turns of history
        driver.play_classroom_turn(app)
        driver.click(app, app.top.start_button)
    desk = app.top
    hover(app, (0, 0))
    shot(app, f"29_lab_desk_fog{suffix}")
    driver.click(app, desk.panel.tab_buttons["politics"])
    hover(app, (0, 0))
    shot(app, f"29b_lab_intelligence{suffix}")
    driver.click(app, desk.end_button)
    driver.click(app, app.top.start_button)  # Blue Team: the US government
    hover(app, (0, 0))
    shot(app, f"28_government_desk{suffix}")
    driver.press(app, pygame.K_3)
    hover(app, (0, 0))
    shot(app, f"37_government_diplomacy{suffix}")
    driver.press(app, pygame.K_F9)
    panel = app.top
    item = next(i for i in panel.list.item_list if i["object_id"] == "cat_texas_outage")
    driver.click(app, item["button_element"])
    driver.retype(app, panel.headline, "A winter storm knocks out power across Texas")
    driver.click(app, panel.inject_button)
    hover(app, (0, 0))
    shot(app, f"30_facilitator{suffix}")
    driver.press(app, pygame.K_d)
    shot(app, f"35_team_decisions{suffix}")
    driver.press(app, pygame.K_ESCAPE)
    driver.click(app, panel.buttons["pause"])
    shot(app, f"34_paused{suffix}")
    driver.click(app, app.top.resume_button)
    driver.press(app, pygame.K_F10)
    shot(app, f"31_projector{suffix}")
    driver.press(app, pygame.K_F10)
    driver.click(app, app.top.end_button)
    driver.click(app, app.top.start_button)  # Green Team: China's government
    driver.click(app, app.top.end_button)
    while app.session.prompt(app.session.model.state.turn - 1) is None:  # on to a turn with a prompt
        driver.press(app, pygame.K_RETURN)
        while app.top.name != "class_summary":
            driver.press(app, pygame.K_RETURN)
    hover(app, (0, 0))
    shot(app, f"32_class_summary_prompt{suffix}", 45)
    while app.top.name != "end":
        driver.press(app, pygame.K_RETURN)
    end = app.top
    driver.click(app, end.report_button)
    app.session.report_job.wait(120)
    driver.run(app, 5)
    driver.press(app, pygame.K_RETURN)  # the "report written" message
    hover(app, (0, 0))
    shot(app, f"33_class_end_report{suffix}", 30)
    print(app.session.report_job.html_path)
    pygame.quit()


def main(argv=None) -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--large", action="store_true", help="1920x1080 screenshots of the main screens")
    parser.add_argument("--classroom", action="store_true", help="only the classroom screens")
    parser.add_argument("--scale", type=float, default=1.0, help="UI scale (1.5: 150%%)")
    parser.add_argument("--every", action="store_true", help="with --large: keep every screen")
    parser.add_argument("--out", type=Path, default=HERE, help="folder for the pictures (default: here)")
    args = parser.parse_args(argv)
    global OUT, EVERY, SCALE
    OUT, EVERY, SCALE = args.out, args.every, args.scale
    OUT.mkdir(parents=True, exist_ok=True)
    size = (1920, 1080) if args.large else (1280, 720)
    suffix = "_1920" if args.large else ""
    if args.classroom:
        classroom_shots(size)
        return 0
    app = start(size)
    shot(app, f"01_title{suffix}")
    driver.click(app, app.top.menu["New game"])
    shot(app, f"02_new_game{suffix}")
    new_game = app.top
    driver.retype(app, new_game.seed_entry, "2")
    driver.click(app, new_game.start_button)
    shot(app, f"03_briefing{suffix}")
    driver.click(app, app.top.begin_button)
    shot(app, f"21_tutorial_first{suffix}")  # a first game offers the guided tour
    driver.click(app, app.top.skip_button)
    main_screen = app.top
    shot(app, f"04_main_first_turn{suffix}")
    for _ in range(4):
        driver.click(app, app.top.end_button)
        if _ == 3:
            shot(app, f"05_turn_summary{suffix}")
        driver.click(app, app.top.continue_button)
    main_screen = app.top
    hover(app, (0, 0))
    shot(app, f"06_main{suffix}")
    hover(app, main_screen.regions["top.cash"])
    shot(app, f"07_tooltip_cash{suffix}", 5)
    grid = next(h for h in main_screen.hotspots if h.name == "map" and "Virginia" in str(h.text))
    hover(app, grid.rect)
    shot(app, f"08_tooltip_map{suffix}", 5)
    chart = main_screen.charts[0]
    hover(app, (chart.plot.right - 4, chart.plot.centery))
    shot(app, f"09_tooltip_chart{suffix}", 5)
    hover(app, (0, 0))
    driver.click(app, main_screen.panel.tab_buttons["compute"])
    shot(app, f"10_levers_compute{suffix}")
    driver.click(app, main_screen.panel.tab_buttons["money"])
    shot(app, f"11_levers_money{suffix}")
    driver.click(app, main_screen.panel.tab_buttons["safety"])
    shot(app, f"36_levers_safety{suffix}")
    driver.click(app, main_screen.panel.tab_buttons["capital"])
    driver.click(app, main_screen.futures_button)
    app.session.forecast_job.wait(120)
    shot(app, f"12_futures{suffix}")
    driver.press(app, pygame.K_ESCAPE)
    driver.click(app, main_screen.ledger_button)
    shot(app, f"13_ledger_labs{suffix}")
    driver.click(app, app.top.tab_buttons["grids"])
    shot(app, f"14_ledger_grids{suffix}")
    driver.press(app, pygame.K_ESCAPE)
    driver.click(app, main_screen.events_button)
    shot(app, f"15_event_log{suffix}")
    driver.press(app, pygame.K_ESCAPE)
    driver.click(app, main_screen.help_button)
    shot(app, f"16_help{suffix}")
    driver.press(app, pygame.K_ESCAPE)
    driver.press(app, pygame.K_ESCAPE)
    shot(app, f"17_pause{suffix}")
    driver.click(app, driver.find_button(app.top, "Settings"))
    shot(app, f"18_settings{suffix}")
    driver.press(app, pygame.K_ESCAPE)
    driver.click(app, driver.find_button(app.top, "Save game"))
    shot(app, f"19_save{suffix}")
    driver.click(app, app.top.save_button)
    driver.press(app, pygame.K_RETURN)
    driver.click(app, driver.find_button(app.top, "Load game"))
    shot(app, f"20_load{suffix}")
    driver.press(app, pygame.K_ESCAPE)
    driver.press(app, pygame.K_ESCAPE)
    app.push("tutorial", step=5)
    shot(app, f"21_tutorial{suffix}")
    driver.press(app, pygame.K_ESCAPE)
    until_end(app)
    shot(app, f"22_end{suffix}", 30)
    if args.large and not EVERY:  # the projector view on a full-HD projector
        pygame.quit()
        app = start(size)
        driver.new_classroom(app, seed=4821, countdown=180)
        for _ in range(4):
            driver.play_classroom_turn(app)
        driver.click(app, app.top.start_button)
        driver.press(app, pygame.K_F10)
        hover(app, (0, 0))
        shot(app, "31_projector_1920")
    if not args.large or EVERY:
        driver.press(app, pygame.K_ESCAPE)
        autosave_path().write_text("{ this is not a save")
        app.top.rebuild()
        driver.click(app, app.top.menu["Continue"])
        shot(app, f"23_damaged_save{suffix}")
    pygame.quit()
    if not args.large:
        from racegame.cli import main as cli

        cli(["play", "--autoplay", "6", "--seed", "4", "--screenshot", str(OUT / "24_attract_mode.png")])
        print("24_attract_mode.png")
    if not args.large or EVERY:
        classroom_shots(size)
    return 0


if __name__ == "__main__":
    sys.exit(main())
