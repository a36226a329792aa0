"""Every screen of the desktop game, reached with real mouse clicks and key presses."""

import pygame
import pytest

from racegame.ui import driver
from racegame.ui.screens.briefing import BriefingScreen
from racegame.ui.screens.end import EndScreen
from racegame.ui.screens.event_log import EventLogScreen
from racegame.ui.screens.futures import FuturesScreen
from racegame.ui.screens.help import HelpOverlay
from racegame.ui.screens.ledger import LedgerScreen
from racegame.ui.screens.main_game import MainGameScreen
from racegame.ui.screens.new_game import NewGameScreen
from racegame.ui.screens.pause import PauseScreen
from racegame.ui.screens.settings import SettingsScreen
from racegame.ui.screens.title import TitleScreen
from racegame.ui.screens.turn_summary import TurnSummaryScreen
from racegame.ui.screens.tutorial import STEPS, TutorialOverlay


pytestmark = pytest.mark.usefixtures("home")  # every test here plays in a fresh RACEGAME_HOME


def test_title_new_game_briefing_main(app):
    assert isinstance(app.top, TitleScreen)
    assert not app.top.menu["Continue"].is_enabled  # nothing to continue in a fresh home
    driver.click(app, app.top.menu["New game"])
    screen = app.top
    assert isinstance(screen, NewGameScreen)
    tianhe = next(item for item in screen.lab_list.item_list if item["object_id"] == "tianhe")
    driver.click(app, tianhe["button_element"])
    assert screen.lab == "tianhe"
    driver.click(app, screen.diff_buttons["hard"])
    assert screen.difficulty == "hard"
    driver.click(app, screen.start_button)
    assert isinstance(app.top, BriefingScreen)
    assert app.session.model.rules.lab_ids[app.session.slot] == "tianhe"
    assert app.session.model.difficulty == "hard"
    assert app.top.guide.get_state()  # a first game offers the guided tour
    driver.click(app, app.top.guide)
    assert not app.top.guide.get_state()
    driver.click(app, app.top.begin_button)
    assert isinstance(app.top, MainGameScreen)
    assert len(app.stack) == 1


def test_main_screen_overlays_and_tooltips(app):
    main = driver.new_game(app, seed=3)
    assert isinstance(main, MainGameScreen)
    # Tooltips on drawn figures: hover the cash figure in the top bar.
    driver.post_move(app, main.regions["top.cash"])
    driver.run(app, 40)
    assert main.tip_text and "Cash" in main.tip_text
    # And on a grid of the map.
    grid_spot = next(h for h in main.hotspots if h.name == "map" and "Stress" in h.text)
    driver.post_move(app, grid_spot.rect)
    driver.run(app, 40)
    assert "Queue" in (main.tip_text or "")
    # The help overlay, from its button; closed with its own button.
    driver.click(app, main.help_button)
    assert isinstance(app.top, HelpOverlay)
    driver.click(app, app.top.close_button)
    assert app.top is main
    # Ledger: switch tables and sort by a column.
    driver.click(app, main.ledger_button)
    ledger = app.top
    assert isinstance(ledger, LedgerScreen)
    driver.click(app, ledger.tab_buttons["grids"])
    assert ledger.kind == "grids"
    driver.click(app, ledger.table.headers["price"])
    prices = [ledger.table.rows[i]["price"] for i in ledger.table.order]
    assert prices == sorted(prices, reverse=True)
    driver.click(app, ledger.table.headers["price"])
    prices = [ledger.table.rows[i]["price"] for i in ledger.table.order]
    assert prices == sorted(prices)
    driver.press(app, pygame.K_ESCAPE)
    # Event log with a filter.
    driver.press(app, pygame.K_n)
    log = app.top
    assert isinstance(log, EventLogScreen)
    driver.click(app, log.filter_buttons["policy"])
    assert log.kind == "policy"
    driver.click(app, log.close_button)
    assert app.top is main
    # Pause menu and settings.
    driver.press(app, pygame.K_ESCAPE)
    pause = app.top
    assert isinstance(pause, PauseScreen)
    driver.click(app, driver.find_button(pause, "Settings"))
    settings = app.top
    assert isinstance(settings, SettingsScreen)
    driver.click(app, settings.mute)
    assert app.settings.muted and app.sound.muted
    driver.click(app, settings.close_button)
    driver.click(app, driver.find_button(app.top, "Resume"))
    assert app.top is main


