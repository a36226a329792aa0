"""Take the screenshots in this folder: every screen of the game, in a real X window.

    xvfb-run -a -s "-screen 0 1280x720x24" python docs/screenshots/take_screenshots.py
    xvfb-run -a -s "-screen 0 1920x1080x24" python docs/screenshots/take_screenshots.py --large
    xvfb-run -a -s "-screen 0 1280x720x24" python docs/screenshots/take_screenshots.py --classroom

The game is driven with real input events (racegame.ui.driver) and each screen is captured
from the X server with ImageMagick's ``import -window root``, i.e. exactly what is on screen.
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


# At 1920x1080 only the busiest screens are kept: enough to judge the larger layout.
LARGE = {"05_turn_summary_1920", "06_main_1920", "09_tooltip_chart_1920", "12_futures_1920", "16_help_1920", "22_end_1920",
         "31_projector_1920"}


def shot(app, name: str, frames: int = 20) -> None:
    driver.run(app, frames)
    if name.endswith("_1920") and name not in LARGE:
        return
    path = HERE / f"{name}.png"
    subprocess.run(["import", "-window", "root", str(path)], check=True)
    print(path.name)


def hover(app, target, frames: int = 40) -> None:
    driver.post_move(app, target)
    driver.run(app, frames)


def until_end(app) -> None:
    from racegame.ui.screens.end import EndScreen
    from racegame.ui.screens.main_game import MainGameScreen
    from racegame.ui.screens.turn_summary import TurnSummaryScreen

    while not isinstance(app.top, EndScreen):
        if isinstance(app.top, MainGameScreen):
            driver.click(app, app.top.end_button)
        elif isinstance(app.top, TurnSummaryScreen):
            driver.click(app, app.top.continue_button)
        else:
            driver.press(app, pygame.K_ESCAPE)


def classroom_shots(size) -> None:
    """A classroom game: setup, briefing, hand-over, a government's desk, a lab's desk under
    fog of war, the facilitator's panel, the pause, the projector view, a turn summary with
    its discussion prompt, and the end screen after writing the debrief report."""
    from racegame.ui.screens.class_summary import ClassroomSummaryScreen
    from racegame.ui.screens.end import EndScreen

    app = driver.start_app(size)
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
    shot(app, "25_classroom_setup")
    driver.click(app, setup.start_button)
    hover(app, (0, 0))
    shot(app, "26_classroom_briefing")
    driver.click(app, app.top.begin_button)
    shot(app, "27_handover")
    driver.click(app, app.top.start_button)  # Red Team: Tempo, a lab, under fog
    for _ in range(3):  # to the discussion prompt after turn 1, and a few turns of history
        driver.play_classroom_turn(app)
        driver.click(app, app.top.start_button)
    desk = app.top
    hover(app, (0, 0))
    shot(app, "29_lab_desk_fog")
    driver.click(app, desk.panel.tab_buttons["politics"])
    hover(app, (0, 0))
    shot(app, "29b_lab_intelligence")
    driver.click(app, desk.end_button)
    driver.click(app, app.top.start_button)  # Blue Team: the US government
    hover(app, (0, 0))
    shot(app, "28_government_desk")
    driver.press(app, pygame.K_F9)
    panel = app.top
    item = next(i for i in panel.list.item_list if i["object_id"] == "cat_texas_outage")
    driver.click(app, item["button_element"])
    driver.click(app, panel.inject_button)
    hover(app, (0, 0))
    shot(app, "30_facilitator")
    driver.click(app, panel.buttons["pause"])
    shot(app, "34_paused")
    driver.click(app, app.top.resume_button)
    driver.press(app, pygame.K_F10)
    shot(app, "31_projector")
    driver.press(app, pygame.K_F10)
    driver.click(app, app.top.end_button)
    driver.click(app, app.top.start_button)  # Green Team: China's government
    driver.click(app, app.top.end_button)
    while app.session.prompt(app.session.model.state.turn - 1) is None:  # on to a turn with a prompt
        driver.press(app, pygame.K_RETURN)
        while not isinstance(app.top, ClassroomSummaryScreen):
            driver.press(app, pygame.K_RETURN)
    hover(app, (0, 0))
    shot(app, "32_class_summary_prompt", 45)
    while not isinstance(app.top, EndScreen):
        driver.press(app, pygame.K_RETURN)
    end = app.top
    driver.click(app, end.report_button)
    app.session.report_job.wait(120)
    driver.run(app, 5)
    driver.press(app, pygame.K_RETURN)  # the "report written" message
    hover(app, (0, 0))
    shot(app, "33_class_end_report", 30)
    print(app.session.report_job.html_path)
    pygame.quit()


def main(argv=None) -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--large", action="store_true", help="1920x1080 screenshots of the main screens")
    parser.add_argument("--classroom", action="store_true", help="only the classroom screens")
    args = parser.parse_args(argv)
    size = (1920, 1080) if args.large else (1280, 720)
    suffix = "_1920" if args.large else ""
    if args.classroom:
        classroom_shots(size)
        return 0
    app = driver.start_app(size)
    if not args.large:
        shot(app, "01_title")
        driver.click(app, app.top.menu["New game"])
        shot(app, "02_new_game")
        driver.press(app, pygame.K_ESCAPE)
    main_screen = driver.new_game(app, lab="meridian", seed=2)
    if not args.large:
        pygame.quit()
        app = driver.start_app(size)
        driver.click(app, app.top.menu["New game"])
        driver.click(app, app.top.start_button)
        shot(app, "03_briefing")
        driver.click(app, app.top.begin_button)
        main_screen = app.top
        shot(app, "04_main_first_turn")
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
    if not args.large:
        driver.press(app, pygame.K_ESCAPE)
        shot(app, "17_pause")
        driver.click(app, driver.find_button(app.top, "Settings"))
        shot(app, "18_settings")
        driver.press(app, pygame.K_ESCAPE)
        driver.click(app, driver.find_button(app.top, "Save game"))
        shot(app, "19_save")
        driver.click(app, app.top.save_button)
        driver.press(app, pygame.K_RETURN)
        driver.click(app, driver.find_button(app.top, "Load game"))
        shot(app, "20_load")
        driver.press(app, pygame.K_ESCAPE)
        driver.press(app, pygame.K_ESCAPE)
        from racegame.ui.screens.tutorial import TutorialOverlay

        app.push(TutorialOverlay(app, step=5))
        shot(app, "21_tutorial")
        driver.press(app, pygame.K_ESCAPE)
    until_end(app)
    shot(app, f"22_end{suffix}", 30)
    if args.large:  # the projector view on a full-HD projector
        pygame.quit()
        app = driver.start_app(size)
        driver.new_classroom(app, seed=4821, countdown=180)
        for _ in range(4):
            driver.play_classroom_turn(app)
        driver.click(app, app.top.start_button)
        driver.press(app, pygame.K_F10)
        hover(app, (0, 0))
        shot(app, "31_projector_1920")
    if not args.large:
        driver.press(app, pygame.K_RETURN)
        autosave_path().write_text("{ this is not a save")
        app.top.rebuild()
        driver.click(app, app.top.menu["Continue"])
        shot(app, "23_damaged_save")
    pygame.quit()
    if not args.large:
        from racegame.cli import main as cli

        cli(["play", "--autoplay", "6", "--seed", "4", "--screenshot", str(HERE / "24_attract_mode.png")])
        print("24_attract_mode.png")
        classroom_shots(size)
    return 0


if __name__ == "__main__":
    sys.exit(main())
