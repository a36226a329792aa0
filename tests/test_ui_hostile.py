"""Hostile level text through the real window: markup, '&', '<img src=x>' (pygame_gui would
load that file), a '$' (matplotlib math) and a spreadsheet formula in every text a level
holds, shown on every screen and in every tooltip. A NUL is refused at load, with a dialog.
"""

import json

import pygame
import pytest

from racegame.level.loader import load_level
from racegame.ui import driver, reporting
from racegame.ui.app import App
from racegame.ui.paths import saves_dir
from racegame.ui.screens.dialogs import MessageScreen
from racegame.ui.screens.end import EndScreen
from racegame.ui.screens.event_log import EventLogScreen
from racegame.ui.screens.futures import FuturesScreen
from racegame.ui.screens.ledger import LedgerScreen
from racegame.ui.screens.load import LoadScreen
from racegame.ui.screens.title import TitleScreen

HOSTILE = "AT&T <Research> <img src=x> <shadow size=999>s</shadow> </font> $x$ =cmd|' /C calc'!A0"


def hostile_level(folder, text=HOSTILE):
    """A level extending the baseline in which every text a level may hold is ``text``."""
    d = load_level("baseline").data
    q = json.dumps
    lines = ['extends = "baseline"', 'id = "hostile"', f"title = {q(text)}", f"summary = {q(text)}",
             f"briefing = {q(text)}", f"objectives = [{q(text)}]", f"debrief = [{q(text)}]"]
    for section, keys in (("labs", ("name", "blurb")), ("governments", ("name", "adjective")), ("grids", ("name",)),
                          ("chips", ("name",)), ("markets", ("name",)), ("events", ("title", "news"))):
        for row in d[section]:
            lines += [f"[[{section}]]", f"id = {q(row['id'])}"] + [f"{key} = {q(row['id'] + ' ' + text)}" for key in keys]
    lines += ["[[prompts]]", "turn = 0", f"text = {q(text)}"]
    for seat in (d["labs"][0]["id"], "us"):
        lines += ["[[roles]]", f"seat = {q(seat)}", f"title = {q(text)}", f"brief = {q(text)}"]
    lines += ["[founders.names]", f"us = [{q(text)}]", f"cn = [{q(text)}]"]
    path = folder / "hostile.toml"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


@pytest.fixture
def level_path(home):
    return hostile_level(home)


@pytest.fixture(autouse=True)
def few_what_ifs(monkeypatch):
    monkeypatch.setattr(reporting, "RUNS", 4)


def start(path):
    app = App(size=(1280, 720))
    pygame.event.clear()
    app.push(TitleScreen(app, level=str(path)))
    driver.run(app, 2)
    return app


def every_tooltip(app) -> int:
    """Render every tooltip the top screen can show (drawn figures and widgets), as hovering
    would; returns how many. pygame_gui parses each as HTML."""
    screen = app.top
    tips = [spot.text() if callable(spot.text) else spot.text for spot in screen.hotspots]
    tips += [e.tool_tip_text for e in screen.manager.get_sprite_group().sprites() if getattr(e, "tool_tip_text", None)]
    failed = []
    for tip in tips:
        try:
            if tip:
                screen.manager.create_tool_tip(tip, position=(200, 200), hover_distance=(0, 8), parent_element=None,
                                               object_id=None, wrap_width=340).kill()
        except Exception as exc:  # noqa: BLE001 - every tooltip that fails is named below
            failed.append(f"{type(exc).__name__} in {tip[:120]!r}")
    assert not failed, f"{type(screen).__name__}: " + "\n".join(failed)
    driver.run(app, 1)
    return len(tips)


def test_hostile_text_on_every_screen_of_a_game(level_path):
    app = start(level_path)
    try:
        main = driver.new_game(app, seed=2)
        assert every_tooltip(app) > 20
        for _ in range(2):
            driver.click(app, main.end_button)
            every_tooltip(app)  # the turn summary
            driver.click(app, app.top.continue_button)
        assert every_tooltip(app) > 20
        for screen, key in ((EventLogScreen, pygame.K_e), (LedgerScreen, pygame.K_l), (FuturesScreen, pygame.K_f)):
            driver.press(app, key)
            assert isinstance(app.top, screen), type(app.top).__name__
            job = getattr(app.session, "forecast_job", None)
            if job is not None:
                job.wait(60)
            driver.run(app, 3)
            every_tooltip(app)
            driver.press(app, pygame.K_ESCAPE)
        model = app.session.model
        while model.running:
            model.step()
        app.push(EndScreen(app))
        driver.run(app, 3)
        every_tooltip(app)
        # The save of this game, in the load screen's list.
        app.session.save(saves_dir() / "hostile.json")
        app.reset_to(TitleScreen(app, level=str(level_path)))
        driver.click(app, app.top.menu["Load game"])
        assert isinstance(app.top, LoadScreen)
        every_tooltip(app)
    finally:
        pygame.quit()


def test_hostile_text_in_a_classroom_game(level_path):
    app = start(level_path)
    try:
        driver.new_classroom(app, level="hostile", teams=(("<img src=x> &T", "meridian"), ("<img src=y>", "us")))
        for turn in range(2):
            every_tooltip(app)  # the hand-over
            driver.click(app, app.top.start_button)
            every_tooltip(app)  # a lab's or a government's desk
            if turn == 0:
                driver.press(app, pygame.K_F9)  # the facilitator's panel, with the level's events
                panel = app.top
                for item in panel.list.item_list[:4]:
                    driver.click(app, item["button_element"])
                    every_tooltip(app)
                driver.press(app, pygame.K_F10)  # the projector view
                every_tooltip(app)
                driver.press(app, pygame.K_F10)
            driver.click(app, app.top.end_button)
        every_tooltip(app)  # the class's turn summary
        driver.press(app, pygame.K_RETURN)
    finally:
        pygame.quit()


@pytest.mark.parametrize("text, message", [
    ('name = "Meri\\u0000dian"', "control character U+0000"),  # a NUL is refused at load
    ('archetype = "<img src=x>"', "got '&lt;img src=x&gt;'"),  # an error quoting markup shows it as text
])
def test_a_level_that_cannot_load_opens_the_game_with_a_dialog(home, opened, text, message):
    path = home / "bad.toml"
    path.write_text(f'extends = "baseline"\nid = "bad"\n[[labs]]\nid = "meridian"\n{text}\n', encoding="utf-8")
    dialog = opened(level=str(path))
    assert isinstance(dialog, MessageScreen), type(dialog).__name__
    assert message in dialog.html


def test_a_game_leaving_the_range_stops_with_a_dialog_and_keeps_the_autosave(app, monkeypatch):
    from racegame.engine import limits
    from racegame.saves import load_game
    from racegame.ui.paths import autosave_path

    main = driver.new_game(app, seed=2)
    driver.click(app, main.end_button)
    driver.click(app, app.top.continue_button)
    cash = limits.VALUE_RANGES["cash"]
    monkeypatch.setitem(limits.VALUE_RANGES, "cash", (-1.0, 1.0))  # as a level with absurd numbers would
    driver.click(app, app.top.end_button)
    dialog = app.top
    assert isinstance(dialog, MessageScreen) and "The game cannot go on" == dialog.title
    assert "state.cash" in dialog.html and "autosave holds the turn before" in dialog.html
    driver.click(app, dialog.window.dismiss_button)
    driver.run(app, 3)
    assert isinstance(app.top, TitleScreen) and app.session is None
    monkeypatch.setitem(limits.VALUE_RANGES, "cash", cash)
    assert load_game(autosave_path()).state.turn == 1