def test_levers_edit_the_plan_and_show_effects(app):
    main = driver.new_game(app, seed=4)
    session = app.session
    panel = main.panel
    driver.click(app, panel.tab_buttons["compute"])
    assert panel.current == "compute"
    slider = panel.levers["train"].control
    before = session.plan.train
    driver.click(app, (slider.rect.x + slider.rect.w // 6, slider.rect.centery))  # click the track: the value jumps
    assert session.plan.train < before
    total = session.plan.train + session.plan.serve + session.plan.research
    assert total == pytest.approx(1.0)
    # Drag the knob of the research slider to the right.
    knob = panel.levers["research"].control.sliding_button
    before = session.plan.research
    start = knob.rect.center
    pygame.event.post(pygame.event.Event(pygame.MOUSEBUTTONDOWN, pos=driver.window_pos(app, start), button=1))
    for dx in range(0, 120, 20):
        driver.post_move(app, (start[0] + dx, start[1]))
        driver.run(app, 1)
    pygame.event.post(pygame.event.Event(pygame.MOUSEBUTTONUP, pos=driver.window_pos(app, (start[0] + 120, start[1])), button=1))
    driver.run(app, 3)
    assert session.plan.research > before
    # The wheel over a slider nudges it.
    run = panel.levers["run_turns"]
    driver.post_move(app, run.control.rect.center)
    before = session.plan.run_turns
    pygame.event.post(pygame.event.Event(pygame.MOUSEWHEEL, x=0, y=1, flipped=False, precise_x=0.0, precise_y=1.0))
    driver.run(app, 2)
    assert session.plan.run_turns == min(before + 1, 6)
    driver.click(app, panel.tab_buttons["money"])
    before = session.plan.partner_deal
    driver.click(app, panel.levers["partner_deal"].control)
    assert session.plan.partner_deal is not before
    driver.click(app, panel.tab_buttons["capital"])
    budget = panel.levers["chip_budget"]
    before_text = budget.effect.text
    driver.click(app, (budget.control.rect.right - 4, budget.control.rect.centery))
    driver.run(app, 2)
    assert session.plan.chip_budget_usd == pytest.approx(budget.hi * 1e9)
    assert "chips" in budget._effect_state[0] and budget.effect.text != before_text
    assert "you may spend" in panel.spend_label.text or "Over budget" in panel.spend_label.text
    driver.press(app, pygame.K_3)
    assert panel.current == "market"


def test_turn_summary_futures_and_end_screen(app):
    main = driver.new_game(app, seed=5)
    driver.click(app, main.end_button)
    summary = app.top
    assert isinstance(summary, TurnSummaryScreen)
    assert "HELD BACK" in summary.info["html"] or "NOTHING HELD" in summary.info["html"]
    driver.click(app, summary.continue_button)
    assert isinstance(app.top, MainGameScreen)
    assert app.session.model.state.turn == 1
    app.session.plan.raise_round = True  # a one-off move the futures must not use up
    driver.press(app, pygame.K_f)
    futures = app.top
    assert isinstance(futures, FuturesScreen)
    app.session.forecast_job.wait(60)
    driver.run(app, 3)
    job = app.session.forecast_job
    assert job.error is None and job.result is not None and job.result.runs == 1000
    assert futures.charts[0].data is not None and futures.charts[0].data.steps == job.result.turns
    assert job.progress == (job.result.turns, job.result.turns, job.result.dates[-1])
    # While futures play, the screen shows how far they have got.
    busy = type("Busy", (), {"done": False, "result": None, "error": None, "key": None, "progress": (3, 8, "2026-04")})()
    app.session.forecast_job = busy
    drawn = []
    draw = futures._draw_progress
    futures._draw_progress = lambda surface, played, bar: drawn.append(played) or draw(surface, played, bar)
    driver.run(app, 2)
    assert drawn and drawn[-1] == (3, 8, "2026-04") and not futures.refresh_button.is_enabled
    app.session.forecast_job = job
    driver.run(app, 2)
    # The look-ahead: two years by default; to the end plays every turn left.
    assert futures.ahead == "2 years" and futures.horizon_buttons["2 years"].is_selected
    assert futures.horizon_buttons["2 years"].tool_tip_text == "8 turns ahead: Q2 2025 to Q1 2027"
    driver.click(app, futures.horizon_buttons["To the end"])
    app.session.forecast_job.wait(120)
    driver.run(app, 3)
    model = app.session.model
    assert futures.horizon_buttons["To the end"].is_selected and not futures.horizon_buttons["2 years"].is_selected
    assert app.session.forecast_job.result.turns <= model.rules.horizon - model.state.turn
    assert futures.charts[0].data.steps == app.session.forecast_job.result.turns > job.result.turns
    assert app.session.plan.raise_round and not futures.stale
    driver.click(app, futures.close_button)
    # The end screen of this game, reached as the last screen after the ending.
    app.push(EndScreen(app))
    driver.run(app, 2)
    assert isinstance(app.top, EndScreen)


def test_tutorial_walks_every_step_then_ends_the_turn(app):
    driver.click(app, app.top.menu["Tutorial"])
    assert isinstance(app.top, BriefingScreen)
    assert app.session.tutorial
    driver.click(app, app.top.begin_button)
    tutorial = app.top
    assert isinstance(tutorial, TutorialOverlay)
    main = app.find("main")
    for step in range(len(STEPS)):
        assert tutorial.step == step
        key = STEPS[step][0]
        assert key is None or tutorial.target() is not None, key
        if key == "panel.levers":  # the lit-up control is live: try the chip budget
            before = app.session.plan.chip_budget_usd
            slider = main.panel.levers["chip_budget"].control
            driver.click(app, slider.rect.move(slider.rect.w // 3, 0).center)
            assert app.session.plan.chip_budget_usd != before
            assert app.top is tutorial
        driver.click(app, tutorial.next_button)
    assert isinstance(app.top, TurnSummaryScreen)
    assert app.settings.tutorial_seen
    # The tutorial's step-by-step prompts come in the turn summary of a single-player game too.
    first = app.session.model.level.data["prompts"][0]
    assert first["turn"] == 0 and "YOUR NEXT STEP" in app.top.info["html"] and first["text"] in app.top.info["html"]


def test_tutorial_ends_when_the_player_ends_the_turn(app):
    driver.click(app, app.top.menu["Tutorial"])
    driver.click(app, app.top.begin_button)
    tutorial = app.top
    while tutorial.step < len(STEPS) - 1:
        driver.press(app, pygame.K_RIGHT)
    main = app.find("main")
    driver.click(app, main.end_button)  # the real button, lit up by the last step
    assert isinstance(app.top, TurnSummaryScreen)
    driver.click(app, app.top.continue_button)
    assert app.top is main and tutorial not in app.stack


def test_window_resize_and_ui_scale_keep_working(app):
    driver.new_game(app, seed=6)
    pygame.event.post(pygame.event.Event(pygame.VIDEORESIZE, size=(1600, 900), w=1600, h=900))
    driver.run(app, 2)
    app.settings.ui_scale = 1.5  # on a 1280 x 720 window there is no room for it: the layout stays whole
    app.apply_display_settings()
    driver.run(app, 2)
    assert app.size == app.display.get_size() == (1280, 720)
    app.settings.width, app.settings.height = 1920, 1080
    app.apply_display_settings()
    driver.run(app, 2)
    assert app.size == (1280, 720) and app.display.get_size() == (1920, 1080)
    driver.click(app, app.top.help_button)  # clicks are mapped through the scale
    assert isinstance(app.top, HelpOverlay)


def test_the_advisor_keeps_what_the_player_set_and_says_what_it_changed(app):
    main = driver.new_game(app, seed=8)
    session = app.session
    assert session.advisor_drafts and session.plan.mine == []
    panel = main.panel
    driver.click(app, panel.tab_buttons["compute"])
    safety = panel.levers["focus_safety"]
    driver.click(app, (safety.control.rect.right - 6, safety.control.rect.centery))  # the player wants safety
    run = panel.levers["run_turns"]
    driver.click(app, (run.control.rect.right - 6, run.control.rect.centery))  # and long runs
    chosen = (session.plan.focus_safety, session.plan.run_turns)
    assert chosen[0] > 0.7 and chosen[1] == 6
    assert safety.mine and run.mine and "yours" in safety.title.text
    driver.click(app, main.end_button)
    driver.click(app, app.top.continue_button)
    main, panel = app.top, app.top.panel
    assert (session.plan.focus_safety, session.plan.run_turns) == chosen, "the advisor kept the player's levers"
    assert session.controller.drafted and not set(session.controller.drafted) & set(session.plan.mine)
    assert "yours, kept" in panel.note.text and "Advisor changed" in panel.note.text
    driver.click(app, panel.tab_buttons["compute"])
    assert panel.levers["focus_safety"].mine
    # Release hands them back: the advisor drafts them too.
    driver.click(app, panel.release_button)
    assert app.top.panel.session.plan.mine == []
    assert (session.plan.focus_safety, session.plan.run_turns) != chosen


def test_opening_screens_does_not_lengthen_the_translation_search(app):
    """pygame_gui adds its translations folder to python-i18n's path with every manager, and
    each text with a full stop is looked up in every folder on it: the path must not grow
    with the screens a long session opens."""
    import i18n

    main = driver.new_game(app, seed=2)
    length = len(i18n.load_path)
    for _ in range(5):
        driver.press(app, pygame.K_l)  # the ledger, a screen with its own manager
        driver.press(app, pygame.K_ESCAPE)
        driver.click(app, main.end_button)
        driver.click(app, app.top.continue_button)
    assert len(i18n.load_path) == length == len(set(i18n.load_path))
