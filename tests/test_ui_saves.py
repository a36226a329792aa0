"""Saving and loading through the menus, continuing after the autosave, and damaged saves."""

import json

import pygame
import pytest

from racegame.saves import load_game
from racegame.ui import driver
from racegame.ui.screens.dialogs import MessageScreen
from racegame.ui.screens.load import LoadScreen
from racegame.ui.screens.main_game import MainGameScreen
from racegame.ui.screens.pause import PauseScreen
from racegame.ui.screens.save import SaveScreen
from racegame.ui.screens.title import TitleScreen


pytestmark = pytest.mark.usefixtures("home")  # every test here plays in a fresh RACEGAME_HOME


def play_turns(app, n):
    for _ in range(n):
        driver.click(app, app.top.end_button)
        driver.click(app, app.top.continue_button)


def test_save_and_load_through_the_menus(app, home):
    main = driver.new_game(app, lab="keel", seed=21)
    play_turns(app, 2)
    main = app.top
    driver.click(app, main.panel.tab_buttons["market"])
    driver.click(app, main.panel.levers["open_weights"].control)  # a plan choice the save must keep
    assert app.session.plan.open_weights
    driver.click(app, main.menu_button)
    assert isinstance(app.top, PauseScreen)
    driver.click(app, driver.find_button(app.top, "Save game"))
    save = app.top
    assert isinstance(save, SaveScreen)
    driver.retype(app, save.entry, "my game")
    driver.click(app, save.save_button)
    assert isinstance(app.top, MessageScreen)
    path = home / "saves" / "my-game.json"
    assert path.is_file() and (home / "saves" / "my-game.ui.json").is_file()
    assert load_game(path).state.turn == 2  # the CLI's format
    driver.press(app, pygame.K_RETURN)  # dismiss
    driver.press(app, pygame.K_ESCAPE)  # close the pause menu
    assert isinstance(app.top, MainGameScreen)
    play_turns(app, 1)
    assert app.session.model.state.turn == 3
    # Load the save from the pause menu: back to turn 2, with the plan as it was.
    driver.press(app, pygame.K_ESCAPE)
    driver.click(app, driver.find_button(app.top, "Load game"))
    load = app.top
    assert isinstance(load, LoadScreen)
    item = next(i for i in load.list.item_list if i["text"].startswith("my-game"))
    driver.click(app, item["button_element"])
    driver.click(app, load.load_button)
    assert isinstance(app.top, MainGameScreen)
    assert app.session.model.state.turn == 2
    assert app.session.plan.open_weights
    assert app.session.model.rules.lab_ids[app.session.slot] == "keel"
    assert len(app.session.model.chronicle) == 2  # charts survive loading


def test_continue_resumes_the_autosave(app):
    driver.new_game(app, lab="abyss", seed=22)
    play_turns(app, 2)
    turn = app.session.model.state.turn
    cash = float(app.session.model.state.cash[0, app.session.slot])
    driver.press(app, pygame.K_ESCAPE)
    driver.click(app, driver.find_button(app.top, "Quit to title"))
    assert isinstance(app.top, TitleScreen) and app.session is None
    assert app.top.menu["Continue"].is_enabled
    driver.click(app, app.top.menu["Continue"])
    assert isinstance(app.top, MainGameScreen)
    assert app.session.model.state.turn == turn
    assert float(app.session.model.state.cash[0, app.session.slot]) == cash


@pytest.mark.parametrize("content", [b"{not json", b"\x00\xff\xfe binary", json.dumps({"format": "racegame-save",
                                     "version": 1, "level": {"id": "x"}}).encode(), b"[]"])
def test_a_damaged_save_shows_a_dialog(app, home, content):
    (home / "autosave.json").write_bytes(content)
    app.top.rebuild()
    driver.click(app, app.top.menu["Continue"])
    dialog = app.top
    assert isinstance(dialog, MessageScreen)
    assert "save" in dialog.html.lower()
    driver.click(app, dialog.window.dismiss_button)
    driver.run(app, 3)
    assert isinstance(app.top, TitleScreen)
    # The load screen lists it as unreadable, and loading it reports the problem too.
    driver.click(app, app.top.menu["Load game"])
    load = app.top
    assert any("cannot be read" in i["text"] for i in load.list.item_list) or content == b"[]"
    driver.click(app, load.load_button)
    assert isinstance(app.top, MessageScreen)
